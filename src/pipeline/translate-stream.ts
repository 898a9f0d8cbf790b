// The translated streaming hot path (STYLE.md §2.10): upstream SSE bytes in, client SSE bytes
// out, in one Readable that owns one SSE parser, one dialect stream decoder and one dialect
// stream encoder. The owner feeds it each upstream chunk (`feed`) and its end (`finish`), and
// pauses the upstream while `feed` says the client is behind; `_read` asks for more
// (`onDemand`). A Transform between two pipes cost ~0.5 µs more per event (issue 8): its
// writable half buffers, calls back and ticks for every chunk. Memory per stream is bounded by
// the decoder's per-event limit and the dialects' per-block state.
//
// Failures never end the client stream cleanly (PROTOCOLS.md §1.4e/§2.5e/§3.4e/§4.4e): a
// malformed upstream event or a dropped upstream becomes one error event in the client's
// dialect, then the end — never a made-up finish. While the upstream is silent, a keep-alive
// (Anthropic `ping`, an SSE comment elsewhere) goes out every `keepaliveMs` (§6.12).
import { Readable } from 'node:stream'
import type { CanonicalError } from '../canonical/error.js'
import type { CanonicalEvent } from '../canonical/events.js'
import type { Usage } from '../canonical/usage.js'
import type { EventSink, FrameSink, StreamDecoder, StreamEncoder } from '../dialects/types.js'
import type { SseFrame } from '../sse/frame.js'
import { SseDecoder } from '../sse/decoder.js'
import { encodeSseText } from '../sse/encoder.js'
import { scrubKnownSecrets } from '../log/secrets.js'

const PING: CanonicalEvent = { type: 'ping' }

/** What a destroyed translator holds instead of its parts (see `#release`). */
const SPENT_SSE = { feed: (): SseFrame[] => [], end: (): SseFrame[] => [] }
const SPENT_DECODER: StreamDecoder = { push () {}, end () {} }
const SPENT_ENCODER: StreamEncoder = { push () {}, end () {} }
const NO_SINK = (): void => {}

export interface TranslateOptions {
  readonly keepaliveMs: number
  /** Name used in protocol-error messages (the backend's, never its URL). */
  readonly backend: string
}

export class TranslateStream extends Readable {
  #sse: Pick<SseDecoder, 'feed' | 'end'> = new SseDecoder()
  #decoder: StreamDecoder
  #encoder: StreamEncoder
  readonly #backend: string
  #toEncoder: EventSink
  #toClient: FrameSink
  #timer: NodeJS.Timeout | undefined
  #wrote = false
  /** Frames completed by the current upstream chunk: written together, each one whole. */
  #pending = ''
  #closed = false
  /** The client's stream has ended (pushed its end), early or with the upstream's. */
  #ended = false
  /** Called when the client wants more after `feed` returned false: resume the upstream. */
  onDemand: () => void = () => {}
  /** True once the upstream body ended and was fed whole (`finish`). */
  upstreamEnded = false
  /** The latest cumulative usage seen, for accounting once the stream is over. */
  usage: Usage | undefined = undefined
  /** True once the upstream reached its own end of message (not truncated, not failed). */
  completed = false
  /** The error the client was shown, if the stream failed. */
  failure: CanonicalError | undefined = undefined

  constructor (decoder: StreamDecoder, encoder: StreamEncoder, opts: TranslateOptions) {
    // Its output is strings, written to the client as they are: a Buffer made of each batch
    // would be copied once more and left to the GC.
    super({ objectMode: true })
    this.#decoder = decoder
    this.#encoder = encoder
    this.#backend = opts.backend
    // Bound once: the dialects call these for every event and frame.
    this.#toClient = frame => { this.#pending += encodeSseText(frame) }
    this.#toEncoder = event => {
      this.#observe(event)
      // An upstream's in-stream error message can echo the key it was sent.
      this.#encoder.push(event.type === 'error' ? { type: 'error', error: { ...event.error, message: scrubKnownSecrets(event.error.message) } } : event, this.#toClient)
    }
    // The upstream has answered: dialects with opening events send them now (Codex gives up on
    // a connection silent for ~5 s, and a thinking model can be silent longer than that).
    if (encoder.open !== undefined) {
      encoder.open(this.#toClient)
      this.#send()
    }
    if (opts.keepaliveMs > 0) {
      this.#timer = setInterval(() => this.#tick(), opts.keepaliveMs)
      this.#timer.unref()
    }
  }

  /**
   * One upstream chunk: its complete events translated and pushed as one string. False when the
   * client is behind: the owner pauses the upstream until `onDemand`.
   */
  feed (chunk: Buffer): boolean {
    if (this.#closed || this.destroyed) return true
    try {
      const frames = this.#sse.feed(chunk)
      for (let i = 0; i < frames.length && !this.#closed; i++) this.#decoder.push(frames[i]!, this.#toEncoder)
    } catch (err) {
      this.#protocolFailure(err)
    }
    const more = this.#send()
    if (this.#closed) this.#over()
    return more
  }

  /** The upstream body ended: a last event without its blank line counts, then the end. */
  finish (): void {
    this.upstreamEnded = true
    if (this.#ended) return
    if (!this.#closed) {
      try {
        const frames = this.#sse.end()
        for (let i = 0; i < frames.length && !this.#closed; i++) this.#decoder.push(frames[i]!, this.#toEncoder)
        if (!this.#closed) this.#decoder.end(this.#toEncoder)
      } catch (err) {
        this.#protocolFailure(err)
      }
      // Without message-end or error the encoder renders the truncation itself.
      if (!this.#closed) this.#encoder.end(this.#toClient)
    }
    this.#send()
    this.#end()
  }

  override _read (): void {
    this.onDemand()
  }

  /**
   * The reply is over (its end-of-message, an error event, an unreadable event): the client's
   * stream ends now, and `over` tells the owner to let the upstream go — an upstream that keeps
   * its connection open after its last event must not hold the client until its timeout.
   */
  #over (): void {
    if (this.#ended) return
    this.#end()
    this.emit('over')
  }

  #end (): void {
    if (this.#ended) return
    this.#ended = true
    this.#stop()
    this.push(null)
  }

  override _destroy (err: Error | null, done: (error: Error | null) => void): void {
    this.#stop()
    this.#release()
    done(err)
  }

  /**
   * Done (ended and read, or destroyed): the decoders, the encoder and the closures over them go,
   * and with them the request they were made for. A finished translator stayed reachable for the
   * young generation until the next full GC (issue 8: streamed conversions promoted ~11 KB a
   * request to the old generation, 3-5x passthrough and whole conversions; what holds it was not
   * found), so what it still points at is what gets promoted. Calls after this find inert parts.
   */
  #release (): void {
    this.#sse = SPENT_SSE
    this.#decoder = SPENT_DECODER
    this.#encoder = SPENT_ENCODER
    this.#toEncoder = NO_SINK
    this.#toClient = NO_SINK
    this.onDemand = NO_SINK
  }

  /** The upstream body failed (socket dropped, body timeout): tell the client, then end. */
  upstreamFailed (error: CanonicalError): void {
    if (this.destroyed || this.#ended) return
    if (!this.#closed) this.#toEncoder({ type: 'error', error })
    this.#send()
    this.#end()
  }

  #observe (event: CanonicalEvent): void {
    switch (event.type) {
      case 'usage': this.usage = event.usage; return
      case 'message-start': if (event.usage !== undefined) this.usage = event.usage; return
      case 'message-end': this.completed = true; this.#closed = true; return
      case 'error': this.failure = event.error; this.#closed = true
    }
  }

  #protocolFailure (err: unknown): void {
    if (this.#closed) return
    const reason = err instanceof Error ? err.message : String(err)
    this.#toEncoder({ type: 'error', error: { kind: 'server_error', status: 502, message: `backend ${this.#backend} sent an invalid stream: ${reason}` } })
  }

  #tick (): void {
    if (this.#closed) return
    if (!this.#wrote) {
      this.#encoder.push(PING, this.#toClient)
      this.#send()
    }
    this.#wrote = false
  }

  /** Push what the last chunk completed; false when the client's buffer is full. */
  #send (): boolean {
    if (this.#pending === '') return true
    this.#wrote = true
    const more = this.push(this.#pending)
    this.#pending = ''
    return more
  }

  #stop (): void {
    if (this.#timer !== undefined) { clearInterval(this.#timer); this.#timer = undefined }
  }
}
