// Assemble a CanonicalRequest without writing `undefined` into absent fields: "absent stays
// absent" (src/canonical/request.ts).
import type { AssistantPart, CanonicalMessage, CanonicalRequest, ImagePart, TextPart, UserPart } from '../../canonical/request.js'
import { isObject } from './json.js'

export type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export interface RequestCore {
  readonly model: string
  readonly system: readonly TextPart[]
  readonly messages: readonly CanonicalMessage[]
  readonly stream: boolean
}

/** Every optional field of the canonical request; `undefined` means "not sent". */
export type RequestOptions = {
  readonly [K in Exclude<keyof CanonicalRequest, keyof RequestCore>]?: CanonicalRequest[K] | undefined
}

export function canonicalRequest (core: RequestCore, opts: RequestOptions): Mutable<CanonicalRequest> {
  const out: Mutable<CanonicalRequest> = { model: core.model, system: core.system, messages: core.messages, stream: core.stream }
  for (const key of Object.keys(opts) as Array<keyof RequestOptions>) {
    const value = opts[key]
    if (value !== undefined) (out as Record<string, unknown>)[key] = value
  }
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
