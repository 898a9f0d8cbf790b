// Anthropic error envelope (PROTOCOLS.md §3.4(e), §6.11): `{type:"error",error:{type,message},
// request_id}`. Rendering (client half): overload is 529 `overloaded_error` for Anthropic
// clients (Claude Code has special "repeated 529" handling), whatever status the backend used.
// Parsing (backend half): an upstream error reply or `event: error` → canonical error; the
// upstream status is kept as is (529 stays 529 here; each client renderer maps it).
import { errorKindForStatus, type CanonicalError, type ErrorKind } from '../../canonical/error.js'
import type { RenderedError } from '../types.js'
import { errorHeaders } from '../shared/error-headers.js'
import { isObject } from '../shared/json.js'
import type { AnthropicErrorBody } from './wire.js'

const ERROR_TYPE: Readonly<Record<ErrorKind, string>> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  server_error: 'api_error',
  overloaded: 'overloaded_error',
  timeout: 'timeout_error',
}

export function anthropicErrorObject (err: CanonicalError): AnthropicErrorBody['error'] {
  return { type: ERROR_TYPE[err.kind], message: err.message }
}

function anthropicStatus (err: CanonicalError): number {
  return err.kind === 'overloaded' && err.status === 503 ? 529 : err.status
}

export function renderError (err: CanonicalError, requestId?: string): RenderedError {
  const status = anthropicStatus(err)
  const headers = errorHeaders(err, status)
  if (requestId !== undefined) headers['request-id'] = requestId
  const body: AnthropicErrorBody = { type: 'error', error: anthropicErrorObject(err), request_id: requestId ?? null }
  return { status, headers, body }
}

/** Anthropic `error.type` → canonical kind and the status Anthropic sends it with. */
const FROM_TYPE: Readonly<Record<string, readonly [ErrorKind, number]>> = {
  invalid_request_error: ['invalid_request', 400],
  authentication_error: ['authentication', 401],
  billing_error: ['permission', 402],
  permission_error: ['permission', 403],
  not_found_error: ['not_found', 404],
  request_too_large: ['request_too_large', 413],
  rate_limit_error: ['rate_limit', 429],
  api_error: ['server_error', 500],
  timeout_error: ['timeout', 504],
  overloaded_error: ['overloaded', 529],
}

function errorFields (body: unknown): { type?: string, message?: string } {
  const error = isObject(body) ? body.error : undefined
  if (!isObject(error)) return {}
  const out: { type?: string, message?: string } = {}
  if (typeof error.type === 'string') out.type = error.type
  if (typeof error.message === 'string') out.message = error.message
  return out
}

/** An upstream HTTP error reply (status, parsed JSON body or undefined, `retry-after`). */
export function parseError (status: number, body: unknown, retryAfter: string | undefined): CanonicalError {
  const { type, message } = errorFields(body)
  const known = type !== undefined && Object.hasOwn(FROM_TYPE, type) ? FROM_TYPE[type] : undefined
  const err: CanonicalError = {
    kind: known?.[0] ?? errorKindForStatus(status),
    status,
    message: message ?? `the backend answered HTTP ${status}`,
  }
  return retryAfter === undefined ? err : { ...err, retryAfter }
}

/** A mid-stream `event: error` (§3.4 e): no HTTP status, so Anthropic's own for the type. */
export function streamError (data: unknown): CanonicalError {
  const { type, message } = errorFields(data)
  const known = type !== undefined && Object.hasOwn(FROM_TYPE, type) ? FROM_TYPE[type] : undefined
  const [kind, status] = known ?? ['server_error', 500]
  return { kind, status, message: message ?? 'the backend stream failed' + (type === undefined ? '' : ': ' + type) }
}
