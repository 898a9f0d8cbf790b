import type { Finish } from './finish-reason.js'
import type { AssistantPart } from './request.js'
import type { Usage } from './usage.js'

/**
 * One finished content block of a non-streamed reply, in the order the model produced them: the
 * same parts an assistant message holds in a request, so a reply goes back into history as is.
 */
export type ContentBlock = AssistantPart

export interface CanonicalResponse {
  readonly id: string
  readonly model: string
  /** Unix seconds, computed once per response. */
  readonly created: number
  readonly content: readonly ContentBlock[]
  readonly finish: Finish
  readonly usage?: Usage
}
