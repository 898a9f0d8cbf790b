/**
 * One server-sent event as the wire carries it: an optional `event:` name and its data. A frame
 * with `comment` is a `: comment` line instead (keep-alives; every SSE parser ignores them).
 */
export interface SseFrame {
  readonly event?: string
  readonly data: string
  readonly comment?: string
  /** `data` is written as it is, without SSE framing (Gemini's JSON-array stream). */
  readonly raw?: true
  /**
   * `data` is JSON text, which has no line break (JSON.stringify escapes them): it is written as
   * one `data:` line without being searched for one. Set by the encoders' per-delta frames, where
   * that search (and the copy of a concatenated string it forces) was ~8 % of a translated event.
   */
  readonly json?: true
}

/** The keep-alive comment for dialects without a ping event (PROTOCOLS.md §6.12). */
export const KEEPALIVE_COMMENT: SseFrame = { data: '', comment: 'keepalive' }
