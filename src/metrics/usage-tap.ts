// A pass-through Transform that shows each chunk of a same-dialect reply to a UsageSniffer on its
// way to the client, and reports the usage once the body ended. A Transform rather than a 'data'
// listener: a listener would start the body flowing before Fastify pipes it to the client.
import { Transform, type TransformCallback } from 'node:stream'
import type { Usage } from '../canonical/usage.js'
import type { UsageSniffer } from './usage-sniffer.js'

export class UsageTap extends Transform {
  readonly #sniffer: UsageSniffer
  readonly #report: (usage: Usage, model: string | undefined) => void

  /** `report` gets the usage and the model the reply named, once the body ended. */
  constructor (sniffer: UsageSniffer, report: (usage: Usage, model: string | undefined) => void) {
    super()
    this.#sniffer = sniffer
    this.#report = report
  }

  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#sniffer.observe(chunk)
    done(null, chunk)
  }

  override _flush (done: TransformCallback): void {
    const usage = this.#sniffer.usage()
    if (usage !== undefined) this.#report(usage, this.#sniffer.model())
    done()
  }
}
