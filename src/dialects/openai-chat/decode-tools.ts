// Chat `tools` and `tool_choice` → canonical (PROTOCOLS.md §1.1, §6.3, §6.4). Function tools
// keep their JSON Schema as sent; `{type:"custom"}` (freeform) tools become CustomTool.
// `allowed_tools` choices have no canonical form and are rejected by path.
import type { ToolChoice, ToolDefinition } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import {
  expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, optionalBoolean, optionalString,
  type JsonObject,
} from '../shared/json.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const FUNCTION_TOOL_KEYS = rules(['type', 'function'], 'tools[]')
const CUSTOM_TOOL_KEYS = rules(['type', 'custom'], 'tools[]')
const FUNCTION_KEYS = rules(['name', 'description', 'parameters', 'strict'], 'tools[].function')
const CUSTOM_KEYS = rules(['name', 'description', 'format'], 'tools[].custom')
const CHOICE_FUNCTION_KEYS = rules(['type', 'function'], 'tool_choice')
const CHOICE_CUSTOM_KEYS = rules(['type', 'custom'], 'tool_choice')
const CHOICE_NAME_KEYS = rules(['name'], 'tool_choice.function')

export function decodeTools (value: unknown): ToolDefinition[] | undefined {
  if (isAbsent(value)) return undefined
  const list = expectArray(value, 'tools')
  const tools: ToolDefinition[] = []
  for (let i = 0; i < list.length; i++) tools.push(decodeTool(list[i], itemPath('tools', i)))
  return tools
}

function decodeTool (value: unknown, path: string): ToolDefinition {
  const tool = expectObject(value, path)
  const type = expectOneOf(tool.type, fieldPath(path, 'type'), ['function', 'custom'])
  return type === 'function' ? functionTool(tool, path) : customTool(tool, path)
}

function functionTool (tool: JsonObject, path: string): ToolDefinition {
  checkKeys(tool, path, FUNCTION_TOOL_KEYS)
  const fnPath = fieldPath(path, 'function')
  const fn = expectObject(tool.function, fnPath)
  checkKeys(fn, fnPath, FUNCTION_KEYS)
  const out: { kind: 'function', name: string, description?: string, parameters?: JsonObject, strict?: boolean } = {
    kind: 'function',
    name: expectString(fn.name, fieldPath(fnPath, 'name')),
  }
  const description = optionalString(fn.description, fieldPath(fnPath, 'description'))
  if (description !== undefined) out.description = description
  if (!isAbsent(fn.parameters)) out.parameters = expectObject(fn.parameters, fieldPath(fnPath, 'parameters'))
  const strict = optionalBoolean(fn.strict, fieldPath(fnPath, 'strict'))
  if (strict !== undefined) out.strict = strict
  return out
}

function customTool (tool: JsonObject, path: string): ToolDefinition {
  checkKeys(tool, path, CUSTOM_TOOL_KEYS)
  const customPath = fieldPath(path, 'custom')
  const custom = expectObject(tool.custom, customPath)
  checkKeys(custom, customPath, CUSTOM_KEYS)
  const out: { kind: 'custom', name: string, description?: string, format?: JsonObject } = {
    kind: 'custom',
    name: expectString(custom.name, fieldPath(customPath, 'name')),
  }
  const description = optionalString(custom.description, fieldPath(customPath, 'description'))
  if (description !== undefined) out.description = description
  if (!isAbsent(custom.format)) out.format = expectObject(custom.format, fieldPath(customPath, 'format'))
  return out
}

/** `"none"|"auto"|"required"` or `{type:"function"|"custom", <type>:{name}}` (§6.4). */
export function decodeToolChoice (value: unknown): ToolChoice | undefined {
  if (isAbsent(value)) return undefined
  if (typeof value === 'string') return { type: expectOneOf(value, 'tool_choice', ['none', 'auto', 'required']) }
  const choice = expectObject(value, 'tool_choice')
  const type = expectString(choice.type, 'tool_choice.type')
  if (type !== 'function' && type !== 'custom') {
    throw convertError('tool_choice.type', `'${type}' is not supported yet`, true)
  }
  checkKeys(choice, 'tool_choice', type === 'function' ? CHOICE_FUNCTION_KEYS : CHOICE_CUSTOM_KEYS)
  const target = expectObject(choice[type], fieldPath('tool_choice', type))
  checkKeys(target, fieldPath('tool_choice', type), CHOICE_NAME_KEYS)
  return { type: 'tool', name: expectString(target.name, fieldPath('tool_choice', type + '.name')) }
}
