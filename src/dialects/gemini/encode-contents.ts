// Canonical messages → Gemini `contents` (PROTOCOLS.md §4.1 turn rules, §6.1, §6.6, §7.10,
// §7.11, §7.32, §7.34). In order: parts become Gemini parts (encode-parts.ts; empty text and
// unreplayable reasoning dropped); messages left empty are dropped; consecutive same-role
// messages are merged, so turns strictly alternate user/model; then every model turn's calls
// are answered in the very next user turn, which starts with exactly one functionResponse per
// call, in call order (encode-results.ts), followed by that turn's other parts.
// - a call with no result there gets a synthesised error response, and a conversation ending
//   on calls gets a user turn holding them (Gemini requires as many responses as calls);
// - a result answering no call of the previous model turn is rejected naming it: Gemini could
//   neither name it nor count it;
// - a conversation starting with a model turn gets a leading user turn `"."`: Gemini rejects a
//   first model turn (and a function-call turn that follows no user turn), and this is the
//   smallest non-empty text that asks nothing of the model (empty text is rejected).
import type { AssistantPart, CanonicalMessage, ToolResultPart, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { documentPart, functionCallPart, imagePart, thoughtPart, type SentCall } from './encode-parts.js'
import { functionResponsePart } from './encode-results.js'
import type { Content, RequestPart } from './wire-request.js'

export const LEADING_USER_TEXT = '.'

/**
 * Google's documented stand-in for a signature Gemini never minted (calls that came from another
 * backend, or a history compacted by the client): Gemini 3 rejects a model turn whose calls carry
 * no `thoughtSignature` ("Function call is missing a thought_signature", §7.12), and accepts this.
 */
export const UNSIGNED_CALL_SIGNATURE = 'skip_thought_signature_validator'

interface Result { readonly part: ToolResultPart, readonly path: string }

interface Draft {
  readonly role: 'user' | 'model'
  readonly parts: RequestPart[]
  /** Model turns: the calls, in order. */
  readonly calls: SentCall[]
  /** User turns: the tool results, placed by pairing. */
  readonly results: Result[]
}

/** `signUnsigned`: give each model turn whose calls carry no signature the stand-in (Gemini 3). */
export function encodeContents (messages: readonly CanonicalMessage[], signUnsigned = false): Content[] {
  const drafts: Draft[] = []
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as CanonicalMessage
    const path = 'messages[' + i + ']'
    const draft = m.role === 'user' ? userDraft(m.parts, path) : modelDraft(m.parts, path)
    if (draft.parts.length === 0 && draft.results.length === 0) continue
    const last = drafts.at(-1)
    if (last === undefined || last.role !== draft.role) {
      drafts.push(draft)
      continue
    }
    last.parts.push(...draft.parts)
    last.calls.push(...draft.calls)
    last.results.push(...draft.results)
  }
  const contents = pairResults(drafts, signUnsigned)
  if (contents[0]?.role === 'model') contents.unshift({ role: 'user', parts: [{ text: LEADING_USER_TEXT }] })
  return contents
}

function userDraft (parts: readonly UserPart[], path: string): Draft {
  const draft: Draft = { role: 'user', parts: [], calls: [], results: [] }
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j] as UserPart
    const at = path + '.parts[' + j + ']'
    switch (p.type) {
      case 'text': if (p.text !== '') draft.parts.push({ text: p.text }); break
      case 'image': draft.parts.push(imagePart(p, at)); break
      case 'document': draft.parts.push(documentPart(p, at)); break
      case 'tool-result': draft.results.push({ part: p, path: at }); break
    }
  }
  return draft
}

function modelDraft (parts: readonly AssistantPart[], path: string): Draft {
  const draft: Draft = { role: 'model', parts: [], calls: [], results: [] }
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j] as AssistantPart
    switch (p.type) {
      case 'text':
      case 'refusal':
        if (p.text !== '') draft.parts.push({ text: p.text })
        break
      case 'reasoning': {
        const thought = thoughtPart(p)
        if (thought !== undefined) draft.parts.push(thought)
        break
      }
      case 'tool-call': {
        const { part, call } = functionCallPart(p, path + '.parts[' + j + ']')
        draft.parts.push(part)
        draft.calls.push(call)
        break
      }
    }
  }
  return draft
}

/** Drafts alternate by now, so each model turn is followed by a user turn or by nothing. */
function pairResults (drafts: readonly Draft[], signUnsigned: boolean): Content[] {
  const out: Content[] = []
  let pending: readonly SentCall[] = []
  for (const d of drafts) {
    if (d.role === 'model') {
      out.push({ role: 'model', parts: signUnsigned ? withCallSignature(d.parts) : d.parts })
      pending = d.calls
    } else {
      out.push({ role: 'user', parts: [...answers(pending, d.results), ...d.parts] })
      pending = []
    }
  }
  if (pending.length > 0) out.push({ role: 'user', parts: answers(pending, []) })
  return out
}

/** The first call signed with the stand-in when no call of the turn carries a signature. */
function withCallSignature (parts: RequestPart[]): RequestPart[] {
  const calls = parts.filter(p => 'functionCall' in p)
  if (calls.length === 0 || calls.some(p => p.thoughtSignature !== undefined)) return parts
  const first = calls[0] as RequestPart
  return parts.map(p => p === first ? { ...p, thoughtSignature: UNSIGNED_CALL_SIGNATURE } : p)
}

function answers (calls: readonly SentCall[], results: readonly Result[]): RequestPart[] {
  const byId = new Map<string, ToolResultPart>()
  for (const { part, path } of results) {
    const id = part.toolCallId
    if (!calls.some(c => c.clientId === id)) {
      throw convertError(path, `tool result ${id} answers no function call of the previous model turn, so Gemini can neither name nor pair it`)
    }
    if (byId.has(id)) throw convertError(path, `tool call ${id} is answered twice`)
    byId.set(id, part)
  }
  return calls.map(call => functionResponsePart(call, byId.get(call.clientId)))
}
