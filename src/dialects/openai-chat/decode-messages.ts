// Chat `messages[]` → canonical system parts and messages (PROTOCOLS.md §1.1, §6.1, §6.6).
// `system`/`developer` messages may appear anywhere; they are hoisted, in order, into the
// canonical system prompt (the choice §6.1 asks us to document). `tool` messages become
// tool-result parts of a user message; consecutive ones share ONE user message, as the
// canonical model keeps all results of a turn together. Legacy `function` messages and
// assistant `function_call`/`audio` are rejected by path.
import type { AssistantPart, CanonicalMessage, TextPart, ToolResultPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, optionalString, type JsonObject } from '../shared/json.js'
import { decodeAssistantContent, decodeTextContent, decodeUserContent, pushRefusal } from './decode-content.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const ROLES = 'system, developer, user, assistant, tool'
const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const SYSTEM_KEYS = rules(['role', 'content'], 'messages[]')
const USER_KEYS = rules(['role', 'content'], 'messages[]')
const TOOL_KEYS = rules(['role', 'content', 'tool_call_id'], 'messages[]')
const ASSISTANT_KEYS = rules(['role', 'content', 'refusal', 'tool_calls'], 'messages[]')
const FUNCTION_CALL_KEYS = rules(['id', 'type', 'function'], 'messages[].tool_calls[]')
const CUSTOM_CALL_KEYS = rules(['id', 'type', 'custom'], 'messages[].tool_calls[]')
const FUNCTION_KEYS = rules(['name', 'arguments'], 'messages[].tool_calls[].function')
const CUSTOM_KEYS = rules(['name', 'input'], 'messages[].tool_calls[].custom')

/** Decodes every message; `system` and `messages` are filled in place. */
export function decodeMessages (list: readonly unknown[], system: TextPart[], messages: CanonicalMessage[]): void {
  // The open run of tool results; a user or assistant message ends it (system ones are hoisted).
  let results: ToolResultPart[] | undefined
  for (let i = 0; i < list.length; i++) {
    const path = itemPath('messages', i)
    const m = expectObject(list[i], path)
    const role = expectString(m.role, fieldPath(path, 'role'))
    switch (role) {
      case 'system':
      case 'developer':
        checkKeys(m, path, SYSTEM_KEYS)
        decodeTextContent(m.content, fieldPath(path, 'content'), system)
        break
      case 'tool':
        if (results === undefined) {
          results = []
          messages.push({ role: 'user', parts: results })
        }
        results.push(decodeToolResult(m, path))
        break
      case 'user':
        checkKeys(m, path, USER_KEYS)
        messages.push({ role: 'user', parts: decodeUserContent(m.content, fieldPath(path, 'content')) })
        results = undefined
        break
      case 'assistant':
        messages.push({ role: 'assistant', parts: decodeAssistant(m, path) })
        results = undefined
        break
      case 'function':
        throw convertError(fieldPath(path, 'role'), "'function' is not supported yet; use tool messages", true)
      default:
        throw convertError(fieldPath(path, 'role'), 'must be one of ' + ROLES)
    }
  }
}

/** `{role:"tool", tool_call_id, content}`: Chat carries neither the tool's name nor an error flag (§6.6). */
function decodeToolResult (m: JsonObject, path: string): ToolResultPart {
  checkKeys(m, path, TOOL_KEYS)
  const toolCallId = expectString(m.tool_call_id, fieldPath(path, 'tool_call_id'))
  const content: TextPart[] = []
  decodeTextContent(m.content, fieldPath(path, 'content'), content)
  return { type: 'tool-result', toolCallId, content }
}

/** Content, then `refusal`, then `tool_calls`; `content` may be null when one of the others is there. */
function decodeAssistant (m: JsonObject, path: string): AssistantPart[] {
  checkKeys(m, path, ASSISTANT_KEYS)
  const parts: AssistantPart[] = []
  const refusal = optionalString(m.refusal, fieldPath(path, 'refusal'))
  const calls = isAbsent(m.tool_calls) ? [] : expectArray(m.tool_calls, fieldPath(path, 'tool_calls'))
  if (!isAbsent(m.content) || (refusal === undefined && calls.length === 0)) {
    decodeAssistantContent(m.content, fieldPath(path, 'content'), parts)
  }
  if (refusal !== undefined) pushRefusal(parts, refusal)
  for (let i = 0; i < calls.length; i++) parts.push(decodeToolCall(calls[i], itemPath(fieldPath(path, 'tool_calls'), i)))
  return parts
}

/** Function calls keep their JSON arguments text; custom (freeform) calls their raw input. */
function decodeToolCall (value: unknown, path: string): AssistantPart {
  const call = expectObject(value, path)
  const type = expectOneOf(call.type, fieldPath(path, 'type'), ['function', 'custom'])
  const id = expectString(call.id, fieldPath(path, 'id'))
  if (type === 'function') {
    checkKeys(call, path, FUNCTION_CALL_KEYS)
    const fn = expectObject(call.function, fieldPath(path, 'function'))
    checkKeys(fn, fieldPath(path, 'function'), FUNCTION_KEYS)
    return {
      type: 'tool-call',
      id,
      name: expectString(fn.name, fieldPath(path, 'function.name')),
      arguments: expectString(fn.arguments, fieldPath(path, 'function.arguments')),
    }
  }
  checkKeys(call, path, CUSTOM_CALL_KEYS)
  const custom = expectObject(call.custom, fieldPath(path, 'custom'))
  checkKeys(custom, fieldPath(path, 'custom'), CUSTOM_KEYS)
  return {
    type: 'tool-call',
    id,
    name: expectString(custom.name, fieldPath(path, 'custom.name')),
    arguments: expectString(custom.input, fieldPath(path, 'custom.input')),
    toolKind: 'custom',
  }
}
