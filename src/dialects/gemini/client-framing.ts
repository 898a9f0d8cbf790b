// How a Gemini stream reaches the client (PROTOCOLS.md §4.1, §4.3). With `alt=sse` (js-genai
// always sends it): data-only SSE frames, no `[DONE]`. Without it Gemini streams ONE JSON
// array, `[{…}` then `,\r\n{…}` per chunk and `]` at the end, as Google's servers write it; the
// frames are written raw. The array is closed after an error element or a truncation too, so
// the body always parses as JSON; a keep-alive is whitespace, which is valid between tokens.
import type { FrameSink, StreamFraming } from '../types.js'
import { KEEPALIVE_COMMENT, type SseFrame } from '../../sse/frame.js'

/** `alt=sse` anywhere in the query (without `?`) → SSE; otherwise a JSON array. */
export function streamFraming (query: string): StreamFraming {
  return new URLSearchParams(query).get('alt') === 'sse' ? 'sse' : 'json-array'
}

const ARRAY_KEEPALIVE: SseFrame = { data: '\n', raw: true }

/** Writes one stream's chunks (serialised GenerateContentResponse JSON) in its framing. */
export class ChunkWriter {
  private readonly array: boolean
  /** JSON array: `[` is written. */
  private opened = false
  /** JSON array: an element is written (the next needs a separator). */
  private written = false

  constructor (framing: StreamFraming) {
    this.array = framing === 'json-array'
  }

  /** The upstream answered: a JSON array can start now. */
  open (out: FrameSink): void {
    if (!this.array || this.opened) return
    this.opened = true
    out({ data: '[', raw: true })
  }

  chunk (json: string, out: FrameSink): void {
    out(this.array ? { data: this.element(json), raw: true } : { data: json })
  }

  /** The final chunk (or error object): closes a JSON array. */
  last (json: string, out: FrameSink): void {
    out(this.array ? { data: this.element(json) + ']', raw: true } : { data: json })
  }

  keepalive (out: FrameSink): void {
    out(this.array ? ARRAY_KEEPALIVE : KEEPALIVE_COMMENT)
  }

  private element (json: string): string {
    const head = this.opened ? this.written ? ',\r\n' : '' : '['
    this.opened = true
    this.written = true
    return head + json
  }
}
