// A Responses `response` object → CanonicalResponse, for a Responses backend (PROTOCOLS.md §2.2,
// §6.7, §6.8, §6.9); the item mapping is in decode-output.ts. Lenient on what does not matter
// (id, model, created_at), strict on what does: a reply without an `output` array, or a call
// without call_id/name, is an upstream protocol error.
// A `failed` response (or one still `in_progress`/`queued`, which a non-background request
// should never get) cannot be a CanonicalResponse, and the contract gives decodeResponse no
// other way out: it throws the upstream-invalid-data error carrying the upstream's code and
// message, which the handler renders as a 502 naming the backend.
import { randomUUID } from 'node:crypto'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse } from '../../canonical/response.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import { hasToolCall } from '../shared/events.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { decodeFinish } from './decode-finish.js'
import { decodeOutput } from './decode-output.js'
import { decodeUsage } from './decode-usage.js'

/** Upstream messages travel in our error text: bounded, never a whole payload. */
const MAX_MESSAGE = 300

function bounded (text: string): string {
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE) + '…' : text
}

/** Why a 200 body is not a usable response, when it says so itself. */
function failureText (body: JsonObject): string | undefined {
  if (body.status === 'failed') {
    const error: JsonObject = isObject(body.error) ? body.error : {}
    const code = typeof error.code === 'string' ? ' (' + bounded(error.code) + ')' : ''
    const message = typeof error.message === 'string' && error.message !== '' ? bounded(error.message) : 'no error message'
    return 'the response failed' + code + ': ' + message
  }
  if (body.status === 'in_progress' || body.status === 'queued') return 'the response is not finished (status ' + body.status + ')'
  // Some compatible servers answer 200 with an error envelope instead of a response.
  if (!Array.isArray(body.output)) {
    const err = body.error
    if (isObject(err) && typeof err.message === 'string') return 'the reply is an error: ' + bounded(err.message)
    if (typeof err === 'string') return 'the reply is an error: ' + bounded(err)
  }
  return undefined
}

export function decodeResponse (body: unknown, request: CanonicalRequest): CanonicalResponse {
  if (!isObject(body)) throw new UpstreamInvalidData('the reply is not a JSON object')
  const failure = failureText(body)
  if (failure !== undefined) throw new UpstreamInvalidData(failure)
  if (!Array.isArray(body.output)) throw new UpstreamInvalidData('the reply has no output array')
  const content = decodeOutput(body.output)
  const status = typeof body.status === 'string' ? body.status : undefined
  const response: { -readonly [K in keyof CanonicalResponse]: CanonicalResponse[K] } = {
    id: typeof body.id === 'string' && body.id !== '' ? body.id : 'resp_' + randomUUID(),
    model: typeof body.model === 'string' && body.model !== '' ? body.model : request.model,
    created: typeof body.created_at === 'number' ? body.created_at : Math.floor(Date.now() / 1000),
    content,
    finish: decodeFinish(status, body.incomplete_details, hasToolCall(content)),
  }
  const usage = decodeUsage(body.usage)
  if (usage !== undefined) response.usage = usage
  return response
}
