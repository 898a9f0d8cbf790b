// Upstream OpenAI error bodies → canonical errors (PROTOCOLS.md §1.4(e), §2.5(e), §6.11), shared
// by the openai-chat and openai-responses backends: `{error:{message,type,param,code}}`, the
// Responses `error` event (flat `{code,message,param}` or nested `error:{…}`) and a failed
// response's `error:{code,message}`. OpenAI-compatible servers vary: vLLM puts the envelope at
// the top level with a numeric `code`, others send `{error:"text"}` — all are read, nothing is
// required.
import { errorKindForStatus, STATUS_BY_KIND, type CanonicalError, type ErrorKind } from '../../canonical/error.js'
import { isObject, type JsonObject } from './json.js'

/** `error.code` / `error.type` words that say more than the status does. */
const KIND_BY_WORD: Readonly<Record<string, ErrorKind>> = {
  rate_limit_exceeded: 'rate_limit',
  rate_limit_error: 'rate_limit',
  insufficient_quota: 'rate_limit',
  // A prompt over the context window is the caller's to fix, whatever status carried it.
  context_length_exceeded: 'invalid_request',
  invalid_api_key: 'authentication',
  authentication_error: 'authentication',
  permission_error: 'permission',
  model_not_found: 'not_found',
  not_found_error: 'not_found',
  server_overloaded: 'overloaded',
  overloaded_error: 'overloaded',
  // Responses `response.error.code` values (§2.2): the prompt or its images were at fault.
  invalid_prompt: 'invalid_request',
  invalid_image: 'invalid_request',
  invalid_image_format: 'invalid_request',
  invalid_base64_image: 'invalid_request',
  invalid_image_url: 'invalid_request',
  image_too_large: 'invalid_request',
  image_too_small: 'invalid_request',
  image_parse_error: 'invalid_request',
  image_content_policy_violation: 'invalid_request',
  invalid_image_mode: 'invalid_request',
  image_file_too_large: 'invalid_request',
  unsupported_image_media_type: 'invalid_request',
  empty_image_file: 'invalid_request',
  failed_to_download_image: 'invalid_request',
  image_file_not_found: 'invalid_request',
  vector_store_timeout: 'timeout',
}


const STREAM_FALLBACK = 'the backend reported an error mid-stream'

function word (value: unknown): ErrorKind | undefined {
  return typeof value === 'string' && Object.hasOwn(KIND_BY_WORD, value) ? KIND_BY_WORD[value] : undefined
}

/** The object holding message/type/code: `body.error` when it is one, else the body itself. */
function envelope (body: unknown): JsonObject | undefined {
  if (!isObject(body)) return undefined
  return isObject(body.error) ? body.error : body
}

function messageOf (body: unknown, err: JsonObject | undefined, fallback: string): string {
  if (err !== undefined && typeof err.message === 'string' && err.message !== '') return err.message
  if (isObject(body) && typeof body.error === 'string' && body.error !== '') return body.error
  return fallback
}

function canonicalError (status: number, kind: ErrorKind, message: string, err: JsonObject | undefined, retryAfter: string | undefined): CanonicalError {
  const out: { kind: ErrorKind, status: number, message: string, param?: string, retryAfter?: string } = { kind, status, message }
  if (err !== undefined && typeof err.param === 'string') out.param = err.param
  if (retryAfter !== undefined) out.retryAfter = retryAfter
  return out
}

/** An upstream error reply → canonical; the status stays the upstream's. */
export function parseError (status: number, body: unknown, retryAfter: string | undefined): CanonicalError {
  const err = envelope(body)
  const kind = word(err?.code) ?? word(err?.type) ?? errorKindForStatus(status)
  return canonicalError(status, kind, messageOf(body, err, 'the backend answered with HTTP status ' + status), err, retryAfter)
}

/**
 * An in-stream error (Chat `{error}` chunk, Responses `error` event or failed response) →
 * canonical. The status comes from a numeric `code` or `status` when the server sent one, else
 * from what the error's words say, else 500.
 */
export function parseStreamError (body: JsonObject, fallback: string = STREAM_FALLBACK): CanonicalError {
  const err = envelope(body)
  const numeric = typeof err?.code === 'number' ? err.code : typeof err?.status === 'number' ? err.status : undefined
  const message = messageOf(body, err, fallback)
  if (numeric !== undefined && Number.isInteger(numeric) && numeric >= 400 && numeric < 600) {
    return canonicalError(numeric, word(err?.code) ?? word(err?.type) ?? errorKindForStatus(numeric), message, err, undefined)
  }
  const kind = word(err?.code) ?? word(err?.type) ?? 'server_error'
  return canonicalError(STATUS_BY_KIND[kind], kind, message, err, undefined)
}
