// How a request with `previous_response_id` becomes one whole conversation (issue 6 §1):
// the stored conversation, then what the client added.
//
// Overlap. Clients either send only the new items (the OpenAI SDK, the Responses docs) or the
// whole history again as well (Codex), or sometimes the last output items again. The stored
// history wins, so only the new suffix may be appended. Rule: both conversations are flattened
// into part keys — role plus text, tool call id, tool result's call id, media URL; reasoning is
// skipped because clients return it in lossy forms (summary only, no signature). The overlap is
// the longest run of keys that ENDS the stored conversation and STARTS the client's input (the
// whole stored conversation when the history was resent; nothing when only new items came).
// Those parts are dropped — their stored form, with reasoning signatures, is used — and
// everything after the overlap's last part is the new suffix. Since the stored conversation
// ends with the assistant's output, an overlap means the input starts with that very output:
// new input never does. A client that resends an EDITED history (compaction) gets the stored
// history plus its whole input: the edit cannot be told apart from new input, and the stored
// history must not be rewritten behind the model's back.
//
// System. OpenAI's rule: the previous response's `instructions` do NOT carry over; its input
// items do. Canonical requests hoist system/developer input messages into `system`, so those are
// tracked apart (`carriedSystem`): the new request's system is its own instructions, then the
// carried system text, then its own system/developer messages not already carried (a resent
// history resends them).
import type { CanonicalMessage, Part, TextPart } from '../canonical/request.js'

function partKey (part: Part): string | undefined {
  switch (part.type) {
    case 'text': return 't' + part.text
    case 'refusal': return 'r' + part.text
    case 'image': return 'i' + part.url
    case 'document': return 'd' + (part.url ?? part.text ?? '')
    case 'tool-call': return 'c' + part.id
    case 'tool-result': return 'o' + part.toolCallId
    case 'reasoning': return undefined
  }
}

interface Keyed { readonly key: string, readonly message: number, readonly part: number }

function keysOf (messages: readonly CanonicalMessage[]): Keyed[] {
  const out: Keyed[] = []
  for (let m = 0; m < messages.length; m++) {
    const msg = messages[m]!
    for (let p = 0; p < msg.parts.length; p++) {
      const key = partKey(msg.parts[p]!)
      if (key !== undefined) out.push({ key: msg.role + key, message: m, part: p })
    }
  }
  return out
}

/** The length of the longest run of keys ending `old` and starting `fresh`. */
function overlap (old: readonly Keyed[], fresh: readonly Keyed[]): number {
  for (let k = Math.min(old.length, fresh.length); k > 0; k--) {
    const from = old.length - k
    let i = 0
    while (i < k && old[from + i]!.key === fresh[i]!.key) i++
    if (i === k) return k
  }
  return 0
}

/** The stored conversation followed by the client's new suffix (see the header). */
export function appendTurn (stored: readonly CanonicalMessage[], incoming: readonly CanonicalMessage[]): CanonicalMessage[] {
  const fresh = keysOf(incoming)
  const k = overlap(keysOf(stored), fresh)
  if (k === 0) return [...stored, ...incoming]
  const last = fresh[k - 1]!
  const cut = incoming[last.message]!
  const out = [...stored]
  const rest = cut.parts.slice(last.part + 1)
  if (rest.length > 0) out.push({ role: cut.role, parts: rest } as CanonicalMessage)
  out.push(...incoming.slice(last.message + 1))
  return out
}

/** Carried system text, then the parts of `fresh` not already in it (by text). */
export function carrySystem (carried: readonly TextPart[], fresh: readonly TextPart[]): TextPart[] {
  const seen = new Set(carried.map(p => p.text))
  const out = [...carried]
  for (const part of fresh) {
    if (seen.has(part.text)) continue
    seen.add(part.text)
    out.push(part)
  }
  return out
}
