// Same-dialect passthrough with Switchyard envelopes inside (PROTOCOLS.md §6.9, §9): Codex sends
// its reasoning items back every turn (store:false), and a session routed by model can move from
// an Anthropic or Chat backend to a real Responses backend. A reasoning item whose
// `encrypted_content` is a `swy1.` envelope Switchyard minted would be rejected by OpenAI: an
// envelope holding an OpenAI proof is unwrapped to it, any other such item is dropped (its
// proof belongs to another provider, and unsigned reasoning cannot be replayed). Native items
// are never touched.
import { ENVELOPE_PREFIX, openSignature } from '../../canonical/signature.js'
import { isObject } from '../shared/json.js'

type Item = Readonly<Record<string, unknown>>

/** The item to send instead of `item`: itself, its restored original, or `undefined` to drop it. */
function restore (item: Item): Item | undefined {
  const sealed = item.type === 'reasoning' ? item.encrypted_content : undefined
  if (typeof sealed !== 'string' || !sealed.startsWith(ENVELOPE_PREFIX)) return item
  const opened = openSignature(sealed, 'openai')
  if (opened.signature?.family !== 'openai') return undefined
  return { ...item, encrypted_content: opened.signature.value }
}

/** The body with envelopes restored or dropped; `undefined` when nothing needed changing. */
export function restoreSignatures (body: unknown): unknown {
  if (!isObject(body) || !Array.isArray(body.input)) return undefined
  let changed = false
  const input: unknown[] = []
  for (const item of body.input as unknown[]) {
    const kept = isObject(item) ? restore(item) : item
    if (kept !== item) changed = true
    if (kept !== undefined) input.push(kept)
  }
  return changed ? { ...body, input } : undefined
}
