// The subset of the Chat Completions wire format Switchyard writes (PROTOCOLS.md §1.2, §1.3).
export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call'

export interface ChatToolCall {
  readonly id: string
  readonly type: 'function'
  readonly function: { readonly name: string, readonly arguments: string }
}

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
  readonly refusal: null
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
