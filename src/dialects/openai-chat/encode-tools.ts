// Canonical tools and tool_choice → Chat (PROTOCOLS.md §6.3, §6.4). `cacheControl` is Anthropic's
// and is stripped (§6.10, §7.25); custom tools become function tools (custom-tools.ts);
// namespaced tools become functions named `<namespace>__<name>` (namespaces.ts).
import type { ToolChoice, ToolDefinition } from '../../canonical/request.js'
import { CUSTOM_TOOL_PARAMETERS } from '../shared/custom-tools.js'
import { checkFlatNames, choiceToolName, flatToolName } from '../shared/namespaces.js'
import type { ChatFunctionTool, ChatToolChoice } from './wire.js'

function functionTool (tool: ToolDefinition): ChatFunctionTool {
  const fn: { name: string, description?: string, parameters?: Readonly<Record<string, unknown>>, strict?: boolean } = { name: flatToolName(tool.name, tool.namespace) }
  if (tool.description !== undefined) fn.description = tool.description
  if (tool.kind === 'custom') {
    fn.parameters = CUSTOM_TOOL_PARAMETERS
  } else {
    if (tool.parameters !== undefined) fn.parameters = tool.parameters
    if (tool.strict !== undefined) fn.strict = tool.strict
  }
  return { type: 'function', function: fn }
}

export function encodeTools (tools: readonly ToolDefinition[]): ChatFunctionTool[] {
  checkFlatNames(tools)
  const out: ChatFunctionTool[] = []
  for (const tool of tools) out.push(functionTool(tool))
  return out
}

/** A named tool is always a function on the wire, custom and namespaced ones included. */
export function encodeToolChoice (choice: ToolChoice, tools: readonly ToolDefinition[]): ChatToolChoice {
  return choice.type === 'tool' ? { type: 'function', function: { name: choiceToolName(choice.name, tools) } } : choice.type
}
