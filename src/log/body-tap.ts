// A pass-through Transform that keeps a copy of the first bytes of a whole (non-streamed) reply
// and logs them, redacted, when the reply ends — body logging for passthrough replies, which
// are otherwise never read. Only inserted when `logging.requestBodies` is on; the bytes flow
// on unchanged, with their backpressure.
import { Transform, type TransformCallback } from 'node:stream'
import { logBody, MAX_LOGGED_BODY_CHARS, type BodyLog } from './bodies.js'

/** Kept beyond the logged limit so a multi-byte character or a JSON tail is not cut short. */
const KEEP_BYTES = MAX_LOGGED_BODY_CHARS * 4

export class BodyTap extends Transform {
  readonly #log: BodyLog
  readonly #what: string
  readonly #backend: string
  readonly #kept: Buffer[] = []
  #size = 0

  constructor (log: BodyLog, what: string, backend: string) {
    super()
    this.#log = log
    this.#what = what
    this.#backend = backend
  }

  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.#size < KEEP_BYTES) {
      this.#kept.push(chunk)
      this.#size += chunk.length
    }
    done(null, chunk)
  }

  override _flush (done: TransformCallback): void {
    logBody(this.#log, this.#what, this.#backend, Buffer.concat(this.#kept, this.#size))
    done()
  }
}
