// The 429 the rate limiter throws. The root error handler renders it in the client's dialect
// (statusCode 429 → kind `rate_limit`) and copies `retryAfter` into the `retry-after` header.
// Created without a stack, like every expected per-request error (src/errors/codes.ts).
import createError from '@fastify/error'

export const RateLimitedError = createError<[string]>('SWY_ERR_RATE_LIMITED', '%s', 429, Error, false)

export function rateLimited (message: string, retryAfterSeconds: number): Error & { statusCode: 429, code: string, retryAfter: string } {
  return Object.assign(new RateLimitedError(message), { statusCode: 429 as const, retryAfter: String(retryAfterSeconds) })
}
