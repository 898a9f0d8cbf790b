// A tool call's name back in the client's namespaces (PROTOCOLS.md §2.1 `namespace` tools, §9).
// A backend without namespaces saw the flattened name `<namespace>__<name>` (canonical
// FunctionTool.namespace) and calls it by that name; Codex routes a call by (namespace, name),
// so the flat name is split back using the request's own tools. A call the upstream already
// tagged with a namespace (a Responses backend) keeps it; a name no namespaced tool flattens to
// stays as is.
import type { CanonicalRequest } from '../../canonical/request.js'

export interface CallName {
  readonly name: string
  readonly namespace?: string
}

/** Flattened name → the namespaced tool it stands for; `undefined` when the request has none. */
export type NamespaceIndex = ReadonlyMap<string, CallName> | undefined

const SEPARATOR = '__'

/** Built once per response. A plain tool whose name equals a flattened one wins (it is exact). */
export function namespaceIndex (req: CanonicalRequest): NamespaceIndex {
  if (req.tools === undefined) return undefined
  let index: Map<string, CallName> | undefined
  for (const tool of req.tools) {
    if (tool.namespace === undefined) continue
    const flat = tool.namespace + SEPARATOR + tool.name
    if (req.tools.some(t => t.namespace === undefined && t.name === flat)) continue
    index ??= new Map()
    index.set(flat, { name: tool.name, namespace: tool.namespace })
  }
  return index
}

export function callName (name: string, namespace: string | undefined, index: NamespaceIndex): CallName {
  if (namespace !== undefined) return { name, namespace }
  return index?.get(name) ?? { name }
}
