// Canonical finish → Responses terminal status (PROTOCOLS.md §6.7, §2.5): token limit and
// content filter end `incomplete` with a reason; tool calls end `completed`.
import type { Finish, FinishReason } from '../../canonical/finish-reason.js'
import type { IncompleteDetails, ResponseError, ResponseStatus } from './wire.js'

export interface Terminal {
  readonly status: Extract<ResponseStatus, 'completed' | 'incomplete' | 'failed'>
  readonly incomplete: IncompleteDetails | null
  readonly error?: ResponseError
}

const COMPLETED: Terminal = { status: 'completed', incomplete: null }
/** A backend that ended "with an error" but sent no error event: no details to give. */
const FAILED: Terminal = { status: 'failed', incomplete: null, error: { code: 'server_error', message: 'the backend reported an error' } }

const TO_TERMINAL: Readonly<Record<FinishReason, Terminal>> = {
  stop: COMPLETED,
  'tool-calls': COMPLETED,
  other: COMPLETED,
  length: { status: 'incomplete', incomplete: { reason: 'max_output_tokens' } },
  'content-filter': { status: 'incomplete', incomplete: { reason: 'content_filter' } },
  error: FAILED,
}

export function terminalOf (finish: Finish): Terminal {
  return TO_TERMINAL[finish.reason]
}

/** The lifecycle event that carries a terminal status. */
export const TERMINAL_EVENT = {
  completed: 'response.completed',
  incomplete: 'response.incomplete',
  failed: 'response.failed',
} as const
