// Responses items of hosted (OpenAI-defined) tools → canonical parts, or dropped (PROTOCOLS.md
// §2.1, §6.3, §9). Two kinds:
// - tools the CLIENT runs (`local_shell`, `shell`, `apply_patch`): history holds the call and
//   the client's output, and the model's later turns build on both. Dropping them would lose
//   that context and dropping one half would orphan the other, so the pair becomes a function
//   call named after the tool (`local_shell`, `shell`, `apply_patch`) with the action/operation
//   object as JSON arguments, and a tool result (Codex answers `local_shell_call` with a
//   `function_call_output`, §9). The tool definitions themselves are dropped (decode-tools.ts),
//   so the backend model reads the history but cannot call them again;
// - tools OPENAI runs (web/file search, code interpreter, image generation, hosted MCP, tool
//   search, programs, compaction…): their results were consumed server-side and no other
//   backend can replay them; the answer the model wrote from them is in the history, so the
//   items are dropped, each named in `dropped`. Computer-use calls and their screenshot outputs
//   have no portable form: both halves are dropped, so nothing is left unpaired.
import type { ToolCallPart, ToolResultPart } from '../../canonical/request.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectObject, expectOneOf, expectString, fieldPath, isAbsent, optionalString, type JsonObject } from '../shared/json.js'
import type { CallNames } from './decode-items.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const keys = (known: readonly string[]): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern: 'input[]' })
const LOCAL_SHELL_CALL_KEYS = keys(['type', 'id', 'call_id', 'action'])
const LOCAL_SHELL_OUTPUT_KEYS = keys(['type', 'id', 'output'])
const SHELL_CALL_KEYS = keys(['type', 'call_id', 'action'])
const SHELL_OUTPUT_KEYS = keys(['type', 'call_id', 'output'])
const PATCH_CALL_KEYS = keys(['type', 'call_id', 'operation'])
const PATCH_OUTPUT_KEYS = keys(['type', 'call_id', 'status', 'output'])

const SERVER_RUN = 'ran on OpenAI\'s servers; no other backend can replay it (the answer the model wrote from it is carried)'

/** Item types dropped from `input`, with the reason logged for each. */
export const DROPPED_ITEMS: Readonly<Record<string, string>> = {
  web_search_call: 'a web search that ' + SERVER_RUN,
  file_search_call: 'a file search that ' + SERVER_RUN,
  code_interpreter_call: 'a code-interpreter run that ' + SERVER_RUN,
  image_generation_call: 'an image generation that ' + SERVER_RUN,
  mcp_call: 'a hosted MCP call that ' + SERVER_RUN,
  mcp_list_tools: 'a hosted MCP tool listing that ' + SERVER_RUN,
  mcp_approval_request: 'a hosted MCP approval request; hosted MCP tools are not carried',
  mcp_approval_response: 'a hosted MCP approval; hosted MCP tools are not carried',
  tool_search_call: 'a tool search; tool search is not carried (every tool is sent loaded)',
  tool_search_output: 'a tool search result; tool search is not carried (every tool is sent loaded)',
  additional_tools: 'tools added mid-conversation for tool search; tool search is not carried',
  program: 'a programmatic tool-calling program that ' + SERVER_RUN,
  program_output: 'a programmatic tool-calling result that ' + SERVER_RUN,
  computer_call: 'a computer-use action; computer use has no portable form (its output is dropped too)',
  computer_call_output: 'a computer-use screenshot; computer use has no portable form (its call is dropped too)',
  compaction: 'OpenAI-encrypted compacted history; no other backend can read it, so the context it summarised is lost',
  compaction_trigger: 'asks OpenAI to compact the history; the backend sees the history as sent',
}

/** `local_shell_call` item id → its call_id, for `local_shell_call_output`, which names only an id. */
export type ShellIds = Map<string, string>

function call (id: string, name: string, action: JsonObject, names: CallNames): ToolCallPart {
  names.set(id, name)
  return { type: 'tool-call', id, name, arguments: JSON.stringify(action) }
}

function result (toolCallId: string, text: string, names: CallNames, isError = false): ToolResultPart {
  const name = names.get(toolCallId)
  const base: ToolResultPart = { type: 'tool-result', toolCallId, content: text === '' ? [] : [{ type: 'text', text }] }
  const named = name === undefined ? base : { ...base, name }
  return isError ? { ...named, isError } : named
}

/** `local_shell_call {id, call_id, action}` → a `local_shell` call. */
export function localShellCall (item: JsonObject, path: string, names: CallNames, shellIds: ShellIds): ToolCallPart {
  checkKeys(item, path, LOCAL_SHELL_CALL_KEYS)
  const id = expectString(item.call_id, fieldPath(path, 'call_id'))
  const itemId = optionalString(item.id, fieldPath(path, 'id'))
  if (itemId !== undefined) shellIds.set(itemId, id)
  return call(id, 'local_shell', expectObject(item.action, fieldPath(path, 'action')), names)
}

/** `local_shell_call_output {id, output}`: `id` names the call (its item id or call_id). */
export function localShellOutput (item: JsonObject, path: string, names: CallNames, shellIds: ShellIds): ToolResultPart {
  checkKeys(item, path, LOCAL_SHELL_OUTPUT_KEYS)
  const id = expectString(item.id, fieldPath(path, 'id'))
  return result(shellIds.get(id) ?? id, expectString(item.output, fieldPath(path, 'output')), names)
}

/** `shell_call {call_id, action}` → a `shell` call. */
export function shellCall (item: JsonObject, path: string, names: CallNames): ToolCallPart {
  checkKeys(item, path, SHELL_CALL_KEYS)
  const id = expectString(item.call_id, fieldPath(path, 'call_id'))
  return call(id, 'shell', expectObject(item.action, fieldPath(path, 'action')), names)
}

/** `shell_call_output {call_id, output:[{stdout, stderr, outcome}]}`: the output list as JSON text. */
export function shellOutput (item: JsonObject, path: string, names: CallNames): ToolResultPart {
  checkKeys(item, path, SHELL_OUTPUT_KEYS)
  const id = expectString(item.call_id, fieldPath(path, 'call_id'))
  const output = item.output
  const text = typeof output === 'string' ? output : isAbsent(output) ? '' : JSON.stringify(output)
  return result(id, text, names)
}

/** `apply_patch_call {call_id, operation}` → an `apply_patch` call. */
export function applyPatchCall (item: JsonObject, path: string, names: CallNames): ToolCallPart {
  checkKeys(item, path, PATCH_CALL_KEYS)
  const id = expectString(item.call_id, fieldPath(path, 'call_id'))
  return call(id, 'apply_patch', expectObject(item.operation, fieldPath(path, 'operation')), names)
}

/** `apply_patch_call_output {call_id, status, output?}`: a `failed` status is an error result. */
export function applyPatchOutput (item: JsonObject, path: string, names: CallNames): ToolResultPart {
  checkKeys(item, path, PATCH_OUTPUT_KEYS)
  const id = expectString(item.call_id, fieldPath(path, 'call_id'))
  const status = expectOneOf(item.status, fieldPath(path, 'status'), ['completed', 'failed'])
  const text = optionalString(item.output, fieldPath(path, 'output')) ?? status
  return result(id, text, names, status === 'failed')
}
