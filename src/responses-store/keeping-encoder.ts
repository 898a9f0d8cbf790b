// The Responses stream encoder of a reply the store keeps: every canonical event also goes into
// a ResponseAccumulator, and when the reply reaches its end (`message-end`) the finished
// canonical response and the terminal response object the client is about to receive are
// handed to `keep` — synchronously, before that terminal event's bytes leave, so a client that
// continues the moment it sees `response.completed` finds the snapshot. A failed or truncated
// stream keeps nothing. Only Responses replies that are kept pay for this wrapper.
import { ResponseAccumulator } from '../canonical/accumulate.js'
import type { CanonicalEvent } from '../canonical/events.js'
import type { CanonicalResponse } from '../canonical/response.js'
import type { ResponsesStreamEncoder } from '../dialects/openai-responses/stream-encoder.js'
import type { WireResponse } from '../dialects/openai-responses/wire.js'
import type { FrameSink, StreamEncoder } from '../dialects/types.js'

/** `wireJson` is `JSON.stringify(wire)`, as the terminal event carried it. */
export type Keep = (answer: CanonicalResponse, wire: WireResponse, wireJson?: string) => void

export class KeepingEncoder implements StreamEncoder {
  readonly #inner: ResponsesStreamEncoder
  readonly #accumulator = new ResponseAccumulator()
  readonly #keep: Keep

  constructor (inner: ResponsesStreamEncoder, keep: Keep) {
    this.#inner = inner
    this.#keep = keep
  }

  open (out: FrameSink): void {
    this.#inner.open(out)
  }

  push (event: CanonicalEvent, out: FrameSink): void {
    this.#accumulator.push(event)
    this.#inner.push(event, out)
    if (event.type !== 'message-end') return
    const answer = this.#accumulator.result()
    const wire = this.#inner.completedResponse
    if (answer !== undefined && wire !== undefined) this.#keep(answer, wire, this.#inner.completedResponseJson)
  }

  end (out: FrameSink): void {
    this.#inner.end(out)
  }
}
