/** One server-sent event as the wire carries it: an optional `event:` name and its data. */
export interface SseFrame {
  readonly event?: string
  readonly data: string
}
