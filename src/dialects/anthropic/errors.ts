// Anthropic error envelope (PROTOCOLS.md §3.4(e), §6.11): `{type:"error",error:{type,message},
// request_id}`. Overload is 529 `overloaded_error` for Anthropic clients (Claude Code has
// special "repeated 529" handling), whatever status the backend used.
import type { CanonicalError, ErrorKind } from '../../canonical/error.js'
import type { RenderedError } from '../types.js'
import { errorHeaders } from '../shared/error-headers.js'
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
