/**
 * The canonical request: what every client dialect decodes into and every backend dialect
 * encodes from (STYLE.md §2.3; PROTOCOLS.md §6). It is richer than any single dialect so nothing
 * is lost on the way through: tool call ids, reasoning with its signature, cache hints, images,
 * documents, refusals. Absent stays absent: decoders never invent defaults, and a backend
 * encoder that cannot carry a present field rejects the request naming it.
 *
 * Invariants decoders guarantee and encoders rely on:
 * - system/developer text from anywhere in the conversation is hoisted, in order, into `system`;
 * - `messages` alternate freely (encoders merge same-role runs where their dialect needs it);
 * - tool results live in `user` messages, tool calls and reasoning in `assistant` messages;
 * - empty text parts are dropped;
 * - tool-call `arguments` is the JSON text of the arguments (`""` means none), or the raw free
 *   text for a `custom` (Responses freeform) tool.
 */
import type { Signature } from './signature.js'

export type Role = 'user' | 'assistant'

/** Anthropic prompt-cache breakpoint; other backends drop it (PROTOCOLS.md §6.10). */
export interface CacheControl {
  readonly type: 'ephemeral'
  readonly ttl?: string
}

export interface TextPart {
  readonly type: 'text'
  readonly text: string
  readonly cacheControl?: CacheControl
}

export interface ImagePart {
  readonly type: 'image'
  /** `data:<mime>;base64,…` or an http(s) URL, as the client sent it (§6.2). */
  readonly url: string
  /** OpenAI's `detail`; no other dialect has it. */
  readonly detail?: string
  readonly cacheControl?: CacheControl
}

/** A file such as a PDF (Chat `file`, Responses `input_file`, Anthropic `document`, Gemini inlineData). */
export interface DocumentPart {
  readonly type: 'document'
  /** `data:<mime>;base64,…`, an http(s) URL, or absent when `text` carries a plain-text document. */
  readonly url?: string
  readonly text?: string
  readonly filename?: string
  readonly title?: string
  readonly cacheControl?: CacheControl
}

/** The model's refusal text (Chat `refusal`, Responses `refusal` part). Assistant only. */
export interface RefusalPart {
  readonly type: 'refusal'
  readonly text: string
}

/**
 * Reasoning the model produced (Anthropic thinking, Responses reasoning item, Chat
 * `reasoning_content`, Gemini thought parts). Assistant only. `signature` is the opaque proof
 * its provider minted; it is replayed only to a backend of the same family (§6.9).
 */
export interface ReasoningPart {
  readonly type: 'reasoning'
  /** Thinking text, or the summary text when that is all the provider shows. */
  readonly text: string
  readonly signature?: Signature
  /** Anthropic `redacted_thinking`: no text, the whole block is the signature's data. */
  readonly redacted?: boolean
}

export type ToolKind = 'function' | 'custom'

export interface ToolCallPart {
  readonly type: 'tool-call'
  /** The client's id, verbatim; backend encoders map it when their dialect needs another form. */
  readonly id: string
  readonly name: string
  /** JSON text of the arguments (`""` = none); raw input text for `custom` tools. */
  readonly arguments: string
  /** Absent means `function`. */
  readonly toolKind?: ToolKind
  /** Gemini `thoughtSignature` riding on the call part. */
  readonly signature?: Signature
  /** Responses namespace the called tool belongs to (see `FunctionTool.namespace`). */
  readonly namespace?: string
}

export type ToolResultContent = TextPart | ImagePart | DocumentPart

export interface ToolResultPart {
  readonly type: 'tool-result'
  readonly toolCallId: string
  /** The called tool's name when the dialect carries it (Gemini needs it; §6.5). */
  readonly name?: string
  readonly content: readonly ToolResultContent[]
  readonly isError?: boolean
  readonly cacheControl?: CacheControl
}

export type UserPart = TextPart | ImagePart | DocumentPart | ToolResultPart
export type AssistantPart = TextPart | RefusalPart | ReasoningPart | ToolCallPart
export type Part = UserPart | AssistantPart

export type CanonicalMessage =
  | { readonly role: 'user', readonly parts: readonly UserPart[] }
  | { readonly role: 'assistant', readonly parts: readonly AssistantPart[] }

export interface FunctionTool {
  readonly kind: 'function'
  readonly name: string
  readonly description?: string
  /** JSON Schema of the arguments object, as the client sent it. */
  readonly parameters?: Readonly<Record<string, unknown>>
  readonly strict?: boolean
  readonly cacheControl?: CacheControl
  /**
   * Responses `namespace` tool group this tool came from. Backends without namespaces see the
   * flattened name `<namespace>__<name>` (shared/namespaces.ts); the Responses client encoder
   * splits it back using the request's tools.
   */
  readonly namespace?: string
}

/** Responses freeform tool (Codex `apply_patch`): the model writes raw text, not JSON. */
export interface CustomTool {
  readonly kind: 'custom'
  readonly name: string
  readonly description?: string
  /** `{type:"text"}` or a grammar, kept as sent. */
  readonly format?: Readonly<Record<string, unknown>>
  readonly namespace?: string
}

export type ToolDefinition = FunctionTool | CustomTool

export type ToolChoice =
  | { readonly type: 'auto' }
  | { readonly type: 'none' }
  | { readonly type: 'required' }
  | { readonly type: 'tool', readonly name: string }

/** OpenAI's effort words, the lingua franca of reasoning settings (§6.9). */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max'

export interface ReasoningConfig {
  /** `off`: no thinking; `on`: thinking with `effort` and/or `budgetTokens`; `adaptive`: the model decides. */
  readonly mode: 'off' | 'on' | 'adaptive'
  readonly effort?: ReasoningEffort
  /** Anthropic `budget_tokens`, Gemini `thinkingBudget`. */
  readonly budgetTokens?: number
  /** Responses `reasoning.summary`. */
  readonly summary?: 'auto' | 'concise' | 'detailed'
  /** Whether the client wants to see reasoning (Gemini `includeThoughts`, Anthropic `display`). */
  readonly visible?: boolean
}

export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | {
    readonly type: 'json_schema'
    readonly schema: Readonly<Record<string, unknown>>
    readonly name?: string
    readonly description?: string
    readonly strict?: boolean
  }

export interface CanonicalRequest {
  readonly model: string
  readonly system: readonly TextPart[]
  readonly messages: readonly CanonicalMessage[]
  readonly stream: boolean
  readonly maxTokens?: number
  readonly temperature?: number
  readonly topP?: number
  /** Anthropic and Gemini only. */
  readonly topK?: number
  readonly stop?: readonly string[]
  readonly seed?: number
  readonly presencePenalty?: number
  readonly frequencyPenalty?: number
  readonly tools?: readonly ToolDefinition[]
  readonly toolChoice?: ToolChoice
  readonly parallelToolCalls?: boolean
  readonly reasoning?: ReasoningConfig
  readonly responseFormat?: ResponseFormat
  /** End-user id (Chat `user`/`safety_identifier`, Anthropic `metadata.user_id`). */
  readonly user?: string
  /** Chat Completions `stream_options.include_usage`: the client wants a usage chunk. */
  readonly includeUsage?: boolean
  /**
   * Responses `include:["reasoning.encrypted_content"]`: reasoning comes back with its opaque
   * proof (`encrypted_content`) so a stateless client can replay it.
   */
  readonly encryptedReasoning?: boolean
  /** OpenAI `verbosity` (Chat) / `text.verbosity` (Responses); other backends drop it. */
  readonly verbosity?: 'low' | 'medium' | 'high'
  /**
   * Responses `previous_response_id`, set only when the gateway's response store serves the
   * request (plugins/handlers/responses-state.ts). The stored conversation is already expanded
   * into `system`/`messages`: backend encoders never read this; the client's encoder echoes it.
   */
  readonly previousResponseId?: string
  /**
   * Set only when the gateway's response store serves the request: whether the reply is kept
   * for `previous_response_id`/`GET` (the client's Responses `store`, default true). The client's
   * encoder echoes it; backend encoders never read it (backends are always asked statelessly).
   */
  readonly store?: boolean
  /**
   * Parts of the client's request a decoder accepted but could not carry (e.g. a hosted
   * Responses tool for a backend that has no such tool): logged by the handler, never silent.
   */
  readonly dropped?: readonly DroppedField[]
}

/** One accepted-but-not-carried field of a client request, and why. */
export interface DroppedField {
  /** JSON path in the client's body, e.g. `tools[3]`. */
  readonly path: string
  readonly reason: string
}
