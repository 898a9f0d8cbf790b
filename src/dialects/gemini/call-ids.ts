// Tool-call ids across a Gemini backend (PROTOCOLS.md §6.5, §6.9, §7.12). Gemini function calls
// usually carry no id, and Gemini 3 signs them with a `thoughtSignature` that must be replayed on
// the same call. A client of another dialect has an id slot and nothing else, so the id it is
// given carries both: `swyg_<base64url JSON {i?, s?}>` (i: Gemini's own id, s: the signature).
// The Gemini backend encoder opens it on the next turn: Gemini's id and signature go back, the
// id the client saw pairs the result. Calls with neither get a random `call_…` id, which is
// never sent to Gemini (results pair by order and name). Stateless: any instance of a fleet can
// open an id minted by another.
import { randomBase64url } from '../shared/random-ids.js'

export const CALL_ID_PREFIX = 'swyg_'

/** What a minted id carries back to Gemini. */
export interface GeminiCall {
  /** Gemini's own `functionCall.id`, when it sent one. */
  readonly id?: string
  readonly signature?: string
}

/** The id a non-Gemini client sees for one Gemini function call. */
export function mintCallId (geminiId: string | undefined, signature: string | undefined): string {
  if ((geminiId === undefined || geminiId === '') && (signature === undefined || signature === '')) {
    return 'call_' + randomBase64url(12)
  }
  const packed: { i?: string, s?: string } = {}
  if (geminiId !== undefined && geminiId !== '') packed.i = geminiId
  if (signature !== undefined && signature !== '') packed.s = signature
  return CALL_ID_PREFIX + Buffer.from(JSON.stringify(packed)).toString('base64url')
}

/** The Gemini id and signature an id carries; `{}` for any id Switchyard did not mint. */
export function openCallId (id: string): GeminiCall {
  if (!id.startsWith(CALL_ID_PREFIX)) return {}
  let packed: unknown
  try {
    packed = JSON.parse(Buffer.from(id.slice(CALL_ID_PREFIX.length), 'base64url').toString('utf8'))
  } catch {
    return {}
  }
  if (typeof packed !== 'object' || packed === null) return {}
  const { i, s } = packed as { i?: unknown, s?: unknown }
  const out: { id?: string, signature?: string } = {}
  if (typeof i === 'string' && i !== '') out.id = i
  if (typeof s === 'string' && s !== '') out.signature = s
  return out
}
