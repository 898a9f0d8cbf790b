// The Responses request Switchyard writes to a Responses backend (PROTOCOLS.md §2.1, §9). Input
// items never carry an `id`: requests are `store:false`, and OpenAI answers ids of unstored
// items with `Item with id '…' not found` (§7.23). `include` is open (config may add values);
// the encoder itself only ever asks for ENCRYPTED_REASONING.
import type { ReasoningEffort } from '../../canonical/request.js'

export interface InputTextPart { readonly type: 'input_text', readonly text: string }
export interface InputImagePart { readonly type: 'input_image', readonly image_url: string, readonly detail?: string }
export interface InputFilePart {
  readonly type: 'input_file'
  readonly file_data?: string
  readonly file_url?: string
  readonly filename?: string
}
export type InputContentPart = InputTextPart | InputImagePart | InputFilePart

export interface OutputTextPart { readonly type: 'output_text', readonly text: string }
export interface RefusalContentPart { readonly type: 'refusal', readonly refusal: string }
export type AssistantContentPart = OutputTextPart | RefusalContentPart

export interface UserMessageItem {
  readonly type: 'message'
  readonly role: 'user'
  readonly content: readonly InputContentPart[]
}
/** Client system text beside configured `instructions` (encode-instructions.ts). */
export interface DeveloperMessageItem {
  readonly type: 'message'
  readonly role: 'developer'
  readonly content: readonly InputTextPart[]
}
export interface AssistantMessageItem {
  readonly type: 'message'
  readonly role: 'assistant'
  readonly content: readonly AssistantContentPart[]
}
export interface FunctionCallItem {
  readonly type: 'function_call'
  readonly call_id: string
  readonly name: string
  readonly arguments: string
  readonly namespace?: string
}
export interface CustomToolCallItem {
  readonly type: 'custom_tool_call'
  readonly call_id: string
  readonly name: string
  readonly input: string
  readonly namespace?: string
}
/** A tool's answer: a string when it is all text, else content parts (§6.6). */
export type ToolOutput = string | readonly InputContentPart[]
export interface ToolOutputItem {
  readonly type: 'function_call_output' | 'custom_tool_call_output'
  readonly call_id: string
  readonly output: ToolOutput
}
export interface SummaryTextPart { readonly type: 'summary_text', readonly text: string }
export interface ReasoningItem {
  readonly type: 'reasoning'
  readonly summary: readonly SummaryTextPart[]
  readonly encrypted_content: string
}
export type InputItem = UserMessageItem | DeveloperMessageItem | AssistantMessageItem | FunctionCallItem | CustomToolCallItem | ToolOutputItem | ReasoningItem

export interface FunctionToolParam {
  readonly type: 'function'
  readonly name: string
  readonly description?: string
  readonly parameters: Readonly<Record<string, unknown>> | null
  readonly strict: boolean
}
export interface CustomToolParam {
  readonly type: 'custom'
  readonly name: string
  readonly description?: string
  readonly format?: Readonly<Record<string, unknown>>
}
export interface NamespaceToolParam {
  readonly type: 'namespace'
  readonly name: string
  readonly description: string
  readonly tools: ReadonlyArray<FunctionToolParam | CustomToolParam>
}
export type ToolParam = FunctionToolParam | CustomToolParam | NamespaceToolParam

export type ToolChoiceParam =
  | 'auto' | 'none' | 'required'
  | { readonly type: 'function' | 'custom', readonly name: string }

export interface ReasoningParam {
  readonly effort?: ReasoningEffort
  readonly summary?: 'auto' | 'concise' | 'detailed'
}

export type TextFormatParam =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | {
    readonly type: 'json_schema'
    readonly name: string
    readonly schema: Readonly<Record<string, unknown>>
    readonly description?: string
    readonly strict?: boolean
  }

export interface TextParam {
  readonly format?: TextFormatParam
  readonly verbosity?: 'low' | 'medium' | 'high'
}

export const ENCRYPTED_REASONING = 'reasoning.encrypted_content'

export interface ResponsesBody {
  readonly model: string
  readonly instructions?: string
  readonly input: readonly InputItem[]
  readonly tools?: readonly ToolParam[]
  readonly tool_choice?: ToolChoiceParam
  readonly parallel_tool_calls?: boolean
  readonly max_output_tokens?: number
  readonly temperature?: number
  readonly top_p?: number
  readonly reasoning?: ReasoningParam
  /** `reasoning.encrypted_content`, and whatever the backend's config adds. */
  readonly include?: readonly string[]
  readonly text?: TextParam
  readonly safety_identifier?: string
  readonly store: false
  readonly stream: boolean
}
