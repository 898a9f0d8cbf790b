// The subset of the Responses wire format Switchyard writes (PROTOCOLS.md §2.2, §2.4).
export type ResponseStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress'
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete'

export interface OutputText { readonly type: 'output_text', readonly text: string, readonly annotations: readonly [] }
export interface SummaryText { readonly type: 'summary_text', readonly text: string }

export interface MessageItem {
  readonly type: 'message'
  readonly id: string
  readonly status: ItemStatus
  readonly role: 'assistant'
  readonly content: readonly OutputText[]
}
export interface FunctionCallItem {
  readonly type: 'function_call'
  readonly id: string
  readonly call_id: string
  readonly name: string
  readonly arguments: string
  readonly status: ItemStatus
}
export interface ReasoningItem {
  readonly type: 'reasoning'
  readonly id: string
  readonly summary: readonly SummaryText[]
}
export type OutputItem = MessageItem | FunctionCallItem | ReasoningItem

export interface ResponsesUsage {
  readonly input_tokens: number
  readonly input_tokens_details: { readonly cached_tokens: number }
  readonly output_tokens: number
  readonly output_tokens_details: { readonly reasoning_tokens: number }
  readonly total_tokens: number
}

export interface ResponseError { readonly code: string, readonly message: string }
export interface IncompleteDetails { readonly reason: 'max_output_tokens' | 'content_filter' }

export interface WireResponse {
  readonly id: string
  readonly object: 'response'
  readonly created_at: number
  readonly status: ResponseStatus
  readonly background: false
  readonly error: ResponseError | null
  readonly incomplete_details: IncompleteDetails | null
  readonly instructions: string | null
  readonly max_output_tokens: number | null
  readonly model: string
  readonly output: readonly OutputItem[]
  readonly parallel_tool_calls: boolean
  readonly previous_response_id: null
  readonly reasoning: { readonly effort: null, readonly summary: null }
  readonly store: false
  readonly temperature: number | null
  readonly text: { readonly format: { readonly type: 'text' } }
  readonly tool_choice: 'auto'
  readonly tools: readonly []
  readonly top_p: number | null
  readonly truncation: 'disabled'
  readonly usage: ResponsesUsage | null
  readonly metadata: Readonly<Record<string, string>>
}
