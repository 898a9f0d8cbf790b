/**
 * The canonical request: what every client dialect decodes into and every backend dialect
 * encodes from (STYLE.md §2.3). Absent stays absent: decoders never invent defaults.
 * Issue 3 widens the part union (documents, tool calls/results, reasoning) on this same shape.
 */
export type Role = 'user' | 'assistant'

export interface TextPart { readonly type: 'text', readonly text: string }
export interface ImagePart {
  readonly type: 'image'
  /** `data:` URL or https URL, as the client sent it. */
  readonly url: string
  readonly detail?: string
}
export type Part = TextPart | ImagePart

export interface CanonicalMessage {
  readonly role: Role
  readonly parts: readonly Part[]
}

export interface CanonicalRequest {
  readonly model: string
  readonly system: readonly TextPart[]
  readonly messages: readonly CanonicalMessage[]
  readonly stream: boolean
  readonly maxTokens?: number
  readonly temperature?: number
  readonly topP?: number
  readonly stop?: readonly string[]
  /** Chat Completions `stream_options.include_usage`: the client wants a usage chunk. */
  readonly includeUsage?: boolean
}
