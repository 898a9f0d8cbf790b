// Custom (freeform) tools on a Chat backend (PROTOCOLS.md §6.3, §7.24): Chat-compatible servers
// only know function tools, so a custom tool is sent as a function with one string parameter
// `input`, its calls as arguments `{"input": <raw text>}`, and replies are unwrapped back.
// A grammar `format` cannot travel; the model sees only the description.
import type { CanonicalRequest } from '../../canonical/request.js'

export const CUSTOM_TOOL_PARAMETERS: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The raw input for the tool.' } },
  required: ['input'],
  additionalProperties: false,
}

export function wrapCustomInput (raw: string): string {
  return JSON.stringify({ input: raw })
}

/**
 * The raw input out of a wrapped call's complete arguments. Anything else (the model ignored
 * the schema) is passed on verbatim rather than dropped.
 */
export function unwrapCustomInput (args: string): string {
  let value: unknown
  try {
    value = JSON.parse(args)
  } catch {
    return args
  }
  if (typeof value !== 'object' || value === null) return args
  const input = (value as { input?: unknown }).input
  return typeof input === 'string' ? input : args
}

/** Names of the request's custom tools: calls to them come back as custom calls. */
export function customToolNames (request: CanonicalRequest): ReadonlySet<string> {
  const names = new Set<string>()
  for (const tool of request.tools ?? []) if (tool.kind === 'custom') names.add(tool.name)
  return names
}
