/** Why generation stopped, unified across dialects (PROTOCOLS.md §6.7). */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other'

export interface Finish {
  readonly reason: FinishReason
  /** The backend's own word (`end_turn`, `STOP`, …), kept for logs and same-dialect output. */
  readonly raw?: string
  /** The stop sequence that ended generation, when the backend reports it. */
  readonly stopSequence?: string
}
