import type { CanonicalError } from './error.js'
import type { Finish } from './finish-reason.js'
import type { ToolKind } from './request.js'
import type { Signature } from './signature.js'
import type { Usage } from './usage.js'

/**
 * The canonical stream (STYLE.md §2.3). Invariants every decoder guarantees and every encoder
 * relies on (enforced by test/unit/canonical/stream-invariants):
 * - `message-start` comes first, exactly once;
 * - blocks are opened with `block-start` and closed with one `block-end`, indexes 0,1,2… in
 *   start order; ONE block is open at a time (decoders buffer interleaved upstream tool calls);
 *   deltas and `signature` only target the open block;
 * - a tool-call block's `toolCallId` and `toolName` are known at `block-start`; its input arrives
 *   only as `tool-input-delta` fragments (JSON text that is not valid JSON on its own);
 * - `usage` may come any number of times; the latest is cumulative and wins;
 * - `message-end` is last, unless the stream fails, in which case `error` is last;
 * - `ping` may come anywhere: nothing happened, but the connection is alive.
 */
export type BlockKind = 'text' | 'refusal' | 'reasoning' | 'tool-call'

export type CanonicalEvent =
  | { readonly type: 'message-start', readonly id: string, readonly model: string, readonly created: number, readonly usage?: Usage }
  | {
    readonly type: 'block-start'
    readonly index: number
    readonly kind: BlockKind
    readonly toolCallId?: string
    readonly toolName?: string
    /** Tool-call blocks: absent means `function`. */
    readonly toolKind?: ToolKind
    /** Tool-call blocks: the Responses namespace of the called tool, when the upstream named one. */
    readonly toolNamespace?: string
    /** Reasoning blocks: Anthropic `redacted_thinking` (its data arrives as `signature`). */
    readonly redacted?: boolean
  }
  | { readonly type: 'text-delta', readonly index: number, readonly delta: string }
  | { readonly type: 'reasoning-delta', readonly index: number, readonly delta: string }
  | { readonly type: 'tool-input-delta', readonly index: number, readonly delta: string }
  /** The open reasoning (or Gemini tool-call) block's signature; sent once, before its `block-end`. */
  | { readonly type: 'signature', readonly index: number, readonly signature: Signature }
  | { readonly type: 'block-end', readonly index: number }
  | { readonly type: 'usage', readonly usage: Usage }
  | { readonly type: 'message-end', readonly finish: Finish }
  | { readonly type: 'error', readonly error: CanonicalError }
  | { readonly type: 'ping' }

export type CanonicalEventType = CanonicalEvent['type']
