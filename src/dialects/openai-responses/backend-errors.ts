// Errors from a Responses backend (PROTOCOLS.md §2.4, §2.5(e), §6.11) → canonical, through the
// parser both OpenAI dialects share: HTTP error replies carry the usual `{error:{…}}` envelope;
// mid-stream, an `error` event is flat (`code`, `message`, `param`) or nested (`error:{type,
// code,message,param}`), and a failed response carries `error:{code,message}` (codes such as
// `rate_limit_exceeded`, `server_error`, `invalid_prompt`). Stream errors have no HTTP status:
// the status follows from the kind, as for Chat stream errors.
import type { CanonicalError } from '../../canonical/error.js'
import { parseStreamError } from '../shared/openai-error-parse.js'
import { isObject, type JsonObject } from '../shared/json.js'

export { parseError } from '../shared/openai-error-parse.js'

/** An `error` stream event, flat or nested. */
export function errorEventError (event: JsonObject): CanonicalError {
  return parseStreamError(event, 'the backend stream failed')
}

/** A `failed` response object (`response.failed` event, or a whole reply with that status). */
export function failedResponseError (response: JsonObject): CanonicalError {
  const error = response.error
  // Codex's "opaque failure" (§7.22): `error:null` still has to say something.
  return parseStreamError(isObject(error) ? { error } : {}, 'the backend response failed without an error message')
}
