// Coze failures → canonical errors (PROTOCOLS.md §6.11). Coze answers `{code, msg, detail:
// {logid}}` with `code: 0` on success; a failure may come with a 4xx/5xx status OR with HTTP 200
// and `code != 0` (@coze/api `APIClient.makeRequest` checks `code` on every JSON reply, also on a
// stream request answered with JSON). Kinds follow the docs page coze_error_codes; the SDK's
// `APIError.generate` agrees on 4000 bad request, 4100 auth, 4101 permission, 4200 not found.
// One disagreement: the SDK makes 4013 a RateLimitError, the docs call it "model service error,
// retry later" — it is a server error here (still retryable, but not the caller's rate).
// Codes without an entry: 4xxx is the caller's request, anything else the server's.
import { errorKindForStatus, STATUS_BY_KIND, type CanonicalError, type ErrorKind } from '../../canonical/error.js'
import { isObject } from '../shared/json.js'

interface CodeInfo { readonly kind: ErrorKind, readonly status?: number }

const BY_CODE: ReadonlyMap<number, CodeInfo> = new Map<number, CodeInfo>([
  [4000, { kind: 'invalid_request' }], // request parameter error
  [4001, { kind: 'not_found' }], // invalid chat id
  [4002, { kind: 'not_found' }], // invalid conversation id
  [4003, { kind: 'invalid_request' }], // meta_data over its limits
  [4004, { kind: 'invalid_request' }], // additional_messages over its limits
  [4005, { kind: 'invalid_request' }], // invalid message
  [4006, { kind: 'not_found' }], // invalid bot id
  [4007, { kind: 'invalid_request' }], // stream:false needs auto_save_history
  [4008, { kind: 'rate_limit' }], // the bot's daily use is exhausted
  [4009, { kind: 'overloaded' }], // system request limit reached, retry later
  [4010, { kind: 'invalid_request' }], // prompt longer than the model's limit
  [4011, { kind: 'rate_limit' }], // Coze token balance exhausted (as OpenAI's insufficient_quota)
  [4012, { kind: 'invalid_request' }], // the bot's model is not available
  [4013, { kind: 'server_error' }], // model service error
  [4014, { kind: 'invalid_request' }], // the bot cannot answer this question
  [4015, { kind: 'permission' }], // bot not published to the API channel
  [4016, { kind: 'invalid_request', status: 409 }], // a chat is already running in this conversation
  [4019, { kind: 'rate_limit' }], // pay-as-you-go balance exhausted
  [4020, { kind: 'rate_limit' }], // RPM above the purchased peak
  [4021, { kind: 'invalid_request' }], // workflow not configured
  [4022, { kind: 'rate_limit' }], // model service in arrears
  [4100, { kind: 'authentication' }], // invalid token
  [4101, { kind: 'permission' }], // token lacks permission for the resource
  [4102, { kind: 'permission' }], // blocked by risk control
  [4200, { kind: 'not_found' }], // resource not found (e.g. unpublished workflow)
  [4302, { kind: 'request_too_large' }], // upload over the size limit
  [4314, { kind: 'not_found' }], // workflow execution not found
  [5000, { kind: 'server_error' }], // internal server error
  [700012006, { kind: 'authentication' }], // "access token invalid" (coze_error_codes example)
])

function infoFor (code: number): CodeInfo {
  return BY_CODE.get(code) ?? { kind: code >= 4000 && code < 5000 ? 'invalid_request' : 'server_error' }
}

function messageFor (code: number, msg: unknown): string {
  const text = typeof msg === 'string' && msg !== '' ? msg : 'Coze reported a failure'
  return text + ' (Coze code ' + code + ')'
}

/** A Coze failure code and message (an `error` event, a `last_error`, a workflow Error) → canonical. */
export function cozeCodeError (code: number, msg: unknown): CanonicalError {
  const info = infoFor(code)
  return { kind: info.kind, status: info.status ?? STATUS_BY_KIND[info.kind], message: messageFor(code, msg) }
}

function failureCode (body: unknown): number | undefined {
  if (!isObject(body)) return undefined
  const code = body.code
  return typeof code === 'number' && Number.isInteger(code) && code !== 0 ? code : undefined
}

/**
 * A JSON reply with HTTP 2xx that is a failure (`code != 0`), as a canonical error; `undefined`
 * for a success. The engine checks every 2xx JSON reply from a Coze backend with this.
 */
export function cozeJsonError (body: unknown): CanonicalError | undefined {
  const code = failureCode(body)
  return code === undefined ? undefined : cozeCodeError(code, (body as { msg?: unknown }).msg)
}

/** An upstream error reply → canonical; the status stays the upstream's, the kind prefers Coze's code. */
export function parseError (status: number, body: unknown, retryAfter: string | undefined): CanonicalError {
  const code = failureCode(body)
  const error: CanonicalError = code === undefined
    ? { kind: errorKindForStatus(status), status, message: 'the backend answered with HTTP status ' + status }
    : { kind: BY_CODE.get(code)?.kind ?? errorKindForStatus(status), status, message: messageFor(code, (body as { msg?: unknown }).msg) }
  return retryAfter === undefined ? error : { ...error, retryAfter }
}
