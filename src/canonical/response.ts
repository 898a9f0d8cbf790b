import type { Finish } from './finish-reason.js'
import type { Usage } from './usage.js'

/** One finished content block of a non-streamed reply. */
export type ContentBlock =
  | { readonly type: 'text', readonly text: string }
  | { readonly type: 'reasoning', readonly text: string, readonly signature?: string }
  | { readonly type: 'tool-call', readonly id: string, readonly name: string, readonly arguments: string }

export interface CanonicalResponse {
  readonly id: string
  readonly model: string
  /** Unix seconds, computed once per response. */
  readonly created: number
  readonly content: readonly ContentBlock[]
  readonly finish: Finish
  readonly usage?: Usage
}
