// The client end of every converted stream: canonical events in (object mode), SSE bytes out.
// One Buffer per frame, written as one chunk (PROTOCOLS.md §0).
import { Transform, type TransformCallback } from 'node:stream'
import type { CanonicalEvent } from '../canonical/events.js'
import type { StreamEncoder } from '../dialects/types.js'
import type { SseFrame } from '../sse/frame.js'
import { encodeSseFrame } from '../sse/encoder.js'

export class EncodeStream extends Transform {
  readonly #encoder: StreamEncoder
  readonly #sink: (frame: SseFrame) => void

  constructor (encoder: StreamEncoder) {
    super({ writableObjectMode: true })
    this.#encoder = encoder
    // Bound once: the encoder calls it for every frame.
    this.#sink = frame => { this.push(encodeSseFrame(frame)) }
  }

  override _transform (event: CanonicalEvent, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.#encoder.push(event, this.#sink)
      done()
    } catch (err) {
      done(err as Error)
    }
  }

  override _flush (done: TransformCallback): void {
    try {
      this.#encoder.end(this.#sink)
      done()
    } catch (err) {
      done(err as Error)
    }
  }
}
