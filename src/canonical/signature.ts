/**
 * Opaque reasoning proofs and where they came from (PROTOCOLS.md §6.9). A signature is valid only
 * for the provider family that minted it: Anthropic thinking `signature` (or redacted data),
 * OpenAI Responses `encrypted_content`, Gemini `thoughtSignature`. Backend encoders replay a
 * signature only to their own family and drop reasoning signed by another — never forward a
 * forged one.
 *
 * When reasoning crosses to a client of another family, the client's opaque slot carries a
 * Switchyard envelope instead (`swy1.<base64url JSON>`) holding the original family, value and
 * text, so the next request can restore it exactly (byte-exact replay of Anthropic thinking).
 */
export type SignatureFamily = 'anthropic' | 'openai' | 'gemini'

export interface Signature {
  readonly family: SignatureFamily
  readonly value: string
}

/** Every envelope starts with this; one byte search tells whether a body holds any. */
export const ENVELOPE_PREFIX = 'swy1.'
const PREFIX = ENVELOPE_PREFIX

interface Envelope { readonly f?: SignatureFamily, readonly v?: string, readonly t?: string, readonly r?: 1 }

/** What an envelope restores: the original signature (if there was one) and the exact text. */
export interface Opened {
  /** True when the value was a Switchyard envelope (its text then replaces the client's). */
  readonly envelope: boolean
  readonly signature?: Signature
  readonly text?: string
  readonly redacted?: boolean
}

/** Seal reasoning for a client whose dialect cannot hold `signature` natively. */
export function sealEnvelope (signature: Signature | undefined, text: string | undefined, redacted?: boolean): string {
  const env: { f?: SignatureFamily, v?: string, t?: string, r?: 1 } = {}
  if (signature !== undefined) { env.f = signature.family; env.v = signature.value }
  if (text !== undefined && text !== '') env.t = text
  if (redacted === true) env.r = 1
  return PREFIX + Buffer.from(JSON.stringify(env)).toString('base64url')
}

function isFamily (value: unknown): value is SignatureFamily {
  return value === 'anthropic' || value === 'openai' || value === 'gemini'
}

/**
 * Read a client-supplied opaque value. A Switchyard envelope yields what it sealed; anything
 * else is the client dialect's own family's signature, verbatim. A malformed envelope yields
 * nothing (it can be neither replayed nor trusted).
 */
export function openSignature (value: string, ownFamily: SignatureFamily): Opened {
  if (!value.startsWith(PREFIX)) return value === '' ? { envelope: false } : { envelope: false, signature: { family: ownFamily, value } }
  let env: Envelope
  try {
    env = JSON.parse(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8')) as Envelope
  } catch {
    return { envelope: true }
  }
  if (typeof env !== 'object' || env === null) return { envelope: true }
  const out: { envelope: true, signature?: Signature, text?: string, redacted?: boolean } = { envelope: true }
  if (isFamily(env.f) && typeof env.v === 'string') out.signature = { family: env.f, value: env.v }
  if (typeof env.t === 'string') out.text = env.t
  if (env.r === 1) out.redacted = true
  return out
}

/** The value for a client slot of `family`: the raw signature when it is that family's own, else an envelope. */
export function signatureFor (family: SignatureFamily, signature: Signature | undefined, text: string | undefined, redacted?: boolean): string {
  if (signature !== undefined && signature.family === family) return signature.value
  return sealEnvelope(signature, text, redacted)
}
