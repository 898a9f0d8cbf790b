// Responses `namespace` tool groups on backends that have no namespaces (PROTOCOLS.md §2.1,
// §6.3): a namespaced tool travels as a plain function named `<namespace>__<name>` — in tool
// definitions, tool_choice and replayed tool calls — and a called name that matches a
// namespaced tool of the request is split back into name + namespace, so the client sees a
// call inside its namespace again. `__` is the separator Codex already uses for MCP tools
// (`server__tool`, §9), so the model sees one convention. A flattened name that equals another
// tool's name would make the split ambiguous: encoders reject it (checkFlatNames).
import type { CanonicalRequest, ToolDefinition, ToolKind } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'

export const NAMESPACE_SEPARATOR = '__'

/** What a flattened wire name stands for. */
export interface NamespacedName {
  readonly namespace: string
  readonly name: string
  readonly kind: ToolKind
}

export type NamespaceLookup = ReadonlyMap<string, NamespacedName>

const NONE: NamespaceLookup = new Map()

/** The name a backend without namespaces sees. */
export function flatToolName (name: string, namespace: string | undefined): string {
  return namespace === undefined ? name : namespace + NAMESPACE_SEPARATOR + name
}

/** Flattened name → namespaced tool, for the request's namespaced tools (usually none: computed once per response). */
export function namespacedTools (request: CanonicalRequest): NamespaceLookup {
  if (request.tools === undefined) return NONE
  let lookup: Map<string, NamespacedName> | undefined
  for (const t of request.tools) {
    if (t.namespace === undefined) continue
    lookup ??= new Map()
    lookup.set(flatToolName(t.name, t.namespace), { namespace: t.namespace, name: t.name, kind: t.kind })
  }
  return lookup ?? NONE
}

/** Rejects a flattened name that collides with another tool's wire name (`tools[i]` of the canonical request). */
export function checkFlatNames (tools: readonly ToolDefinition[]): void {
  if (!tools.some(t => t.namespace !== undefined)) return
  const seen = new Map<string, number>()
  for (let i = 0; i < tools.length; i++) {
    const tool = tools[i] as ToolDefinition
    const flat = flatToolName(tool.name, tool.namespace)
    const other = seen.get(flat)
    if (other !== undefined && (tool.namespace !== undefined || tools[other]?.namespace !== undefined)) {
      throw convertError('tools[' + i + ']', `namespaced tools are sent as '<namespace>${NAMESPACE_SEPARATOR}<name>'; '${flat}' is also the name of tools[${other}]`, true)
    }
    seen.set(flat, i)
  }
}

/**
 * The wire name for a tool_choice naming `name` (canonical choices carry no namespace): a plain
 * tool of that name wins; else the first namespaced tool with that bare name; else the name as sent.
 */
export function choiceToolName (name: string, tools: readonly ToolDefinition[]): string {
  let namespaced: ToolDefinition | undefined
  for (const t of tools) {
    if (t.name !== name) continue
    if (t.namespace === undefined) return name
    namespaced ??= t
  }
  return namespaced === undefined ? name : flatToolName(name, namespaced.namespace)
}
