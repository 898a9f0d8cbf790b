// Gemini `contents[]` / `systemInstruction` → canonical messages and system parts
// (PROTOCOLS.md §4.1, §6.1, §6.2, §6.5, §6.6, §6.9). Decisions:
// - a part holds exactly one of text, inlineData, fileData, functionCall, functionResponse (a
//   model part may hold only a thoughtSignature); `executableCode`, `codeExecutionResult`,
//   `videoMetadata` and other kinds are rejected by path as unsupported: hosted code execution
//   and video clipping have no portable form;
// - user turns: text, media (client-media.ts), functionResponse (client-calls.ts); model turns:
//   text, thoughts, functionCall, signatures (client-model-turn.ts). Media in model turns and
//   thoughts or signatures in user turns are 400s;
// - consecutive model Contents merge into one assistant message (js-genai keeps one Content per
//   streamed chunk); a turn left with no parts (only empty text) is dropped.
import type { CanonicalMessage, TextPart, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys } from '../shared/fields.js'
import { expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, optionalBoolean, optionalString, type JsonObject } from '../shared/json.js'
import { pushText } from '../shared/request.js'
import { CallLedger, decodeFunctionCall, decodeFunctionResponse } from './client-calls.js'
import { camelCase, field, rules } from './client-fields.js'
import { decodeFileData, decodeInlineData } from './client-media.js'
import { ModelTurn } from './client-model-turn.js'

/** Kept here too: these helpers lived in this file first. */
export { camelCase, field, rules }

const CONTENT_KEYS = rules(['role', 'parts'], 'contents[]')
const SYSTEM_KEYS = rules(['parts'], 'systemInstruction')
const PART_KEYS = rules(['text', 'thought', 'thoughtSignature', 'inlineData', 'fileData', 'functionCall', 'functionResponse'], 'contents[].parts[]')
const SYSTEM_PART_KEYS = rules(['text'], 'systemInstruction.parts[]')
const ROLES = ['user', 'model'] as const
const MEDIA = 'contents[].parts[]'
const KINDS = 'text, inlineData, fileData, functionCall or functionResponse'

/** A part's one data field, read under either spelling. */
interface PartData { readonly kind: 'text' | 'inlineData' | 'fileData' | 'functionCall' | 'functionResponse', readonly value: unknown }

/** `path` is where `contents` sits (`contents`, or `generateContentRequest.contents`). */
export function decodeContents (value: unknown, path: string, messages: CanonicalMessage[]): void {
  const list = expectArray(value, path)
  const ledger = new CallLedger()
  let turn: ModelTurn | undefined
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(path, i)
    const content = expectObject(list[i], at)
    checkKeys(content, at, CONTENT_KEYS)
    // A single-turn request may omit `role`; the API reads it as `user`.
    const role = isAbsent(content.role) ? 'user' : expectOneOf(content.role, fieldPath(at, 'role'), ROLES)
    const parts = expectArray(content.parts, fieldPath(at, 'parts'))
    if (role === 'model') {
      if (turn === undefined) { turn = new ModelTurn(); ledger.newTurn() }
      for (let j = 0; j < parts.length; j++) modelPart(parts[j], itemPath(fieldPath(at, 'parts'), j), turn, ledger, i, j)
      continue
    }
    if (turn !== undefined) { pushAssistant(turn, messages); turn = undefined }
    const user: UserPart[] = []
    for (let j = 0; j < parts.length; j++) userPart(parts[j], itemPath(fieldPath(at, 'parts'), j), user, ledger)
    if (user.length > 0) messages.push({ role: 'user', parts: user })
  }
  if (turn !== undefined) pushAssistant(turn, messages)
}

function pushAssistant (turn: ModelTurn, messages: CanonicalMessage[]): void {
  const parts = turn.finish()
  if (parts.length > 0) messages.push({ role: 'assistant', parts })
}

function partData (part: JsonObject, path: string, allowEmpty: boolean): PartData | undefined {
  let data: PartData | undefined
  const candidates: Array<[PartData['kind'], unknown]> = [
    ['text', part.text],
    ['inlineData', field(part, 'inlineData', 'inline_data')],
    ['fileData', field(part, 'fileData', 'file_data')],
    ['functionCall', field(part, 'functionCall', 'function_call')],
    ['functionResponse', field(part, 'functionResponse', 'function_response')],
  ]
  for (const [kind, value] of candidates) {
    if (isAbsent(value)) continue
    if (data !== undefined) throw convertError(path, `must hold only one of ${KINDS}; it holds ${data.kind} and ${kind}`)
    data = { kind, value }
  }
  if (data === undefined && !allowEmpty) throw convertError(path, 'must hold ' + KINDS)
  return data
}

function userPart (value: unknown, path: string, out: UserPart[], ledger: CallLedger): void {
  const part = expectObject(value, path)
  checkKeys(part, path, PART_KEYS)
  if (optionalBoolean(part.thought, fieldPath(path, 'thought')) === true) throw convertError(fieldPath(path, 'thought'), 'thoughts belong to model turns')
  if (!isAbsent(field(part, 'thoughtSignature', 'thought_signature'))) throw convertError(fieldPath(path, 'thoughtSignature'), 'signatures belong to model turns')
  const data = partData(part, path, false) as PartData
  const at = fieldPath(path, data.kind)
  switch (data.kind) {
    case 'text': return pushText(out, expectString(data.value, at))
    case 'inlineData': out.push(decodeInlineData(data.value, at, MEDIA)); return
    case 'fileData': out.push(decodeFileData(data.value, at, MEDIA)); return
    case 'functionResponse': out.push(decodeFunctionResponse(data.value, at, ledger)); return
    case 'functionCall': throw convertError(at, 'function calls belong to model turns')
  }
}

function modelPart (value: unknown, path: string, turn: ModelTurn, ledger: CallLedger, content: number, index: number): void {
  const part = expectObject(value, path)
  checkKeys(part, path, PART_KEYS)
  const signature = optionalString(field(part, 'thoughtSignature', 'thought_signature'), fieldPath(path, 'thoughtSignature'))
  const thought = optionalBoolean(part.thought, fieldPath(path, 'thought')) === true
  // A part may carry only a signature (Gemini sends them on empty parts too).
  const data = partData(part, path, signature !== undefined)
  if (data === undefined) return turn.text('', thought, signature)
  const at = fieldPath(path, data.kind)
  switch (data.kind) {
    case 'text': return turn.text(expectString(data.value, at), thought, signature)
    case 'functionCall': {
      const call = decodeFunctionCall(data.value, at, content, index)
      ledger.add(call)
      return turn.call(call, signature)
    }
    case 'functionResponse': throw convertError(at, 'function responses belong to user turns')
    default: throw convertError(at, 'a model turn cannot carry media to a non-Gemini backend', true)
  }
}

/** `systemInstruction: {parts:[{text}]}` (§4.1); `path` is where it sits. */
export function decodeSystemInstruction (value: unknown, path: string, system: TextPart[]): void {
  if (isAbsent(value)) return
  const instruction = expectObject(value, path)
  checkKeys(instruction, path, SYSTEM_KEYS)
  const list = expectArray(instruction.parts, fieldPath(path, 'parts'))
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(fieldPath(path, 'parts'), i)
    const part = expectObject(list[i], at)
    checkKeys(part, at, SYSTEM_PART_KEYS)
    pushText(system, expectString(part.text, fieldPath(at, 'text')))
  }
}
