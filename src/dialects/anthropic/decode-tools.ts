// `tools` and `tool_choice` → canonical (PROTOCOLS.md §3.1, §6.3, §6.4). Custom tools only:
// server tools (`{type:"web_search_20250305",…}`) run inside Anthropic's API and have no
// equivalent elsewhere, so they are rejected naming `tools[i].type`.
import type { FunctionTool, ToolChoice, ToolDefinition } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import {
  expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, optionalBoolean, optionalString,
} from '../shared/json.js'
import { decodeCacheControl, withCache } from './cache-control.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const TOOL_KEYS: KeyRules = {
  known: new Set(['type', 'name', 'description', 'input_schema', 'strict', 'cache_control']),
  ignored: IGNORED_FIELDS,
  pattern: 'tools[]',
}
const CHOICE_KEYS: KeyRules = { known: new Set(['type', 'name', 'disable_parallel_tool_use']), ignored: IGNORED_FIELDS, pattern: 'tool_choice' }
const CHOICES = ['auto', 'any', 'none', 'tool'] as const

export function decodeTools (value: unknown): ToolDefinition[] | undefined {
  if (isAbsent(value)) return undefined
  const list = expectArray(value, 'tools')
  const out: ToolDefinition[] = []
  for (let i = 0; i < list.length; i++) out.push(decodeTool(list[i], itemPath('tools', i)))
  return out
}

function decodeTool (value: unknown, path: string): FunctionTool {
  const tool = expectObject(value, path)
  const type = optionalString(tool.type, fieldPath(path, 'type'))
  if (type !== undefined && type !== 'custom') {
    throw convertError(fieldPath(path, 'type'), `'${type}': Anthropic server tools are not supported`, true)
  }
  checkKeys(tool, path, TOOL_KEYS)
  let out: FunctionTool = {
    kind: 'function',
    name: expectString(tool.name, fieldPath(path, 'name')),
    parameters: expectObject(tool.input_schema, fieldPath(path, 'input_schema')),
  }
  const description = optionalString(tool.description, fieldPath(path, 'description'))
  if (description !== undefined) out = { ...out, description }
  const strict = optionalBoolean(tool.strict, fieldPath(path, 'strict'))
  if (strict !== undefined) out = { ...out, strict }
  return withCache(out, decodeCacheControl(tool.cache_control, fieldPath(path, 'cache_control')))
}

export interface DecodedChoice {
  readonly toolChoice?: ToolChoice
  readonly parallelToolCalls?: boolean
}

/** `any` is canonical `required`; `disable_parallel_tool_use` is the inverse of parallelToolCalls. */
export function decodeToolChoice (value: unknown): DecodedChoice {
  if (isAbsent(value)) return {}
  const choice = expectObject(value, 'tool_choice')
  checkKeys(choice, 'tool_choice', CHOICE_KEYS)
  const type = expectOneOf(choice.type, 'tool_choice.type', CHOICES)
  const toolChoice: ToolChoice = type === 'tool'
    ? { type: 'tool', name: expectString(choice.name, 'tool_choice.name') }
    : { type: type === 'any' ? 'required' : type }
  const disable = optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use')
  return disable === undefined ? { toolChoice } : { toolChoice, parallelToolCalls: !disable }
}
