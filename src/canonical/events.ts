import type { CanonicalError } from './error.js'
import type { Finish } from './finish-reason.js'
import type { Usage } from './usage.js'

/**
 * The canonical stream (STYLE.md §2.3). Invariants every decoder guarantees and every encoder
 * relies on (enforced by the conformance suite):
 * - `message-start` comes first, exactly once;
 * - blocks are opened with `block-start` and closed with one `block-end`, indexes 0,1,2… in
 *   start order, and deltas only target an open block;
 * - `message-end` is last, unless the stream fails, in which case `error` is last.
 */
export type BlockKind = 'text' | 'reasoning' | 'tool-call'

export type CanonicalEvent =
  | { readonly type: 'message-start', readonly id: string, readonly model: string, readonly created: number, readonly usage?: Usage }
  | { readonly type: 'block-start', readonly index: number, readonly kind: BlockKind, readonly toolCallId?: string, readonly toolName?: string }
  | { readonly type: 'text-delta', readonly index: number, readonly delta: string }
  | { readonly type: 'reasoning-delta', readonly index: number, readonly delta: string }
  | { readonly type: 'tool-input-delta', readonly index: number, readonly delta: string }
  | { readonly type: 'block-end', readonly index: number }
  | { readonly type: 'usage', readonly usage: Usage }
  | { readonly type: 'message-end', readonly finish: Finish }
  | { readonly type: 'error', readonly error: CanonicalError }

export type CanonicalEventType = CanonicalEvent['type']
