// Same-dialect passthrough with Switchyard envelopes inside (PROTOCOLS.md §6.9, §7.8): a Claude
// Code session can move between backends (routing by model), so a thinking block Switchyard
// minted for a Chat backend's reasoning (`swy1.` signature) may come back in a request bound
// for a real Anthropic backend. Anthropic would reject it ("Invalid signature"): an envelope
// that holds an Anthropic signature is unwrapped to the original block, byte for byte; any other
// is dropped. Native blocks are never touched.
import { ENVELOPE_PREFIX, openSignature } from '../../canonical/signature.js'
import { isObject } from '../shared/json.js'

type Block = Readonly<Record<string, unknown>>

/** The block to send instead of `block`: itself, its restored original, or `undefined` to drop it. */
function restore (block: Block): Block | undefined {
  const sealed = block.type === 'thinking' ? block.signature : block.type === 'redacted_thinking' ? block.data : undefined
  if (typeof sealed !== 'string' || !sealed.startsWith(ENVELOPE_PREFIX)) return block
  const opened = openSignature(sealed, 'anthropic')
  if (opened.signature?.family !== 'anthropic') return undefined
  if (opened.redacted === true) return { type: 'redacted_thinking', data: opened.signature.value }
  return { type: 'thinking', thinking: opened.text ?? '', signature: opened.signature.value }
}

/** The body with envelopes restored or dropped; `undefined` when nothing needed changing. */
export function restoreSignatures (body: unknown): unknown {
  if (!isObject(body) || !Array.isArray(body.messages)) return undefined
  let changed = false
  const messages: unknown[] = []
  for (const m of body.messages as unknown[]) {
    if (!isObject(m) || !Array.isArray(m.content)) { messages.push(m); continue }
    const content: unknown[] = []
    let touched = false
    for (const b of m.content as unknown[]) {
      const kept = isObject(b) ? restore(b) : b
      if (kept !== b) touched = true
      if (kept !== undefined) content.push(kept)
    }
    changed ||= touched
    // A turn that held only foreign reasoning has nothing left to say.
    if (!touched) messages.push(m)
    else if (content.length > 0) messages.push({ ...m, content })
  }
  return changed ? { ...body, messages } : undefined
}
