// Canonical tools and tool_choice → Anthropic (PROTOCOLS.md §3.1, §6.3, §6.4). Custom tools take
// one string (custom-tools.ts); namespaced tools are named `<namespace>__<name>` (namespaces.ts).
import type { CanonicalRequest, ToolChoice, ToolDefinition } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { withWireCache } from './cache-control.js'
import { CUSTOM_TOOL_PARAMETERS } from '../shared/custom-tools.js'
import { checkFlatNames, choiceToolName, flatToolName } from '../shared/namespaces.js'
import type { ToolChoiceParam, ToolParam } from './wire-request.js'

/** `input_schema` is required and must be an object schema (§6.3). */
const NO_PARAMETERS: Readonly<Record<string, unknown>> = { type: 'object', properties: {} }

export function encodeTools (tools: readonly ToolDefinition[] | undefined): ToolParam[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined
  checkFlatNames(tools)
  return tools.map((tool, i) => encodeTool(tool, 'tools[' + i + ']'))
}

function encodeTool (tool: ToolDefinition, path: string): ToolParam {
  const base: ToolParam = { name: flatToolName(tool.name, tool.namespace), input_schema: tool.kind === 'custom' ? CUSTOM_TOOL_PARAMETERS : inputSchema(tool.parameters, path) }
  const described: ToolParam = tool.description === undefined ? base : { ...base, description: tool.description }
  if (tool.kind === 'custom') return described
  const strict: ToolParam = tool.strict === undefined ? described : { ...described, strict: tool.strict }
  return withWireCache(strict, tool.cacheControl)
}

/**
 * Absent → an empty object schema; a schema without `type` (bare `properties`) gets
 * `type:"object"`; another top-level type cannot be an arguments object, so it is rejected
 * (wrapping it would change the arguments the tool receives).
 */
function inputSchema (parameters: Readonly<Record<string, unknown>> | undefined, path: string): Readonly<Record<string, unknown>> {
  if (parameters === undefined) return NO_PARAMETERS
  if (parameters.type === 'object') return parameters
  if (parameters.type === undefined) return { type: 'object', ...parameters }
  throw convertError(path + '.parameters', 'Anthropic tools take an object schema (type "object")', true)
}

/**
 * §6.4: `required` is `any`; parallel off is `disable_parallel_tool_use` (not on `none`). With
 * thinking on, Anthropic accepts only auto/none: a forced choice is downgraded to `auto`.
 * No tools → no tool_choice (the API rejects one without tools).
 */
export function encodeToolChoice (req: CanonicalRequest, thinking: boolean): ToolChoiceParam | undefined {
  if (req.tools === undefined || req.tools.length === 0) return undefined
  const choice: ToolChoice | undefined = req.toolChoice ?? (req.parallelToolCalls === false ? { type: 'auto' } : undefined)
  if (choice === undefined) return undefined
  if (choice.type === 'none') return { type: 'none' }
  const forced = choice.type === 'required' || choice.type === 'tool'
  const base: ToolChoiceParam = thinking && forced
    ? { type: 'auto' }
    : choice.type === 'tool' ? { type: 'tool', name: choiceToolName(choice.name, req.tools) } : { type: choice.type === 'required' ? 'any' : 'auto' }
  return req.parallelToolCalls === false ? { ...base, disable_parallel_tool_use: true } : base
}
