// The `response` object of §2.2, shared by the non-streaming body and every lifecycle event.
// Request-derived fields echo the canonical request; no defaults are invented (`null`).
import type { CanonicalRequest } from '../../canonical/request.js'
import type { OutputItem, ResponseError, ResponseStatus, ResponsesUsage, IncompleteDetails, WireResponse } from './wire.js'

/** Fixed per response: computed once. */
export interface ResponseHead {
  readonly id: string
  readonly createdAt: number
  readonly model: string
}

export interface ResponseState {
  readonly status: ResponseStatus
  readonly output: readonly OutputItem[]
  readonly usage: ResponsesUsage | null
  readonly error?: ResponseError | undefined
  readonly incomplete?: IncompleteDetails | null
}

/**
 * `instructions` echoes the canonical system prompt: Responses `instructions` and any
 * system/developer input messages were merged into it by decode-request.ts.
 */
function instructionsOf (req: CanonicalRequest): string | null {
  return req.system.length === 0 ? null : req.system.map(p => p.text).join('\n\n')
}

export function responseObject (head: ResponseHead, req: CanonicalRequest, state: ResponseState): WireResponse {
  return {
    id: head.id,
    object: 'response',
    created_at: head.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incomplete ?? null,
    instructions: instructionsOf(req),
    max_output_tokens: req.maxTokens ?? null,
    model: head.model,
    output: state.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    // Switchyard keeps no responses (see IGNORED_FIELDS.store).
    store: false,
    temperature: req.temperature ?? null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: req.topP ?? null,
    truncation: 'disabled',
    usage: state.usage,
    metadata: {},
  }
}
