// The subset of the Responses wire format Switchyard writes (PROTOCOLS.md §2.2, §2.4). Field
// names follow openai-node 6.49's `Response` types.
import type { ReasoningEffort } from '../../canonical/request.js'

export type ResponseStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress'
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete'

export interface OutputText { readonly type: 'output_text', readonly text: string, readonly annotations: readonly [] }
export interface OutputRefusal { readonly type: 'refusal', readonly refusal: string }
export type MessageContent = OutputText | OutputRefusal
export interface SummaryText { readonly type: 'summary_text', readonly text: string }

export interface MessageItem {
  readonly type: 'message'
  readonly id: string
  readonly status: ItemStatus
  readonly role: 'assistant'
  readonly content: readonly MessageContent[]
}
export interface FunctionCallItem {
  readonly type: 'function_call'
  readonly id: string
  readonly call_id: string
  readonly name: string
  readonly arguments: string
  readonly status: ItemStatus
  readonly namespace?: string
}
export interface CustomToolCallItem {
  readonly type: 'custom_tool_call'
  readonly id: string
  readonly call_id: string
  readonly name: string
  /** Free text, not JSON (Codex `apply_patch`). */
  readonly input: string
  readonly status: ItemStatus
  readonly namespace?: string
}
export interface ReasoningItem {
  readonly type: 'reasoning'
  readonly id: string
  readonly summary: readonly SummaryText[]
  readonly encrypted_content?: string
}
export type OutputItem = MessageItem | FunctionCallItem | CustomToolCallItem | ReasoningItem

export interface ResponsesUsage {
  readonly input_tokens: number
  readonly input_tokens_details: { readonly cached_tokens: number }
  readonly output_tokens: number
  readonly output_tokens_details: { readonly reasoning_tokens: number }
  readonly total_tokens: number
}

export interface ResponseError { readonly code: string, readonly message: string }
export interface IncompleteDetails { readonly reason: 'max_output_tokens' | 'content_filter' }

export interface FunctionToolEcho {
  readonly type: 'function'
  readonly name: string
  readonly description?: string
  readonly parameters: Readonly<Record<string, unknown>> | null
  readonly strict: boolean | null
}
export interface CustomToolEcho {
  readonly type: 'custom'
  readonly name: string
  readonly description?: string
  readonly format?: Readonly<Record<string, unknown>>
}
export type ToolEcho = FunctionToolEcho | CustomToolEcho
export type ToolChoiceEcho = 'auto' | 'none' | 'required' | { readonly type: 'function' | 'custom', readonly name: string }

export type TextFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | {
    readonly type: 'json_schema'
    readonly name?: string
    readonly schema: Readonly<Record<string, unknown>>
    readonly strict: boolean | null
    readonly description?: string
  }

export interface TextConfig {
  readonly format: TextFormat
  readonly verbosity?: 'low' | 'medium' | 'high'
}

export interface ReasoningEcho {
  readonly effort: ReasoningEffort | null
  readonly summary: 'auto' | 'concise' | 'detailed' | null
}

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
  readonly previous_response_id: string | null
  readonly reasoning: ReasoningEcho
  readonly store: boolean
  readonly temperature: number | null
  readonly text: TextConfig
  readonly tool_choice: ToolChoiceEcho
  readonly tools: readonly ToolEcho[]
  readonly top_p: number | null
  readonly truncation: 'disabled'
  readonly usage: ResponsesUsage | null
  readonly user?: string
  readonly metadata: Readonly<Record<string, string>>
}
