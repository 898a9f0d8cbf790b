// Canonical tools and tool_choice → Responses (PROTOCOLS.md §2.1, §6.3, §6.4, §7.24). Choices:
// - function tools are flat; `parameters` is `null` when absent (§6.3) and `strict` is always
//   sent, the client's value else `false`: Responses makes an unspecified `strict` true (§6.3),
//   which rejects most schemas clients write (Codex itself sends `strict:false`);
// - custom (freeform) tools travel natively, `format` (text or grammar) as sent;
// - tools with a `namespace` are grouped into one `{type:"namespace"}` tool, placed where its
//   first member was; the canonical model keeps no namespace description, and OpenAI requires
//   one, so it is the namespace's name;
// - a named tool_choice is `{type:"custom"}` when the named tool is custom, else a function;
// - cacheControl is Anthropic's and is stripped (§6.10, §7.25).
import type { ToolChoice, ToolDefinition } from '../../canonical/request.js'
import type { CustomToolParam, FunctionToolParam, NamespaceToolParam, ToolChoiceParam, ToolParam } from './wire-request.js'

function memberTool (tool: ToolDefinition): FunctionToolParam | CustomToolParam {
  const described = tool.description === undefined ? {} : { description: tool.description }
  if (tool.kind === 'custom') {
    return { type: 'custom', name: tool.name, ...described, ...(tool.format === undefined ? {} : { format: tool.format }) }
  }
  return { type: 'function', name: tool.name, ...described, parameters: tool.parameters ?? null, strict: tool.strict ?? false }
}

export function encodeTools (tools: readonly ToolDefinition[]): ToolParam[] {
  const out: ToolParam[] = []
  const groups = new Map<string, Array<FunctionToolParam | CustomToolParam>>()
  for (const tool of tools) {
    const member = memberTool(tool)
    if (tool.namespace === undefined) {
      out.push(member)
      continue
    }
    const group = groups.get(tool.namespace)
    if (group !== undefined) {
      group.push(member)
      continue
    }
    const members = [member]
    groups.set(tool.namespace, members)
    const ns: NamespaceToolParam = { type: 'namespace', name: tool.namespace, description: tool.namespace, tools: members }
    out.push(ns)
  }
  return out
}

export function encodeToolChoice (choice: ToolChoice, tools: readonly ToolDefinition[]): ToolChoiceParam {
  if (choice.type !== 'tool') return choice.type
  const custom = tools.some(t => t.kind === 'custom' && t.name === choice.name)
  return { type: custom ? 'custom' : 'function', name: choice.name }
}
