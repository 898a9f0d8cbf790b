// Errors of the response store. `Unavailable` is what a stateful request gets while the store
// (Redis) cannot be reached: a 503 saying so, in the client's dialect. Created without a stack
// (STYLE.md §2.9: expected per-request errors); the cause is kept for the log.
import createError from '@fastify/error'

export const ResponseStoreUnavailable = createError<[{ cause: unknown }?]>(
  'SWY_ERR_RESPONSES_STORE_UNAVAILABLE', 'the response store is unavailable; retry later', 503, Error, false,
)

/** Wraps whatever the store client threw. */
export function storeUnavailable (cause: unknown): Error {
  return new ResponseStoreUnavailable({ cause })
}

export function isStoreUnavailable (err: unknown): boolean {
  return (err as { code?: unknown }).code === 'SWY_ERR_RESPONSES_STORE_UNAVAILABLE'
}
