// Canonical content → Gemini parts (PROTOCOLS.md §4.2, §6.12): reasoning is a `thought` text
// part; a tool call is ONE whole `functionCall` part with parsed `args`.
import type { GeminiPart } from './wire.js'
import { parseToolArguments } from '../shared/tool-arguments.js'

/** `undefined` when the arguments are not a JSON object (→ `MALFORMED_FUNCTION_CALL`). */
export function functionCallPart (id: string | undefined, name: string, args: string): GeminiPart | undefined {
  const parsed = parseToolArguments(args)
  if (parsed === undefined) return undefined
  return { functionCall: id === undefined ? { name, args: parsed } : { id, name, args: parsed } }
}

/** §5.5: never `parts:[]` (js-genai chat history rejects it); an empty text part is fine. */
export const EMPTY_PARTS: readonly GeminiPart[] = [{ text: '' }]
