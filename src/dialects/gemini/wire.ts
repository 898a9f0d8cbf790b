// The subset of the Gemini wire format Switchyard writes to Gemini clients (PROTOCOLS.md §4.2,
// §4.3). `thoughtSignature` may ride on any part (§4.1).
export type GeminiPart =
  | { readonly text: string, readonly thought?: true, readonly thoughtSignature?: string }
  | { readonly functionCall: GeminiFunctionCall, readonly thoughtSignature?: string }

export interface GeminiFunctionCall {
  readonly id?: string
  readonly name: string
  readonly args: Readonly<Record<string, unknown>>
}

export interface UsageMetadata {
  readonly promptTokenCount: number
  readonly candidatesTokenCount: number
  readonly totalTokenCount: number
  readonly cachedContentTokenCount?: number
  readonly thoughtsTokenCount?: number
}

export interface GenerateContentResponse {
  readonly candidates: ReadonlyArray<{
    readonly content: { readonly role: 'model', readonly parts: readonly GeminiPart[] }
    readonly finishReason?: string
    readonly index: number
  }>
  readonly usageMetadata?: UsageMetadata
  readonly modelVersion: string
  readonly responseId: string
}

export interface GeminiErrorBody {
  readonly error: { readonly code: number, readonly message: string, readonly status: string }
}

/** One entry of `GET /v1beta/models` (the fields js-genai's `Model` reads). */
export interface GeminiModel {
  readonly name: string
  readonly baseModelId: string
  readonly displayName: string
  readonly supportedGenerationMethods: readonly string[]
}
