// Responses `tools` and `tool_choice` → canonical (PROTOCOLS.md §2.1, §6.3, §6.4, §9). Choices:
// - `function` (flat, `parameters:null` = none) → FunctionTool; `custom` → CustomTool with its
//   format as sent; `namespace` → each inner tool with `namespace` set (backends without
//   namespaces flatten the name, shared/namespaces.ts). A namespace's own description has no
//   canonical slot and is named in `dropped`;
// - every other tool type is dropped, one `dropped` entry each: hosted tools run on OpenAI's
//   servers (or, for local_shell/shell/apply_patch, have a definition only OpenAI models know),
//   tool_search exists only to defer tools we send loaded anyway, and an unknown type is dropped
//   too rather than failing the request: every type added since function/custom has been a
//   hosted one, and a tool the model cannot call changes nothing in the history (§9: Codex
//   sends hosted tools with every request, a 400 would make the gateway unusable);
// - tool_choice words map 1:1; `{type:function|custom, name}` → that tool; `allowed_tools`
//   keeps only the allowed tools in `tools` (exactly its meaning, minus OpenAI's prompt-cache
//   benefit of a stable list) with its mode as the choice; forcing a hosted tool is rejected:
//   it cannot be honoured.
import type { DroppedField, ToolChoice, ToolDefinition } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import {
  expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, optionalBoolean, optionalString, type JsonObject,
} from '../shared/json.js'
import type { Mutable } from '../shared/request.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const keys = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const FUNCTION = ['type', 'name', 'description', 'parameters', 'strict']
const CUSTOM = ['type', 'name', 'description', 'format']
const TOOL_KEYS = { function: keys(FUNCTION, 'tools[]'), custom: keys(CUSTOM, 'tools[]') }
const INNER_KEYS = { function: keys(FUNCTION, 'tools[].tools[]'), custom: keys(CUSTOM, 'tools[].tools[]') }
const NAMESPACE_KEYS = keys(['type', 'name', 'description', 'tools'], 'tools[]')
const CHOICE_KEYS = keys(['type', 'name'], 'tool_choice')
const ALLOWED_KEYS = keys(['type', 'mode', 'tools'], 'tool_choice')
const ALLOWED_ENTRY_KEYS = keys(['type', 'name'], 'tool_choice.tools[]')

const CLIENT_RUN = new Set(['local_shell', 'shell', 'apply_patch'])
/** tool_choice types that force a hosted tool (§2.1). */
const HOSTED_CHOICES = new Set([
  'file_search', 'web_search', 'web_search_preview', 'web_search_preview_2025_03_11', 'computer', 'computer_use', 'computer_use_preview',
  'image_generation', 'code_interpreter', 'mcp', 'apply_patch', 'shell', 'local_shell', 'tool_search',
])

function droppedReason (type: string): string {
  if (type === 'tool_search') return 'tool search only defers loading of tools; every tool is sent loaded instead'
  if (CLIENT_RUN.has(type)) return `hosted tool '${type}' has a definition only OpenAI models know; the backend model cannot call it (replayed calls are carried as function calls)`
  if (HOSTED_CHOICES.has(type) || type.startsWith('web_search') || type.startsWith('computer')) {
    return `hosted tool '${type}' runs on OpenAI's servers; the backend model cannot call it`
  }
  return `unknown tool type '${type}'; not carried, so the backend model cannot call it`
}

export function decodeTools (value: unknown, dropped: DroppedField[]): ToolDefinition[] | undefined {
  if (isAbsent(value)) return undefined
  const list = expectArray(value, 'tools')
  const tools: ToolDefinition[] = []
  for (let i = 0; i < list.length; i++) {
    const path = itemPath('tools', i)
    const tool = expectObject(list[i], path)
    const type = expectString(tool.type, fieldPath(path, 'type'))
    if (type === 'function' || type === 'custom') tools.push(definition(tool, path, type, TOOL_KEYS[type], undefined))
    else if (type === 'namespace') namespaceTools(tool, path, tools, dropped)
    else dropped.push({ path, reason: droppedReason(type) })
  }
  return tools
}

function namespaceTools (tool: JsonObject, path: string, out: ToolDefinition[], dropped: DroppedField[]): void {
  checkKeys(tool, path, NAMESPACE_KEYS)
  const namespace = expectString(tool.name, fieldPath(path, 'name'))
  const description = optionalString(tool.description, fieldPath(path, 'description'))
  if (description !== undefined && description !== '') {
    dropped.push({ path: fieldPath(path, 'description'), reason: 'a namespace description has no slot on other backends; each tool keeps its own' })
  }
  const inner = expectArray(tool.tools, fieldPath(path, 'tools'))
  for (let j = 0; j < inner.length; j++) {
    const at = itemPath(fieldPath(path, 'tools'), j)
    const t = expectObject(inner[j], at)
    const type = expectOneOf(t.type, fieldPath(at, 'type'), ['function', 'custom'])
    out.push(definition(t, at, type, INNER_KEYS[type], namespace))
  }
}

function definition (tool: JsonObject, path: string, type: 'function' | 'custom', rules: KeyRules, namespace: string | undefined): ToolDefinition {
  checkKeys(tool, path, rules)
  const name = expectString(tool.name, fieldPath(path, 'name'))
  const description = optionalString(tool.description, fieldPath(path, 'description'))
  if (type === 'custom') {
    const out: Mutable<Extract<ToolDefinition, { kind: 'custom' }>> = { kind: 'custom', name }
    if (description !== undefined) out.description = description
    if (!isAbsent(tool.format)) out.format = expectObject(tool.format, fieldPath(path, 'format'))
    if (namespace !== undefined) out.namespace = namespace
    return out
  }
  const out: Mutable<Extract<ToolDefinition, { kind: 'function' }>> = { kind: 'function', name }
  if (description !== undefined) out.description = description
  if (!isAbsent(tool.parameters)) out.parameters = expectObject(tool.parameters, fieldPath(path, 'parameters'))
  const strict = optionalBoolean(tool.strict, fieldPath(path, 'strict'))
  if (strict !== undefined) out.strict = strict
  if (namespace !== undefined) out.namespace = namespace
  return out
}

/** What tool_choice decides: the choice, and for `allowed_tools` the tools that remain. */
export interface ToolSelection {
  readonly toolChoice?: ToolChoice
  readonly tools?: readonly ToolDefinition[]
}

export function decodeToolChoice (value: unknown, tools: readonly ToolDefinition[]): ToolSelection {
  if (isAbsent(value)) return {}
  if (typeof value === 'string') return { toolChoice: { type: expectOneOf(value, 'tool_choice', ['none', 'auto', 'required']) } }
  const choice = expectObject(value, 'tool_choice')
  const type = expectString(choice.type, 'tool_choice.type')
  if (type === 'function' || type === 'custom') {
    checkKeys(choice, 'tool_choice', CHOICE_KEYS)
    return { toolChoice: { type: 'tool', name: expectString(choice.name, 'tool_choice.name') } }
  }
  if (type === 'allowed_tools') return allowedTools(choice, tools)
  if (HOSTED_CHOICES.has(type)) throw convertError('tool_choice.type', `'${type}' forces a hosted tool, which this gateway does not carry`, true)
  throw convertError('tool_choice.type', `'${type}' is not supported yet`, true)
}

/** `{type:"allowed_tools", mode, tools:[{type,name}…]}`; hosted entries name tools already dropped. */
function allowedTools (choice: JsonObject, tools: readonly ToolDefinition[]): ToolSelection {
  checkKeys(choice, 'tool_choice', ALLOWED_KEYS)
  const mode = expectOneOf(choice.mode, 'tool_choice.mode', ['auto', 'required'])
  const entries = expectArray(choice.tools, 'tool_choice.tools')
  const allowed = new Set<ToolDefinition>()
  for (let j = 0; j < entries.length; j++) {
    const at = itemPath('tool_choice.tools', j)
    const entry = expectObject(entries[j], at)
    const kind = expectString(entry.type, fieldPath(at, 'type'))
    if (kind !== 'function' && kind !== 'custom') continue
    checkKeys(entry, at, ALLOWED_ENTRY_KEYS)
    const name = expectString(entry.name, fieldPath(at, 'name'))
    const matches = tools.filter(t => t.kind === kind && t.name === name)
    if (matches.length === 0) throw convertError(fieldPath(at, 'name'), `no ${kind} tool named '${name}' in tools`)
    for (const t of matches) allowed.add(t)
  }
  if (mode === 'required' && allowed.size === 0) {
    throw convertError('tool_choice.tools', 'requires a call but allows no tool this gateway carries (hosted tools are not carried)', true)
  }
  return { toolChoice: { type: mode }, tools: tools.filter(t => allowed.has(t)) }
}
