// The subset of the Chat Completions wire format Switchyard writes (PROTOCOLS.md §1.2, §1.3).
export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call'

export interface ChatFunctionCall {
  readonly id: string
  readonly type: 'function'
  readonly function: { readonly name: string, readonly arguments: string }
}

/** Freeform (custom tool) call: raw input text, not JSON (non-streamed replies only). */
export interface ChatCustomCall {
  readonly id: string
  readonly type: 'custom'
  readonly custom: { readonly name: string, readonly input: string }
}

export type ChatToolCall = ChatFunctionCall | ChatCustomCall

export interface ChatUsage {
  readonly prompt_tokens: number
  readonly completion_tokens: number
  readonly total_tokens: number
  readonly prompt_tokens_details: { readonly cached_tokens: number, readonly audio_tokens: number, readonly cache_write_tokens?: number }
  readonly completion_tokens_details: {
    readonly reasoning_tokens: number
    readonly audio_tokens: number
    readonly accepted_prediction_tokens: number
    readonly rejected_prediction_tokens: number
  }
}

export interface ChatMessage {
  readonly role: 'assistant'
  readonly content: string | null
  readonly refusal: string | null
  readonly tool_calls?: readonly ChatToolCall[]
  readonly annotations: readonly []
}

export interface ChatCompletion {
  readonly id: string
  readonly object: 'chat.completion'
  readonly created: number
  readonly model: string
  readonly choices: ReadonlyArray<{
    readonly index: number
    readonly message: ChatMessage
    readonly logprobs: null
    readonly finish_reason: ChatFinishReason
  }>
  readonly usage?: ChatUsage
}

// ---- What the backend half sends (PROTOCOLS.md §1.1) ----

export type ChatContentPart =
  | { readonly type: 'text', readonly text: string }
  | { readonly type: 'image_url', readonly image_url: { readonly url: string, readonly detail?: string } }
  | { readonly type: 'file', readonly file: { readonly file_data: string, readonly filename?: string } }

export type ChatRequestMessage =
  | { readonly role: 'system', readonly content: string }
  | { readonly role: 'user', readonly content: string | readonly ChatContentPart[] }
  | {
    readonly role: 'assistant'
    readonly content: string | null
    readonly refusal?: string
    readonly tool_calls?: readonly ChatFunctionCall[]
  }
  | { readonly role: 'tool', readonly tool_call_id: string, readonly content: string }

export interface ChatFunctionTool {
  readonly type: 'function'
  readonly function: {
    readonly name: string
    readonly description?: string
    readonly parameters?: Readonly<Record<string, unknown>>
    readonly strict?: boolean
  }
}

export type ChatToolChoice = 'none' | 'auto' | 'required' | { readonly type: 'function', readonly function: { readonly name: string } }
