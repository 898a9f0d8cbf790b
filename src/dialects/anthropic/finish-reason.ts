// Canonical finish → Anthropic `stop_reason` (PROTOCOLS.md §6.7).
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

/** A reply holding tool calls always ends with `tool_use` (§6.7 rule). */
export function anthropicStop (finish: Finish, sawToolCall: boolean): AnthropicStop {
  if (sawToolCall) return { stop_reason: 'tool_use', stop_sequence: null }
  if (finish.stopSequence !== undefined) return { stop_reason: 'stop_sequence', stop_sequence: finish.stopSequence }
  if (finish.raw !== undefined && KEPT_RAW.has(finish.raw)) return { stop_reason: finish.raw as StopReason, stop_sequence: null }
  return { stop_reason: TO_ANTHROPIC[finish.reason], stop_sequence: null }
}
