// Tool-call arguments travel canonically as a JSON string (fragments while streaming).
// Anthropic `tool_use.input` and Gemini `functionCall.args` need an object (PROTOCOLS.md §6.12).

/** The arguments as an object; `""` is `{}`; `undefined` when not a JSON object. */
export function parseToolArguments (args: string): Record<string, unknown> | undefined {
  if (args.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(args)
  } catch {
    return undefined
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
}
