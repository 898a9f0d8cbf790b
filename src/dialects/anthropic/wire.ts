// The subset of the Anthropic Messages wire format Switchyard writes as a client-facing server
// (PROTOCOLS.md §3.2, §3.3). The request shapes it writes as a backend client are in
// wire-request.ts; what it reads from upstreams is narrowed from `unknown` where it is read.
export type StopReason =
  | 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded'

export type AnthropicBlock =
  | { readonly type: 'text', readonly text: string }
  | { readonly type: 'thinking', readonly thinking: string, readonly signature: string }
  | { readonly type: 'redacted_thinking', readonly data: string }
  | { readonly type: 'tool_use', readonly id: string, readonly name: string, readonly input: Readonly<Record<string, unknown>> }

/** `input_tokens` EXCLUDES cache reads and writes (§3.2, §6.8). */
export interface AnthropicUsage {
  readonly input_tokens: number
  readonly output_tokens: number
  readonly cache_creation_input_tokens: number
  readonly cache_read_input_tokens: number
}

export interface AnthropicMessage {
  readonly id: string
  readonly type: 'message'
  readonly role: 'assistant'
  readonly model: string
  readonly content: readonly AnthropicBlock[]
  readonly stop_reason: StopReason
  readonly stop_sequence: string | null
  readonly usage: AnthropicUsage & {
    readonly cache_creation: { readonly ephemeral_5m_input_tokens: number, readonly ephemeral_1h_input_tokens: number }
    readonly service_tier: 'standard'
  }
}

export interface AnthropicErrorBody {
  readonly type: 'error'
  readonly error: { readonly type: string, readonly message: string }
  readonly request_id: string | null
}
