// Typing aids for stream encoders: one small method per canonical event type (STYLE.md §2.15).
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalEvent, CanonicalEventType } from '../../canonical/events.js'
import type { ContentBlock } from '../../canonical/response.js'

export type EventOf<T extends CanonicalEventType> = Extract<CanonicalEvent, { readonly type: T }>

/**
 * `end()` without `message-end` or `error`: the upstream stream broke off. Truncation must be
 * visible to the client (STYLE.md §2.16 #3), so encoders render this as the dialect's error.
 */
export const STREAM_TRUNCATED: CanonicalError = {
  kind: 'server_error',
  status: 502,
  message: 'the backend stream ended before the response was complete',
}

/** §6.7: a reply with ≥1 tool call ends with the tool reason, whatever the backend said. */
export function hasToolCall (content: readonly ContentBlock[]): boolean {
  for (const block of content) if (block.type === 'tool-call') return true
  return false
}
