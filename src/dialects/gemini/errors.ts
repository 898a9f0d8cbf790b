// Gemini error envelope (PROTOCOLS.md §4.4(e), §6.11): `{error:{code,message,status}}` with
// the canonical status word. Anthropic's 529 becomes 503; too-large is a 400 for Gemini.
import type { CanonicalError, ErrorKind } from '../../canonical/error.js'
import type { RenderedError } from '../types.js'
import { errorHeaders } from '../shared/error-headers.js'
import type { GeminiErrorBody } from './wire.js'

const STATUS_WORD: Readonly<Record<ErrorKind, string>> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  request_too_large: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  server_error: 'INTERNAL',
  overloaded: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
}

function geminiStatus (err: CanonicalError): number {
  if (err.status === 529) return 503
  if (err.kind === 'request_too_large') return 400
  return err.status
}

/** Mid-stream too: js-genai throws ApiError for a chunk with a numeric 4xx/5xx `code` (§5.5). */
export function geminiErrorBody (err: CanonicalError): GeminiErrorBody {
  return { error: { code: geminiStatus(err), message: err.message, status: STATUS_WORD[err.kind] } }
}

export function renderError (err: CanonicalError, _requestId?: string): RenderedError {
  const status = geminiStatus(err)
  return { status, headers: errorHeaders(err, status), body: geminiErrorBody(err) }
}
