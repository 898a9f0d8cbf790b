// Canonical finish → Gemini `finishReason` (PROTOCOLS.md §6.7). Gemini has no tool-call
// reason: function calls come with `STOP`.
import type { Finish, FinishReason } from '../../canonical/finish-reason.js'

const TO_GEMINI: Readonly<Record<FinishReason, string>> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  'tool-calls': 'STOP',
  'content-filter': 'SAFETY',
  error: 'OTHER',
  other: 'OTHER',
}

/** Gemini's own finer words survive from a Gemini backend (`RECITATION` rather than `SAFETY`). */
const KEPT_RAW: ReadonlySet<string> = new Set([
  'SAFETY', 'RECITATION', 'LANGUAGE', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY',
  'MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS',
])

export const MALFORMED_FUNCTION_CALL = 'MALFORMED_FUNCTION_CALL'

export function geminiFinishReason (finish: Finish): string {
  if (finish.raw !== undefined && KEPT_RAW.has(finish.raw) && (finish.reason === 'content-filter' || finish.reason === 'other')) return finish.raw
  return TO_GEMINI[finish.reason]
}
