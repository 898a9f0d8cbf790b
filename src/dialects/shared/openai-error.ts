// The OpenAI error envelope, shared by openai-chat and openai-responses (PROTOCOLS.md §6.11):
// `{error:{message,type,param,code}}`. Anthropic's 529 becomes 503 for OpenAI clients.
import type { CanonicalError, ErrorKind } from '../../canonical/error.js'
import type { RenderedError } from '../types.js'
import { errorHeaders } from './error-headers.js'

export interface OpenAiErrorObject {
  readonly message: string
  readonly type: string
  readonly param: string | null
  readonly code: string | null
}

const TYPE_AND_CODE: Readonly<Record<ErrorKind, readonly [string, string | null]>> = {
  invalid_request: ['invalid_request_error', null],
  authentication: ['invalid_request_error', 'invalid_api_key'],
  permission: ['permission_error', 'permission_denied'],
  not_found: ['invalid_request_error', 'not_found'],
  request_too_large: ['invalid_request_error', 'request_too_large'],
  rate_limit: ['rate_limit_error', 'rate_limit_exceeded'],
  server_error: ['server_error', 'server_error'],
  overloaded: ['server_error', 'server_overloaded'],
  timeout: ['server_error', 'timeout'],
}

export function openAiErrorObject (err: CanonicalError): OpenAiErrorObject {
  const [type, code] = TYPE_AND_CODE[err.kind]
  return { message: err.message, type, param: err.param ?? null, code }
}

export function openAiStatus (err: CanonicalError): number {
  return err.status === 529 ? 503 : err.status
}

export function renderOpenAiError (err: CanonicalError, requestId?: string): RenderedError {
  const status = openAiStatus(err)
  const headers = errorHeaders(err, status)
  if (requestId !== undefined) headers['x-request-id'] = requestId
  return { status, headers, body: { error: openAiErrorObject(err) } }
}
