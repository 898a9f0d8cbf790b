// Finish reasons both ways between Chat `finish_reason` and canonical (PROTOCOLS.md §6.7).
import type { Finish, FinishReason } from '../../canonical/finish-reason.js'
import type { ChatFinishReason } from './wire.js'

const TO_CHAT: Readonly<Record<FinishReason, ChatFinishReason>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  // Chat has no words for these; `stop` is what OpenAI itself reports for a malformed call.
  error: 'stop',
  other: 'stop',
}

/** A reply holding tool calls always ends with `tool_calls` (§6.7 rule). */
export function chatFinishReason (finish: Finish, sawToolCall: boolean): ChatFinishReason {
  return sawToolCall ? 'tool_calls' : TO_CHAT[finish.reason]
}

const FROM_CHAT: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  // Legacy `functions` API: the same meaning as tool_calls.
  function_call: 'tool-calls',
  content_filter: 'content-filter',
}

/** Upstream `finish_reason` → canonical; words other servers invent map to `other`, kept raw. */
export function canonicalFinish (raw: string): Finish {
  return { reason: Object.hasOwn(FROM_CHAT, raw) ? FROM_CHAT[raw] ?? 'other' : 'other', raw }
}
