// Responses freeform (`custom`) tools on backends that only know function tools (PROTOCOLS.md
// §6.3, §7.24): a custom tool is sent as a function with one string parameter `input`, its calls
// as arguments `{"input": <raw text>}`, and replies are unwrapped back to raw text so the client
// sees a custom tool call again. A grammar `format` cannot travel; the model sees only the
// description.
import type { CanonicalRequest } from '../../canonical/request.js'

export const CUSTOM_TOOL_PARAMETERS: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The raw input for the tool.' } },
  required: ['input'],
}

const NONE: ReadonlySet<string> = new Set()

/** Names of the request's custom tools (usually none: computed once per response). */
export function customToolNames (request: CanonicalRequest): ReadonlySet<string> {
  if (request.tools === undefined) return NONE
  const names = new Set<string>()
  // Namespaced custom tools travel under their flattened name and are unwrapped by namespaces.ts.
  for (const t of request.tools) if (t.kind === 'custom' && t.namespace === undefined) names.add(t.name)
  return names.size === 0 ? NONE : names
}

/** A custom call's raw text as function-call arguments. */
export function wrapCustomInput (raw: string): string {
  return JSON.stringify({ input: raw })
}

/** The raw text of a parsed `{input:string}` object; `undefined` when it is not that shape. */
export function customInput (input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined
  const text = (input as { input?: unknown }).input
  return typeof text === 'string' ? text : undefined
}

/**
 * The raw input out of a wrapped call's complete JSON arguments. Anything else (the model ignored
 * the schema) is passed on verbatim rather than dropped.
 */
export function unwrapCustomInput (args: string): string {
  let value: unknown
  try {
    value = JSON.parse(args)
  } catch {
    return args
  }
  return customInput(value) ?? args
}
