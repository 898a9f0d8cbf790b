import type { Finish } from './finish-reason.js'
import type { Signature } from './signature.js'
import type { ToolKind } from './request.js'
import type { Usage } from './usage.js'

/** One finished content block of a non-streamed reply, in the order the model produced them. */
export type ContentBlock =
  | { readonly type: 'text', readonly text: string }
  | { readonly type: 'refusal', readonly text: string }
  | { readonly type: 'reasoning', readonly text: string, readonly signature?: Signature, readonly redacted?: boolean }
  | {
    readonly type: 'tool-call'
    readonly id: string
    readonly name: string
    /** JSON text (`""` = no arguments), or raw text for `custom` tools. */
    readonly arguments: string
    readonly toolKind?: ToolKind
    readonly signature?: Signature
  }

export interface CanonicalResponse {
  readonly id: string
  readonly model: string
  /** Unix seconds, computed once per response. */
  readonly created: number
  readonly content: readonly ContentBlock[]
  readonly finish: Finish
  readonly usage?: Usage
}
