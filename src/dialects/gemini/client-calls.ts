// Gemini `functionCall` (model turns) and `functionResponse` (user turns) → canonical tool calls
// and results (PROTOCOLS.md §4.1, §6.5, §6.6, §7.10; conformance case 36). Decisions:
// - a call keeps its `id`; without one it gets `call_<content index>_<part index>`: unique in
//   the request, short and legal for every backend's id rules, and the same on every replay of
//   the same history;
// - a response pairs with an unanswered call of the closest preceding model turn: by `id` when
//   one matches, else by order and name (Gemini sends N responses for N calls, names equal,
//   usually without ids); a response that answers no call is a 400 naming it;
// - `response` unwraps `{output:"…"}` or `{content:"…"}` alone to that text and `{error:…}` alone
//   to an error result; anything else travels as its JSON text. Gemini 3 `parts` (images,
//   documents) follow the text.
import type { ToolCallPart, ToolResultContent, ToolResultPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys } from '../shared/fields.js'
import { expectArray, expectObject, expectString, fieldPath, isAbsent, itemPath, optionalString, type JsonObject } from '../shared/json.js'
import { pushText } from '../shared/request.js'
import { decodeFileData, decodeInlineData } from './client-media.js'
import { field, rules } from './client-fields.js'

const CALL_KEYS = rules(['id', 'name', 'args'], 'contents[].parts[].functionCall')
const RESPONSE_KEYS = rules(['id', 'name', 'response', 'parts'], 'contents[].parts[].functionResponse')
const RESULT_PART_KEYS = rules(['inlineData', 'fileData'], 'contents[].parts[].functionResponse.parts[]')
const RESULT_MEDIA = 'contents[].parts[].functionResponse.parts[]'

/** `content`/`part` are the indexes of the carrying Content and part, for a synthesised id. */
export function decodeFunctionCall (value: unknown, path: string, content: number, part: number): ToolCallPart {
  const call = expectObject(value, path)
  checkKeys(call, path, CALL_KEYS)
  const id = optionalString(call.id, fieldPath(path, 'id'))
  const args = isAbsent(call.args) ? {} : expectObject(call.args, fieldPath(path, 'args'))
  return {
    type: 'tool-call',
    id: id === undefined || id === '' ? `call_${content}_${part}` : id,
    name: expectString(call.name, fieldPath(path, 'name')),
    arguments: JSON.stringify(args),
  }
}

interface OpenCall { readonly id: string, readonly name: string, answered: boolean }

/** The calls of the latest model turn, and which of them have been answered. */
export class CallLedger {
  private calls: OpenCall[] = []

  /** A new model turn: only its calls can be answered from now on. */
  newTurn (): void {
    this.calls = []
  }

  add (call: ToolCallPart): void {
    this.calls.push({ id: call.id, name: call.name, answered: false })
  }

  /** The id of the call a response answers (by id, else by order and name). */
  answer (id: string | undefined, name: string, path: string): string {
    const match = (id === undefined ? undefined : this.calls.find(c => !c.answered && c.id === id)) ??
      this.calls.find(c => !c.answered && c.name === name)
    if (match === undefined) {
      const which = id === undefined ? `named '${name}'` : `with id '${id}' or named '${name}'`
      throw convertError(path, `answers no functionCall ${which} of the preceding model turn`)
    }
    match.answered = true
    return match.id
  }
}

export function decodeFunctionResponse (value: unknown, path: string, ledger: CallLedger): ToolResultPart {
  const res = expectObject(value, path)
  checkKeys(res, path, RESPONSE_KEYS)
  const name = expectString(res.name, fieldPath(path, 'name'))
  const id = optionalString(res.id, fieldPath(path, 'id'))
  const toolCallId = ledger.answer(id === '' ? undefined : id, name, path)
  const content: ToolResultContent[] = []
  let isError = false
  if (!isAbsent(res.response)) isError = unwrap(expectObject(res.response, fieldPath(path, 'response')), content)
  if (!isAbsent(res.parts)) resultParts(res.parts, fieldPath(path, 'parts'), content)
  const part: ToolResultPart = { type: 'tool-result', toolCallId, name, content }
  return isError ? { ...part, isError } : part
}

/** The response's text into `content`; true when it is an `{error}` result. */
function unwrap (response: JsonObject, content: ToolResultContent[]): boolean {
  const keys = Object.keys(response)
  if (keys.length === 1) {
    const key = keys[0] as string
    const value = response[key]
    if ((key === 'output' || key === 'content') && typeof value === 'string') {
      pushText(content, value)
      return false
    }
    if (key === 'error' && !isAbsent(value)) {
      pushText(content, typeof value === 'string' ? value : JSON.stringify(value))
      return true
    }
  }
  pushText(content, JSON.stringify(response))
  return false
}

function resultParts (value: unknown, path: string, content: ToolResultContent[]): void {
  const list = expectArray(value, path)
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(path, i)
    const part = expectObject(list[i], at)
    checkKeys(part, at, RESULT_PART_KEYS)
    const inline = field(part, 'inlineData', 'inline_data')
    const file = field(part, 'fileData', 'file_data')
    if (!isAbsent(inline)) content.push(decodeInlineData(inline, fieldPath(at, 'inlineData'), RESULT_MEDIA))
    else if (!isAbsent(file)) content.push(decodeFileData(file, fieldPath(at, 'fileData'), RESULT_MEDIA))
    else throw convertError(at, 'must hold inlineData or fileData')
  }
}
