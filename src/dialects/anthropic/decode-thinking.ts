// `thinking` and `redacted_thinking` blocks → canonical reasoning (PROTOCOLS.md §3.1, §6.9).
// The opaque slot (`signature`, `data`) is either a real Anthropic signature or a Switchyard
// `swy1.` envelope minted for reasoning from another family; the envelope restores the original
// signature, text and redaction so replay to the minting backend is byte-exact.
import type { ReasoningPart } from '../../canonical/request.js'
import { openSignature } from '../../canonical/signature.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectString, fieldPath, isAbsent, type JsonObject } from '../shared/json.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const rules = (known: readonly string[]): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern: 'messages[].content[]' })
const THINKING_KEYS = rules(['type', 'thinking', 'signature'])
const REDACTED_KEYS = rules(['type', 'data'])

/** `undefined` when the block carries nothing (no text, no usable signature). */
export function decodeThinking (block: JsonObject, path: string): ReasoningPart | undefined {
  checkKeys(block, path, THINKING_KEYS)
  const thinking = expectString(block.thinking, fieldPath(path, 'thinking'))
  // `display:"omitted"` replies have empty text but a signature (§3.4 d); a missing signature is
  // tolerated as empty (nothing to replay).
  const signature = isAbsent(block.signature) ? '' : expectString(block.signature, fieldPath(path, 'signature'))
  return reasoning(thinking, signature, false)
}

export function decodeRedactedThinking (block: JsonObject, path: string): ReasoningPart | undefined {
  checkKeys(block, path, REDACTED_KEYS)
  return reasoning('', expectString(block.data, fieldPath(path, 'data')), true)
}

function reasoning (text: string, opaque: string, redactedBlock: boolean): ReasoningPart | undefined {
  const opened = openSignature(opaque, 'anthropic')
  const native = !opened.envelope
  const finalText = native ? text : opened.text ?? text
  const redacted = native ? redactedBlock : opened.redacted === true
  if (finalText === '' && opened.signature === undefined) return undefined
  const part: ReasoningPart = { type: 'reasoning', text: finalText }
  const signed: ReasoningPart = opened.signature === undefined ? part : { ...part, signature: opened.signature }
  return redacted ? { ...signed, redacted } : signed
}
