// `tool_use` (assistant) and `tool_result` (user) blocks → canonical parts (PROTOCOLS.md §3.1,
// §6.5, §6.6). Ids stay verbatim; a backend encoder maps them if its dialect needs to.
import type { ToolCallPart, ToolResultContent, ToolResultPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectArray, expectObject, expectString, fieldPath, isAbsent, itemPath, optionalBoolean, type JsonObject } from '../shared/json.js'
import { decodeCacheControl, withCache } from './cache-control.js'
import { decodeDocument, decodeImage, decodeText } from './decode-blocks.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const BLOCK = 'messages[].content[]'
const INNER = 'messages[].content[].content[]'
const TOOL_USE_KEYS: KeyRules = { known: new Set(['type', 'id', 'name', 'input']), ignored: IGNORED_FIELDS, pattern: BLOCK }
const TOOL_RESULT_KEYS: KeyRules = {
  known: new Set(['type', 'tool_use_id', 'content', 'is_error', 'cache_control']),
  ignored: IGNORED_FIELDS,
  pattern: BLOCK,
}

/** `input` is an object on the wire; canonically the arguments are its JSON text. */
export function decodeToolUse (block: JsonObject, path: string): ToolCallPart {
  checkKeys(block, path, TOOL_USE_KEYS)
  return {
    type: 'tool-call',
    id: expectString(block.id, fieldPath(path, 'id')),
    name: expectString(block.name, fieldPath(path, 'name')),
    arguments: JSON.stringify(expectObject(block.input, fieldPath(path, 'input'))),
  }
}

export function decodeToolResult (block: JsonObject, path: string): ToolResultPart {
  checkKeys(block, path, TOOL_RESULT_KEYS)
  const part: ToolResultPart = {
    type: 'tool-result',
    toolCallId: expectString(block.tool_use_id, fieldPath(path, 'tool_use_id')),
    content: resultContent(block.content, fieldPath(path, 'content')),
  }
  const isError = optionalBoolean(block.is_error, fieldPath(path, 'is_error'))
  const flagged: ToolResultPart = isError === undefined ? part : { ...part, isError }
  return withCache(flagged, decodeCacheControl(block.cache_control, fieldPath(path, 'cache_control')))
}

/** `content`: absent, a string, or text/image/document blocks (search_result is not mapped). */
function resultContent (value: unknown, path: string): ToolResultContent[] {
  const out: ToolResultContent[] = []
  if (isAbsent(value)) return out
  if (typeof value === 'string') {
    if (value !== '') out.push({ type: 'text', text: value })
    return out
  }
  const list = expectArray(value, path)
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(path, i)
    const block = expectObject(list[i], at)
    const type = expectString(block.type, fieldPath(at, 'type'))
    if (type === 'text') {
      const text = decodeText(block, at, INNER)
      if (text !== undefined) out.push(text)
    } else if (type === 'image') {
      out.push(decodeImage(block, at, INNER))
    } else if (type === 'document') {
      out.push(decodeDocument(block, at, INNER))
    } else {
      throw convertError(fieldPath(at, 'type'), `'${type}' is not supported yet`, true)
    }
  }
  return out
}
