// Errors from a Gemini backend → canonical (PROTOCOLS.md §4.4(e), §6.11). Google's envelope is
// `{error:{code,message,status,details}}` (an array around it when a stream was asked without
// `alt=sse`): the kind comes from the canonical status word (RESOURCE_EXHAUSTED → rate_limit,
// UNAVAILABLE → overloaded, …), else from the HTTP status. Gemini answers a bad API key with
// 400 INVALID_ARGUMENT, so an `ErrorInfo` detail with reason API_KEY_INVALID says
// authentication. The upstream message is kept. Retry-after comes from the header, else from a
// `google.rpc.RetryInfo` detail's `retryDelay` ("12s", "1.5s" → whole seconds, rounded up).
// An in-stream `{error}` chunk has no HTTP status of its own: its numeric `code` (4xx/5xx) is
// the status, else the one its status word implies.
import { errorKindForStatus, STATUS_BY_KIND, type CanonicalError, type ErrorKind } from '../../canonical/error.js'
import type { Mutable } from '../shared/request.js'
import { isObject, type JsonObject } from '../shared/json.js'

const KIND_BY_WORD: Readonly<Record<string, ErrorKind>> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  ALREADY_EXISTS: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'server_error',
  UNKNOWN: 'server_error',
  DATA_LOSS: 'server_error',
}

const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo'
const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo'

/** `body.error`, also inside the one-element array of a non-SSE stream. */
function envelope (body: unknown): JsonObject | undefined {
  const outer = Array.isArray(body) ? body[0] : body
  return isObject(outer) && isObject(outer.error) ? outer.error : undefined
}

function detail (err: JsonObject, type: string): JsonObject | undefined {
  if (!Array.isArray(err.details)) return undefined
  for (const d of err.details) if (isObject(d) && d['@type'] === type) return d
  return undefined
}

function kindOf (err: JsonObject | undefined): ErrorKind | undefined {
  if (err === undefined) return undefined
  if (detail(err, ERROR_INFO)?.reason === 'API_KEY_INVALID') return 'authentication'
  const word = err.status
  return typeof word === 'string' && Object.hasOwn(KIND_BY_WORD, word) ? KIND_BY_WORD[word] : undefined
}

/** `retryDelay` is a proto Duration in JSON: decimal seconds with an `s` suffix. */
function retryDelay (err: JsonObject | undefined): string | undefined {
  const delay = err === undefined ? undefined : detail(err, RETRY_INFO)?.retryDelay
  if (typeof delay !== 'string' || !delay.endsWith('s')) return undefined
  const seconds = Number(delay.slice(0, -1))
  return delay.length > 1 && Number.isFinite(seconds) && seconds >= 0 ? String(Math.ceil(seconds)) : undefined
}

function canonicalError (kind: ErrorKind, status: number, message: string, retryAfter: string | undefined): CanonicalError {
  const out: Mutable<CanonicalError> = { kind, status, message }
  if (retryAfter !== undefined) out.retryAfter = retryAfter
  return out
}

function messageOf (err: JsonObject | undefined): string | undefined {
  return err !== undefined && typeof err.message === 'string' && err.message !== '' ? err.message : undefined
}

/** An upstream HTTP error reply (status, parsed JSON body or undefined, `retry-after`); the status stays the upstream's. */
export function parseError (status: number, body: unknown, retryAfter: string | undefined): CanonicalError {
  const err = envelope(body)
  const message = messageOf(err) ?? 'the backend answered with HTTP status ' + status
  return canonicalError(kindOf(err) ?? errorKindForStatus(status), status, message, retryAfter ?? retryDelay(err))
}

/** §4.4(e): an `{error:{code,message,status}}` chunk mid-stream. */
export function streamError (chunk: JsonObject): CanonicalError {
  const err = envelope(chunk)
  const code = err?.code
  const numeric = typeof code === 'number' && Number.isInteger(code) && code >= 400 && code < 600 ? code : undefined
  const kind = kindOf(err) ?? (numeric === undefined ? 'server_error' : errorKindForStatus(numeric))
  const message = messageOf(err) ?? 'the backend stream failed'
  return canonicalError(kind, numeric ?? STATUS_BY_KIND[kind], message, retryDelay(err))
}
