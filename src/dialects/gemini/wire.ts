// The subset of the Gemini wire format Switchyard writes (PROTOCOLS.md §4.2, §4.3).
export type GeminiPart =
  | { readonly text: string, readonly thought?: true }
  | { readonly functionCall: { readonly id?: string, readonly name: string, readonly args: Readonly<Record<string, unknown>> } }

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
