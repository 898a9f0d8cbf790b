// The translated streaming hot path (STYLE.md §2.10): upstream SSE bytes in, client SSE bytes
// out, in one Transform that owns one SSE parser, one dialect stream decoder and one dialect
// stream encoder. Backpressure is the Transform's; memory per stream is bounded by the
// decoder's per-event limit and the dialects' per-block state.
//
// Failures never end the client stream cleanly (PROTOCOLS.md §1.4e/§2.5e/§3.4e/§4.4e): a
// malformed upstream event or a dropped upstream becomes one error event in the client's
// dialect, then the end — never a made-up finish. While the upstream is silent, a keep-alive
// (Anthropic `ping`, an SSE comment elsewhere) goes out every `keepaliveMs` (§6.12).
import { Transform, type TransformCallback } from 'node:stream'
import type { CanonicalError } from '../canonical/error.js'
import type { CanonicalEvent } from '../canonical/events.js'
import type { Usage } from '../canonical/usage.js'
import type { EventSink, FrameSink, StreamDecoder, StreamEncoder } from '../dialects/types.js'
import { SseDecoder } from '../sse/decoder.js'
import { encodeSseText } from '../sse/encoder.js'
import { scrubKnownSecrets } from '../log/secrets.js'

const PING: CanonicalEvent = { type: 'ping' }

export interface TranslateOptions {
  readonly keepaliveMs: number
  /** Name used in protocol-error messages (the backend's, never its URL). */
  readonly backend: string
}

export class TranslateStream extends Transform {
  readonly #sse = new SseDecoder()
  readonly #decoder: StreamDecoder
  readonly #encoder: StreamEncoder
  readonly #backend: string
  readonly #toEncoder: EventSink
  readonly #toClient: FrameSink
  #timer: NodeJS.Timeout | undefined
  #wrote = false
  /** Frames completed by the current upstream chunk: written together, each one whole. */
  #pending = ''
  #closed = false
  /** The client's stream was ended early, the reply being over before the upstream ended. */
  #ended = false
  /** The latest cumulative usage seen, for accounting once the stream is over. */
  usage: Usage | undefined = undefined
  /** True once the upstream reached its own end of message (not truncated, not failed). */
  completed = false
  /** The error the client was shown, if the stream failed. */
  failure: CanonicalError | undefined = undefined

  constructor (decoder: StreamDecoder, encoder: StreamEncoder, opts: TranslateOptions) {
    // Its output is strings, written to the client as they are: a Buffer made of each batch
    // would be copied once more and left to the GC.
    super({ readableObjectMode: true })
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

  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.#closed) { done(); return }
    try {
      const frames = this.#sse.feed(chunk)
      for (let i = 0; i < frames.length && !this.#closed; i++) this.#decoder.push(frames[i]!, this.#toEncoder)
    } catch (err) {
      this.#protocolFailure(err)
    }
    this.#send()
    if (this.#closed) this.#over()
    done()
  }

  /**
   * The reply is over (its end-of-message, an error event, an unreadable event): the client's
   * stream ends now, and `over` tells the owner to let the upstream go — an upstream that keeps
   * its connection open after its last event must not hold the client until its timeout.
   */
  #over (): void {
    if (this.#ended) return
    this.#ended = true
    this.#stop()
    this.push(null)
    this.emit('over')
  }

  override _flush (done: TransformCallback): void {
    if (this.#ended) { done(); return }
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
    this.#stop()
    done()
  }

  override _destroy (err: Error | null, done: (error: Error | null) => void): void {
    this.#stop()
    done(err)
  }

  /** The upstream body failed (socket dropped, body timeout): tell the client, then end. */
  upstreamFailed (error: CanonicalError): void {
    if (this.destroyed || this.writableEnded || this.#ended) return
    if (!this.#closed) this.#toEncoder({ type: 'error', error })
    this.#send()
    this.end()
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

  #send (): void {
    if (this.#pending === '') return
    this.#wrote = true
    this.push(this.#pending)
    this.#pending = ''
  }

  #stop (): void {
    if (this.#timer !== undefined) { clearInterval(this.#timer); this.#timer = undefined }
  }
}
