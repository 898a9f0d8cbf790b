// The Gemini generateContent / countTokens request Switchyard writes to a Gemini backend
// (PROTOCOLS.md §4.1). camelCase only: the API accepts both spellings, and js-genai sends this one.
export interface InlineData { readonly mimeType: string, readonly data: string }
export interface FileData { readonly mimeType: string, readonly fileUri: string }

export interface FunctionCall {
  /** Only when Gemini minted one (call-ids.ts): AI Studio usually sends none. */
  readonly id?: string
  readonly name: string
  readonly args: Readonly<Record<string, unknown>>
}

export interface FunctionResponse {
  readonly id?: string
  /** Must equal the answered call's name (§7.14). */
  readonly name: string
  /** Always an object (§6.6): `{output}` or `{error}`. */
  readonly response: Readonly<Record<string, unknown>>
}

export type TextPart = { readonly text: string }
export type ThoughtPart = { readonly text: string, readonly thought: true, readonly thoughtSignature: string }
export type FunctionCallPart = { readonly functionCall: FunctionCall, readonly thoughtSignature?: string }

export type RequestPart =
  | TextPart
  | ThoughtPart
  | { readonly inlineData: InlineData }
  | { readonly fileData: FileData }
  | FunctionCallPart
  | { readonly functionResponse: FunctionResponse }

export interface Content {
  readonly role: 'user' | 'model'
  readonly parts: readonly RequestPart[]
}

export interface FunctionDeclaration {
  readonly name: string
  readonly description?: string
  /** Full JSON Schema (§6.3): unlike `parameters`, it takes additionalProperties, const, $ref. */
  readonly parametersJsonSchema?: Readonly<Record<string, unknown>>
}

export interface ToolParam { readonly functionDeclarations: readonly FunctionDeclaration[] }

export type FunctionCallingMode = 'AUTO' | 'ANY' | 'NONE'

export interface ToolConfig {
  readonly functionCallingConfig: { readonly mode: FunctionCallingMode, readonly allowedFunctionNames?: readonly string[] }
}

export type ThinkingLevel = 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH'

/** Budget or level, never both (§4.1). */
export interface ThinkingConfig {
  readonly thinkingBudget?: number
  readonly thinkingLevel?: ThinkingLevel
  readonly includeThoughts?: boolean
}

export interface GenerationConfig {
  readonly maxOutputTokens?: number
  readonly temperature?: number
  readonly topP?: number
  readonly topK?: number
  readonly stopSequences?: readonly string[]
  readonly seed?: number
  readonly presencePenalty?: number
  readonly frequencyPenalty?: number
  readonly responseMimeType?: 'application/json'
  readonly responseJsonSchema?: Readonly<Record<string, unknown>>
  readonly thinkingConfig?: ThinkingConfig
}

export interface SystemInstruction { readonly parts: readonly TextPart[] }

export interface GenerateContentBody {
  readonly contents: readonly Content[]
  readonly systemInstruction?: SystemInstruction
  readonly tools?: readonly ToolParam[]
  readonly toolConfig?: ToolConfig
  readonly generationConfig?: GenerationConfig
}

/** countTokens takes `contents` or a whole `generateContentRequest` (with its `models/…` name). */
export interface CountTokensBody {
  readonly generateContentRequest: GenerateContentBody & { readonly model: string }
}
