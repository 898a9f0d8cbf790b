// Finish reasons both ways (PROTOCOLS.md §6.7): canonical → Anthropic `stop_reason` for clients,
// Anthropic `stop_reason` → canonical for backends. The backend's word is always kept as `raw`.
import type { Finish, FinishReason } from '../../canonical/finish-reason.js'
import type { StopReason } from './wire.js'

const TO_ANTHROPIC: Readonly<Record<FinishReason, StopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  error: 'end_turn',
  other: 'end_turn',
}

/** Anthropic's own words with no canonical equivalent survive from an Anthropic backend. */
const KEPT_RAW: ReadonlySet<string> = new Set<StopReason>(['pause_turn', 'model_context_window_exceeded'])

export interface AnthropicStop {
  readonly stop_reason: StopReason
  readonly stop_sequence: string | null
}

/**
 * A reply holding tool calls always ends with `tool_use` (§6.7 rule); one holding a refusal
 * (Chat `refusal`, Responses refusal part) ends with `refusal`.
 */
export function anthropicStop (finish: Finish, sawToolCall: boolean, sawRefusal = false): AnthropicStop {
  if (sawToolCall) return { stop_reason: 'tool_use', stop_sequence: null }
  if (sawRefusal) return { stop_reason: 'refusal', stop_sequence: null }
  if (finish.stopSequence !== undefined) return { stop_reason: 'stop_sequence', stop_sequence: finish.stopSequence }
  if (finish.raw !== undefined && KEPT_RAW.has(finish.raw)) return { stop_reason: finish.raw as StopReason, stop_sequence: null }
  return { stop_reason: TO_ANTHROPIC[finish.reason], stop_sequence: null }
}

const FROM_ANTHROPIC: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool-calls',
  stop_sequence: 'stop',
  refusal: 'content-filter',
  pause_turn: 'other',
  // The context window ran out mid-reply: like a token limit to every other dialect.
  model_context_window_exceeded: 'length',
}

/** Backend `stop_reason` (+ `stop_sequence`) → canonical; unknown words become `other`. */
export function canonicalFinish (stopReason: string, stopSequence: unknown): Finish {
  const reason = Object.hasOwn(FROM_ANTHROPIC, stopReason) ? FROM_ANTHROPIC[stopReason] as FinishReason : 'other'
  if (stopReason === 'stop_sequence' && typeof stopSequence === 'string') return { reason, raw: stopReason, stopSequence }
  return { reason, raw: stopReason }
}
