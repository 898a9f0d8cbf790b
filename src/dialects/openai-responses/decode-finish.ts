// Upstream Responses terminal status → canonical finish (PROTOCOLS.md §2.2, §2.5, §6.7), for a
// Responses backend. `completed` is a natural end, or the tool reason when the output holds a
// tool call (Responses has no word of its own for it, §6.7 rule). `incomplete` says why in
// `incomplete_details.reason`: `max_output_tokens` → length, `content_filter` → content-filter;
// any other or no reason is still a reply cut short, so it is `length` too (never `stop`, which
// would hide the truncation), with the upstream's word kept in `raw`. A call cut off by the limit
// keeps `length`: it is not a finished call. `failed` is not a finish: it is an error.
import type { Finish } from '../../canonical/finish-reason.js'
import { isObject } from '../shared/json.js'

const CONTENT_FILTER: Finish = { reason: 'content-filter', raw: 'content_filter' }
const MAX_OUTPUT_TOKENS: Finish = { reason: 'length', raw: 'max_output_tokens' }

function incompleteFinish (details: unknown): Finish {
  const reason = isObject(details) ? details.reason : undefined
  if (reason === 'max_output_tokens') return MAX_OUTPUT_TOKENS
  if (reason === 'content_filter') return CONTENT_FILTER
  return { reason: 'length', raw: typeof reason === 'string' && reason !== '' ? reason : 'incomplete' }
}

/**
 * The finish for a response `status` other than `failed` (callers turn that into an error).
 * `undefined` status (some compatible servers omit it) keeps no raw word.
 */
export function decodeFinish (status: string | undefined, incompleteDetails: unknown, sawToolCall: boolean): Finish {
  if (status === 'incomplete') return incompleteFinish(incompleteDetails)
  if (sawToolCall) return status === undefined ? { reason: 'tool-calls' } : { reason: 'tool-calls', raw: status }
  if (status === 'completed') return { reason: 'stop', raw: status }
  // `cancelled`, or no status at all: ended, for no reason the canonical words name.
  return status === undefined ? { reason: 'other' } : { reason: 'other', raw: status }
}
