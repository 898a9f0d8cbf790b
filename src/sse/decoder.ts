// Bytes → SSE frames (STYLE.md §2.5; PROTOCOLS.md §0, §7.17, §7.18). One decoder per upstream
// stream, fed each network chunk once: a StringDecoder keeps a UTF-8 character split across
// chunks whole (invalid bytes become U+FFFD; 60 ns a chunk where a streaming TextDecoder took
// 215, issue 8), a leading byte-order mark is dropped as the SSE spec says, and
// eventsource-parser handles lines and events split anywhere, CR/LF/CRLF,
// comments and multi-line data. Upstream comments (`: keepalive`, `: OPENROUTER PROCESSING`) are
// dropped here (§7.33): our own keep-alives are the client encoder's business.
import { StringDecoder } from 'node:string_decoder'
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser'
import type { SseFrame } from './frame.js'

/** A single upstream event larger than this is a runaway stream, not a reply. */
export const MAX_SSE_EVENT_BYTES = 8 * 1024 * 1024

export class SseEventTooLarge extends Error {
  constructor (limit: number) {
    super(`an upstream event exceeded ${limit} bytes`)
    this.name = 'SseEventTooLarge'
  }
}

const BOM = 0xfeff

export class SseDecoder {
  readonly #text = new StringDecoder('utf8')
  #first = true
  readonly #parser: EventSourceParser
  #frames: SseFrame[] = []
  #failure: Error | undefined = undefined

  constructor (maxEventBytes = MAX_SSE_EVENT_BYTES) {
    this.#parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        this.#frames.push(message.event === undefined ? { data: message.data } : { event: message.event, data: message.data })
      },
      onError: err => {
        // Unknown fields and bad `retry:` values are tolerated, as browsers do; only size matters.
        if (err.type === 'max-buffer-size-exceeded') this.#failure = new SseEventTooLarge(maxEventBytes)
      },
      maxBufferSize: maxEventBytes,
    })
  }

  /** Feed one network chunk; returns the frames it completed (possibly none). */
  feed (chunk: Uint8Array): SseFrame[] {
    // After a failure the parser's state is undefined: the same failure, every time.
    if (this.#failure !== undefined) throw this.#failure
    let text = this.#text.write(chunk as Buffer)
    if (this.#first && text !== '') {
      this.#first = false
      if (text.charCodeAt(0) === BOM) text = text.slice(1)
    }
    this.#parser.feed(text)
    return this.#take()
  }

  /** The stream ended: a final event without its blank line still counts (as browsers do). */
  end (): SseFrame[] {
    if (this.#failure !== undefined) throw this.#failure
    const rest = this.#text.end()
    // Two line ends: one completes a pending line, the second dispatches a pending event.
    this.#parser.feed(rest + '\n\n')
    return this.#take()
  }

  #take (): SseFrame[] {
    if (this.#failure !== undefined) throw this.#failure
    const frames = this.#frames
    if (frames.length !== 0) this.#frames = []
    return frames
  }
}
