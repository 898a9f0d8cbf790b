// Same-dialect passthrough with Switchyard envelopes inside (PROTOCOLS.md §6.9, §7.12): a
// Gemini client's conversation can move between backends (routing by model), so history
// answered by another family carries `swy1.` envelopes in `thoughtSignature`, which a real
// Gemini backend would reject. An envelope holding a Gemini signature is unwrapped to it; any
// other is removed (its proof belongs to another provider). A part left as empty text with
// nothing else (the carrier part our encoders add) is dropped, and a Content left with no parts
// with it. Native signatures are never touched. countTokens' `generateContentRequest` is
// handled like a generateContent body.
import { ENVELOPE_PREFIX, openSignature } from '../../canonical/signature.js'
import { isObject } from '../shared/json.js'

type Json = Readonly<Record<string, unknown>>
const KEYS = ['thoughtSignature', 'thought_signature'] as const

/** The part to send instead of `part`: itself, with its signature restored or removed, or `undefined` to drop it. */
function restorePart (part: Json): Json | undefined {
  for (const key of KEYS) {
    const sealed = part[key]
    if (typeof sealed !== 'string' || !sealed.startsWith(ENVELOPE_PREFIX)) continue
    const opened = openSignature(sealed, 'gemini')
    if (opened.signature?.family === 'gemini') return { ...part, [key]: opened.signature.value }
    const { [key]: _removed, ...rest } = part
    return isEmptyText(rest) ? undefined : rest
  }
  return part
}

function isEmptyText (part: Json): boolean {
  return Object.keys(part).every(k => (k === 'text' && part.text === '') || k === 'thought')
}

/** `contents` with envelopes restored; `undefined` when none needed changing. */
function restoreContents (contents: readonly unknown[]): unknown[] | undefined {
  let changed = false
  const out: unknown[] = []
  for (const c of contents) {
    if (!isObject(c) || !Array.isArray(c.parts)) { out.push(c); continue }
    const parts: unknown[] = []
    let touched = false
    for (const p of c.parts as unknown[]) {
      const kept = isObject(p) ? restorePart(p) : p
      if (kept !== p) touched = true
      if (kept !== undefined) parts.push(kept)
    }
    changed ||= touched
    if (!touched) out.push(c)
    else if (parts.length > 0) out.push({ ...c, parts })
  }
  return changed ? out : undefined
}

/** The body with envelopes restored or removed; `undefined` when nothing needed changing. */
export function restoreSignatures (body: unknown): unknown {
  if (!isObject(body)) return undefined
  if (Array.isArray(body.contents)) {
    const contents = restoreContents(body.contents as unknown[])
    return contents === undefined ? undefined : { ...body, contents }
  }
  for (const key of ['generateContentRequest', 'generate_content_request']) {
    const inner = body[key]
    if (!isObject(inner)) continue
    const restored = restoreSignatures(inner)
    return restored === undefined ? undefined : { ...body, [key]: restored }
  }
  return undefined
}
