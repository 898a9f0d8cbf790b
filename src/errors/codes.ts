// The single catalogue of Switchyard errors (STYLE.md §2.9), grouped by area. Per-request
// errors are created without a captured stack: they are expected and the stack says nothing.
import createError from '@fastify/error'

const NO_STACK = false
/** Optional trailing argument: @fastify/error moves it to `err.cause`. */
type Cause = { cause: unknown }

// Config errors are `ConfigError` (src/config/errors.ts): they never reach a client.

// Routing
export const RouteNoBackend = createError<[string]>('SWY_ERR_ROUTE_NO_BACKEND', 'no backend matches %s', 404, Error, NO_STACK)

// Request body
export const BadRequestTarget = createError<[string, string]>('SWY_ERR_BAD_REQUEST_TARGET', 'request target %s refused: %s', 400, Error, NO_STACK)
export const BodyTooLarge = createError<[number]>('SWY_ERR_BODY_TOO_LARGE', 'request body is larger than %s bytes', 413, Error, NO_STACK)
export const BodyInvalidJson = createError<[string, Cause?]>('SWY_ERR_CONVERT_INVALID_JSON', 'request body is not valid JSON: %s', 400, Error, NO_STACK)

// Conversion: a request the target dialect cannot carry. `field` names the JSON path.
export const ConvertInvalid = createError<'SWY_ERR_CONVERT_INVALID', 400, [string, string]>('SWY_ERR_CONVERT_INVALID', '%s: %s', 400, Error, NO_STACK)
export const ConvertUnsupported = createError<'SWY_ERR_CONVERT_UNSUPPORTED', 400, [string, string]>('SWY_ERR_CONVERT_UNSUPPORTED', '%s: %s', 400, Error, NO_STACK)

// Upstream
export const UpstreamConnect = createError<[string, string, Cause?]>('SWY_ERR_UPSTREAM_CONNECT', 'backend %s is unreachable: %s', 502, Error, NO_STACK)
export const UpstreamTimeout = createError<[string, Cause?]>('SWY_ERR_UPSTREAM_TIMEOUT', 'backend %s did not answer in time', 504, Error, NO_STACK)
export const UpstreamProtocol = createError<[string, string, Cause?]>('SWY_ERR_UPSTREAM_PROTOCOL', 'backend %s sent an invalid response: %s', 502, Error, NO_STACK)
/**
 * Thrown by dialect decoders, which do not know which backend they read: the pipeline rethrows it
 * as `UpstreamProtocol` naming the backend (or renders it as the stream's error event).
 */
export const UpstreamInvalidData = createError<[string, Cause?]>('SWY_ERR_UPSTREAM_INVALID_DATA', '%s', 502, Error, NO_STACK)

/** A conversion error carrying the JSON path of the field at fault. */
export function convertError (field: string, why: string, unsupported = false): Error & { field: string, statusCode: 400, code: string } {
  const err = unsupported ? new ConvertUnsupported(field, why) : new ConvertInvalid(field, why)
  return Object.assign(err, { field })
}
