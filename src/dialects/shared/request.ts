// Assemble a CanonicalRequest without writing `undefined` into absent fields: "absent stays
// absent" (src/canonical/request.ts).
import type { AssistantPart, CanonicalMessage, CanonicalRequest, ImagePart, TextPart, UserPart } from '../../canonical/request.js'
import { isObject } from './json.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export interface RequestCore {
  readonly model: string
  readonly system: readonly TextPart[]
  readonly messages: readonly CanonicalMessage[]
  readonly stream: boolean
}

export interface RequestOptions {
  readonly maxTokens?: number | undefined
  readonly temperature?: number | undefined
  readonly topP?: number | undefined
  readonly stop?: readonly string[] | undefined
  readonly includeUsage?: boolean | undefined
}

export function canonicalRequest (core: RequestCore, opts: RequestOptions): CanonicalRequest {
  const out: Mutable<CanonicalRequest> = { model: core.model, system: core.system, messages: core.messages, stream: core.stream }
  if (opts.maxTokens !== undefined) out.maxTokens = opts.maxTokens
  if (opts.temperature !== undefined) out.temperature = opts.temperature
  if (opts.topP !== undefined) out.topP = opts.topP
  if (opts.stop !== undefined) out.stop = opts.stop
  if (opts.includeUsage !== undefined) out.includeUsage = opts.includeUsage
  return out
}

/** Empty text parts are dropped everywhere (PROTOCOLS.md §6.1: Anthropic rejects them). */
export function pushText (parts: { push (part: TextPart): unknown }, text: string): void {
  if (text !== '') parts.push({ type: 'text', text })
}

/** `modelOf` for the dialects that name the model in the body. */
export function bodyModel (body: unknown): string | undefined {
  return isObject(body) && typeof body.model === 'string' ? body.model : undefined
}

/**
 * A message from parts decoded by a text-and-images decoder. Decoders only let images into
 * user content, so assistant parts are text by construction.
 */
export function simpleMessage (role: 'user' | 'assistant', parts: ReadonlyArray<TextPart | ImagePart>): CanonicalMessage {
  return role === 'user' ? { role, parts: parts as readonly UserPart[] } : { role, parts: parts as readonly AssistantPart[] }
}
