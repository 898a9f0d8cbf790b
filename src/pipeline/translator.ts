// The translated streaming hot path (STYLE.md §2.10): upstream SSE bytes in, client SSE text
// out, through one SSE parser, one dialect stream decoder and one dialect stream encoder, written
// straight to the client's response (through src/http/chunked-sink.ts). The owner feeds it each
// upstream chunk (`feed`) and its end (`finish`), and pauses the upstream while the client is
// behind (the sink's `needsDrain`). No stream sits
// between it and the socket (issue 8): a Readable cost ~1 µs an upstream read (push, `data`,
// the listener that writes) and its end one more write and tick. What one socket read of the
// upstream translates leaves in one write (on the next tick): undici hands over each HTTP chunk
// of the upstream's body on its own, often one event each, all within that read, and a write per
// event cost a chunk header, buffering and iovecs for each (a Responses reply of 100 deltas went
// out in ~400 iovecs). `setImmediate` merged a little more and cost ~5 % of the CPU of slow
// streams, where every event is a read of its own. The
// last frames and the chunked terminator leave together. Memory per stream is bounded by the
// decoder's per-event limit, what one socket read holds, and the dialects' per-block state.
//
// Failures never end the client stream cleanly (PROTOCOLS.md §1.4e/§2.5e/§3.4e/§4.4e): a
// malformed upstream event or a dropped upstream becomes one error event in the client's
// dialect, then the end — never a made-up finish. While the upstream is silent, a keep-alive
// (Anthropic `ping`, an SSE comment elsewhere) goes out every `keepaliveMs` (§6.12).
import type { CanonicalError } from '../canonical/error.js'
import type { CanonicalEvent } from '../canonical/events.js'
import type { Usage } from '../canonical/usage.js'
import type { EventSink, FrameSink, StreamDecoder, StreamEncoder } from '../dialects/types.js'
import type { SseFrame } from '../sse/frame.js'
import { SseDecoder } from '../sse/decoder.js'
import { encodeSseText } from '../sse/encoder.js'
import { scrubKnownSecrets } from '../log/secrets.js'

const PING: CanonicalEvent = { type: 'ping' }

/** What a finished translator holds instead of its parts (see `#release`). */
const SPENT_SSE = { feed: (): SseFrame[] => [], end: (): SseFrame[] => [] }
const SPENT_DECODER: StreamDecoder = { push () {}, end () {} }
const SPENT_ENCODER: StreamEncoder = { push () {}, end () {} }
const NOTHING = (): void => {}

/** Where the client's text goes: its response, with the head already written (a ChunkedSink over it; a ServerResponse is one too). */
export interface TextSink {
  write (text: string): unknown
  /** The last text and the end of the reply. */
  end (text?: string): unknown
}

export interface TranslateOptions {
  readonly keepaliveMs: number
  /** Name used in protocol-error messages (the backend's, never its URL). */
  readonly backend: string
}

export class Translator {
  #sse: Pick<SseDecoder, 'feed' | 'end'> = new SseDecoder()
  #decoder: StreamDecoder
  #encoder: StreamEncoder
  readonly #sink: TextSink
  readonly #backend: string
  #toEncoder: EventSink
  #toClient: FrameSink
  #timer: NodeJS.Timeout | undefined
  #wrote = false
  /** Frames translated since the last write: written together, each one whole. */
  #pending = ''
  /** A write of `#pending` is scheduled for the next tick. */
  #flushing = false
  readonly #flush = (): void => {
    this.#flushing = false
    if (!this.#ended) this.#send()
  }
  /** The reply is over (end-of-message or error): nothing more is translated. */
  #closed = false
  /** The client's reply has ended (or the client left): nothing more is written. */
  #ended = false
  /**
   * Called once when the reply ended before the upstream's body did (its end-of-message, an error
   * event, an unreadable event): the owner lets the upstream go — an upstream that keeps its
   * connection open after its last event must not hold the client until its timeout.
   */
  onOver: () => void = NOTHING
  /** True once the upstream body ended and was fed whole (`finish`). */
  upstreamEnded = false
  /** The latest cumulative usage seen, for accounting once the stream is over. */
  usage: Usage | undefined = undefined
  /** True once the upstream reached its own end of message (not truncated, not failed). */
  completed = false
  /** The error the client was shown, if the stream failed. */
  failure: CanonicalError | undefined = undefined

  constructor (decoder: StreamDecoder, encoder: StreamEncoder, sink: TextSink, opts: TranslateOptions) {
    this.#decoder = decoder
    this.#encoder = encoder
    this.#sink = sink
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
      this.#schedule()
    }
    if (opts.keepaliveMs > 0) {
      this.#timer = setInterval(() => this.#tick(), opts.keepaliveMs)
      this.#timer.unref()
    }
  }

  /** True once the client's reply has ended, or the client left. */
  get ended (): boolean {
    return this.#ended
  }

  /** One upstream chunk: its complete events translated, written on the next tick with the rest of this socket read's. */
  feed (chunk: Buffer): void {
    if (this.#closed || this.#ended) return
    try {
      const frames = this.#sse.feed(chunk)
      for (let i = 0; i < frames.length && !this.#closed; i++) this.#decoder.push(frames[i]!, this.#toEncoder)
    } catch (err) {
      this.#protocolFailure(err)
    }
    if (!this.#closed) {
      this.#schedule()
      return
    }
    // Taken first: the end releases the translator's parts, `onOver` with them.
    const onOver = this.onOver
    this.#end()
    onOver()
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
    this.#end()
  }

  /** The upstream body failed (socket dropped, body timeout): tell the client, then end. */
  upstreamFailed (error: CanonicalError): void {
    if (this.#ended) return
    if (!this.#closed) this.#toEncoder({ type: 'error', error })
    this.#end()
  }

  /** The client went away: nothing more is translated or written. */
  abandon (): void {
    if (this.#ended) return
    this.#ended = true
    this.#pending = ''
    this.#stop()
    this.#release()
  }

  /** What is pending and the end, in one write. */
  #end (): void {
    if (this.#ended) return
    this.#ended = true
    this.#stop()
    const text = this.#pending
    this.#pending = ''
    if (text === '') this.#sink.end()
    else this.#sink.end(text)
    this.#release()
  }

  /**
   * Done: the decoders, the encoder and the closures over them go, and with them the request they
   * were made for. A finished translator stayed reachable for the young generation until the next
   * full GC (issue 8: streamed conversions promoted ~11 KB a request to the old generation, 3-5x
   * passthrough and whole conversions; what holds it was not found), so what it still points at
   * is what gets promoted. Calls after this find inert parts.
   */
  #release (): void {
    this.#sse = SPENT_SSE
    this.#decoder = SPENT_DECODER
    this.#encoder = SPENT_ENCODER
    this.#toEncoder = NOTHING
    this.#toClient = NOTHING
    this.onOver = NOTHING
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
    if (this.#closed || this.#ended) return
    if (!this.#wrote) {
      this.#encoder.push(PING, this.#toClient)
      this.#send()
    }
    this.#wrote = false
  }

  #schedule (): void {
    if (this.#pending === '' || this.#flushing) return
    this.#flushing = true
    process.nextTick(this.#flush)
  }

  /** Write what is pending now. */
  #send (): void {
    if (this.#pending === '') return
    this.#wrote = true
    const text = this.#pending
    this.#pending = ''
    this.#sink.write(text)
  }

  #stop (): void {
    if (this.#timer !== undefined) { clearInterval(this.#timer); this.#timer = undefined }
  }
}
