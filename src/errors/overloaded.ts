// Load shedding's error (plugins/load-shedding.ts): a 503 with `retry-after`, rendered in the
// client's dialect by the error handler (Anthropic clients see it as 529 overloaded_error).
import createError from '@fastify/error'

/** Seconds a shed client should wait: event-loop stalls are short, but retrying at once feeds them. */
export const SHED_RETRY_AFTER_SECONDS = 2

const OverloadedBase = createError('SWY_ERR_OVERLOADED', 'the gateway is overloaded, retry later', 503, Error, false)

/** The error handler copies a string `retryAfter` into the dialect's `retry-after` header. */
export class Overloaded extends OverloadedBase {
  readonly retryAfter = String(SHED_RETRY_AFTER_SECONDS)
}
