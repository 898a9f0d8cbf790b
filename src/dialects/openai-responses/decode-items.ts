// Responses call, output and reasoning items → canonical parts (PROTOCOLS.md §2.1, §6.5, §6.6,
// §6.9, §9). Choices made here:
// - a call's id is its `call_id`, verbatim (the pairing key of outputs, §6.5); the item `id`
//   (`fc_…`) is never looked up: there is no store, and `store:false` clients send ids that
//   name nothing (§7.23);
// - custom (freeform) calls keep their raw `input` as arguments, with toolKind `custom` (§7.24);
// - an output carries the called tool's name when its call came earlier in `input` (Gemini
//   needs one, §6.5); Responses has no error flag on outputs;
// - reasoning text is the `reasoning_text` content when sent, else the summaries, each joined
//   with a blank line; `encrypted_content` is opened as an OpenAI signature, or as a `swy1.`
//   envelope that restores the original family, value, text and redaction (how an Anthropic
//   thinking block survives a round trip through a Responses client, §6.9). Reasoning with
//   neither text nor signature carries nothing and is skipped.
import type { ReasoningPart, ToolCallPart, ToolResultPart } from '../../canonical/request.js'
import { openSignature } from '../../canonical/signature.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, optionalString, type JsonObject } from '../shared/json.js'
import type { Mutable } from '../shared/request.js'
import { decodeToolOutput } from './decode-content.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const keys = (known: readonly string[], pattern = 'input[]'): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const FUNCTION_CALL_KEYS = keys(['type', 'call_id', 'name', 'arguments', 'namespace'])
const CUSTOM_CALL_KEYS = keys(['type', 'call_id', 'name', 'input', 'namespace'])
const OUTPUT_KEYS = keys(['type', 'call_id', 'output'])
const REASONING_KEYS = keys(['type', 'summary', 'content', 'encrypted_content'])
const SUMMARY_KEYS = keys(['type', 'text'], 'input[].summary[]')
const REASONING_TEXT_KEYS = keys(['type', 'text'], 'input[].content[]')

/** call_id → the called tool's name, filled as calls are decoded. */
export type CallNames = Map<string, string>

function withNamespace (call: ToolCallPart, item: JsonObject, path: string): ToolCallPart {
  const namespace = optionalString(item.namespace, fieldPath(path, 'namespace'))
  return namespace === undefined ? call : { ...call, namespace }
}

/** `function_call {call_id, name, arguments, namespace?}`. */
export function functionCall (item: JsonObject, path: string, names: CallNames): ToolCallPart {
  checkKeys(item, path, FUNCTION_CALL_KEYS)
  const id = expectString(item.call_id, fieldPath(path, 'call_id'))
  const name = expectString(item.name, fieldPath(path, 'name'))
  names.set(id, name)
  return withNamespace({ type: 'tool-call', id, name, arguments: expectString(item.arguments, fieldPath(path, 'arguments')) }, item, path)
}

/** `custom_tool_call {call_id, name, input, namespace?}`: the raw input is the arguments. */
export function customToolCall (item: JsonObject, path: string, names: CallNames): ToolCallPart {
  checkKeys(item, path, CUSTOM_CALL_KEYS)
  const id = expectString(item.call_id, fieldPath(path, 'call_id'))
  const name = expectString(item.name, fieldPath(path, 'name'))
  names.set(id, name)
  const call: ToolCallPart = { type: 'tool-call', id, name, arguments: expectString(item.input, fieldPath(path, 'input')), toolKind: 'custom' }
  return withNamespace(call, item, path)
}

/** `function_call_output` / `custom_tool_call_output {call_id, output}`. */
export function toolOutput (item: JsonObject, path: string, names: CallNames): ToolResultPart {
  checkKeys(item, path, OUTPUT_KEYS)
  const toolCallId = expectString(item.call_id, fieldPath(path, 'call_id'))
  const content = decodeToolOutput(item.output, fieldPath(path, 'output'))
  const name = names.get(toolCallId)
  return name === undefined ? { type: 'tool-result', toolCallId, content } : { type: 'tool-result', toolCallId, name, content }
}

/** `reasoning {summary, content?, encrypted_content?}` (the `rs_…` id is not needed). */
export function reasoning (item: JsonObject, path: string): ReasoningPart | undefined {
  checkKeys(item, path, REASONING_KEYS)
  const summary = joinTexts(item.summary, fieldPath(path, 'summary'), 'summary_text', SUMMARY_KEYS)
  const content = joinTexts(item.content, fieldPath(path, 'content'), 'reasoning_text', REASONING_TEXT_KEYS)
  const part: Mutable<ReasoningPart> = { type: 'reasoning', text: content ?? summary ?? '' }
  const encrypted = optionalString(item.encrypted_content, fieldPath(path, 'encrypted_content'))
  if (encrypted !== undefined) {
    const opened = openSignature(encrypted, 'openai')
    if (opened.text !== undefined) part.text = opened.text
    if (opened.signature !== undefined) part.signature = opened.signature
    if (opened.redacted === true) part.redacted = true
  }
  return part.text === '' && part.signature === undefined ? undefined : part
}

/** Texts of typed parts joined with a blank line; `undefined` when there are none. */
function joinTexts (value: unknown, path: string, type: string, rules: KeyRules): string | undefined {
  if (isAbsent(value)) return undefined
  const list = expectArray(value, path)
  let text: string | undefined
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(path, i)
    const part = expectObject(list[i], at)
    expectOneOf(part.type, fieldPath(at, 'type'), [type])
    checkKeys(part, at, rules)
    const piece = expectString(part.text, fieldPath(at, 'text'))
    text = text === undefined ? piece : text + '\n\n' + piece
  }
  return text
}
