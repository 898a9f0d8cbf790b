// Shows each chunk of a same-dialect reply to a UsageSniffer on its way to the client, and
// reports the usage once the body ended — without a stream of its own in the path. A streamed
// reply written by hand (plugins/handlers/stream-reply.ts) calls `observe` and `end` itself; a
// body Fastify pipes joins at the response's `pipe` event (which fires after the pipe's own
// listener and before the first chunk flows), so no chunk is missed and backpressure stays the
// pipe's. A Transform here cost ~1.5 µs a chunk on the passthrough path.
import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { Usage } from '../canonical/usage.js'
import type { UsageSniffer } from './usage-sniffer.js'

/**
 * `report` gets the usage, once the body ended, and a way to read the model the reply named
 * (only read when the caller does not know it).
 */
export class UsageTap {
  constructor (private readonly sniffer: UsageSniffer, private readonly report: (usage: Usage, model: () => string | undefined) => void) {}

  observe (chunk: Buffer): void {
    this.sniffer.observe(chunk)
  }

  end (): void {
    const usage = this.sniffer.usage()
    if (usage !== undefined) this.report(usage, () => this.sniffer.model())
  }
}

/** The tap on the body Fastify pipes to `res`. */
export function tapPipedBody (res: ServerResponse, tap: UsageTap): void {
  res.once('pipe', (body: Readable) => {
    body.on('data', (chunk: Buffer) => { tap.observe(chunk) })
    body.once('end', () => { tap.end() })
  })
}
