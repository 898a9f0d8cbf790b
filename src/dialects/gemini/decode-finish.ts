// Upstream Gemini `finishReason` → canonical finish (PROTOCOLS.md §4.2, §6.7), for a Gemini
// backend. The upstream word is always kept in `raw` (a Gemini client downstream, or the logs,
// can tell RECITATION from SAFETY).
// - STOP → stop; MAX_TOKENS → length; the safety family (SAFETY, RECITATION, LANGUAGE,
//   BLOCKLIST, PROHIBITED_CONTENT, SPII, IMAGE_SAFETY and the other IMAGE_* words) → content-filter;
//   MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS, OTHER,
//   FINISH_REASON_UNSPECIFIED and words newer than this code → other;
// - Gemini has no tool-call reason (calls come with STOP): a reply that holds ≥1 call ends with
//   `tool-calls` whatever the upstream said (§6.7 rule). Gemini calls arrive whole, so every call
//   seen is a finished call the client has to run, even when a later limit or filter stopped
//   the reply;
// - a blocked prompt (`promptFeedback.blockReason`, no candidates, §4.2) is a content-filter stop
//   with the block reason as `raw`.
import type { Finish, FinishReason } from '../../canonical/finish-reason.js'

const FROM_GEMINI: Readonly<Record<string, FinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content-filter',
  RECITATION: 'content-filter',
  LANGUAGE: 'content-filter',
  BLOCKLIST: 'content-filter',
  PROHIBITED_CONTENT: 'content-filter',
  SPII: 'content-filter',
  IMAGE_SAFETY: 'content-filter',
  IMAGE_PROHIBITED_CONTENT: 'content-filter',
  IMAGE_RECITATION: 'content-filter',
}

export function decodeFinish (raw: string, sawToolCall: boolean): Finish {
  if (sawToolCall) return { reason: 'tool-calls', raw }
  return { reason: Object.hasOwn(FROM_GEMINI, raw) ? FROM_GEMINI[raw] ?? 'other' : 'other', raw }
}

/** §4.2: the prompt itself was blocked; the client's dialect shows its content-filter stop. */
export function blockedFinish (blockReason: string): Finish {
  return { reason: 'content-filter', raw: blockReason }
}
