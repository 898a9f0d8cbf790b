// A streamed (unbuffered) request body still honours `server.bodyLimit`: the counter fails the
// upstream request as soon as the body crosses it, and the client gets a 413.
import { Transform, type TransformCallback } from 'node:stream'
import { BodyTooLarge } from '../errors/codes.js'

export class LimitStream extends Transform {
  #remaining: number
  readonly #limit: number

  constructor (limit: number) {
    super()
    this.#limit = limit
    this.#remaining = limit
  }

  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#remaining -= chunk.length
    if (this.#remaining < 0) done(new BodyTooLarge(this.#limit))
    else done(null, chunk)
  }
}
