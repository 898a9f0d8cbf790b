// The Anthropic Messages request Switchyard writes to an Anthropic backend (PROTOCOLS.md §3.1).
export interface CacheControlWire {
  readonly type: 'ephemeral'
  readonly ttl?: string
}

export type ImageSource =
  | { readonly type: 'base64', readonly media_type: string, readonly data: string }
  | { readonly type: 'url', readonly url: string }

export type DocumentSource =
  | { readonly type: 'base64', readonly media_type: 'application/pdf', readonly data: string }
  | { readonly type: 'url', readonly url: string }
  | { readonly type: 'text', readonly media_type: 'text/plain', readonly data: string }

export interface TextBlock { readonly type: 'text', readonly text: string, readonly cache_control?: CacheControlWire }
export interface ImageBlock { readonly type: 'image', readonly source: ImageSource, readonly cache_control?: CacheControlWire }
export interface DocumentBlock {
  readonly type: 'document'
  readonly source: DocumentSource
  readonly title?: string
  readonly cache_control?: CacheControlWire
}

export type ToolResultContentBlock = TextBlock | ImageBlock | DocumentBlock

export interface ToolResultBlock {
  readonly type: 'tool_result'
  readonly tool_use_id: string
  readonly content?: string | readonly ToolResultContentBlock[]
  readonly is_error?: boolean
  readonly cache_control?: CacheControlWire
}

export interface ToolUseBlock {
  readonly type: 'tool_use'
  readonly id: string
  readonly name: string
  readonly input: Readonly<Record<string, unknown>>
}

export type ThinkingBlock =
  | { readonly type: 'thinking', readonly thinking: string, readonly signature: string }
  | { readonly type: 'redacted_thinking', readonly data: string }

export type UserBlock = TextBlock | ImageBlock | DocumentBlock | ToolResultBlock
export type AssistantBlock = TextBlock | ToolUseBlock | ThinkingBlock
export type RequestBlock = UserBlock | AssistantBlock

export interface MessageParam {
  readonly role: 'user' | 'assistant'
  readonly content: readonly RequestBlock[]
}

export interface ToolParam {
  readonly name: string
  readonly description?: string
  readonly input_schema: Readonly<Record<string, unknown>>
  readonly strict?: boolean
  readonly cache_control?: CacheControlWire
}

export type ToolChoiceParam =
  | { readonly type: 'auto' | 'any', readonly disable_parallel_tool_use?: boolean }
  | { readonly type: 'tool', readonly name: string, readonly disable_parallel_tool_use?: boolean }
  | { readonly type: 'none' }

export type ThinkingParam =
  | { readonly type: 'enabled', readonly budget_tokens: number, readonly display?: 'summarized' | 'omitted' }
  | { readonly type: 'adaptive', readonly display?: 'summarized' | 'omitted' }
  | { readonly type: 'disabled' }

export interface OutputConfig {
  readonly effort?: string
  readonly format?: { readonly type: 'json_schema', readonly schema: Readonly<Record<string, unknown>> }
}

export interface MessagesBody {
  readonly model: string
  readonly max_tokens: number
  readonly system?: readonly TextBlock[]
  readonly messages: readonly MessageParam[]
  readonly tools?: readonly ToolParam[]
  readonly tool_choice?: ToolChoiceParam
  readonly thinking?: ThinkingParam
  readonly output_config?: OutputConfig
  readonly temperature?: number
  readonly top_p?: number
  readonly top_k?: number
  readonly stop_sequences?: readonly string[]
  readonly metadata?: { readonly user_id: string }
  readonly stream: boolean
}

export interface CountTokensBody {
  readonly model: string
  readonly messages: readonly MessageParam[]
  readonly system?: readonly TextBlock[]
  readonly tools?: readonly ToolParam[]
  readonly tool_choice?: ToolChoiceParam
  readonly thinking?: ThinkingParam
}
