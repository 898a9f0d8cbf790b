// Responses freeform (`custom`) tools over Anthropic (PROTOCOLS.md §6.3, §7.24): sent as a
// function of one string `input`; calls to them come back as `{input:"…"}` and are unwrapped to
// the raw text so the client sees a custom tool call again.
import type { CanonicalRequest } from '../../canonical/request.js'

export const CUSTOM_TOOL_SCHEMA: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: { input: { type: 'string' } },
  required: ['input'],
}

const NONE: ReadonlySet<string> = new Set()

/** Names of the request's custom tools (usually none: computed once per response). */
export function customToolNames (request: CanonicalRequest): ReadonlySet<string> {
  if (request.tools === undefined) return NONE
  const names = new Set<string>()
  for (const t of request.tools) if (t.kind === 'custom') names.add(t.name)
  return names.size === 0 ? NONE : names
}

/** The raw text of a custom call's input object; `undefined` when it is not `{input:string}`. */
export function customInput (input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined
  const text = (input as { input?: unknown }).input
  return typeof text === 'string' ? text : undefined
}
