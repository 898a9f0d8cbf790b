// The response store on the request path (issue 6 §1; the store itself is src/responses-store).
// Only Responses clients answered through another dialect's backend use it — a request
// converted by plugins/handlers/convert.ts, and GET/DELETE `/v1/responses/{id}` when the routed
// backend is not a Responses backend (a Responses backend keeps its own state: those requests
// pass through, and its replies are never stored here).
//
// Errors are the Responses client's OpenAI envelope, rendered by its dialect; two carry the
// specific `code` OpenAI uses, which a canonical error has no slot for:
// - an unknown `previous_response_id`: 404, param `previous_response_id`, code
//   `previous_response_not_found` (OpenAI's own answer; the SDK raises NotFoundError). The same
//   for a response whose conversation was too large to keep, with a message giving the sizes and
//   what to do instead: the status and code a client already handles, the reason for its user;
// - the store unreachable (Redis down): 503, code `response_store_unavailable`, for stateful
//   requests only. Stateless requests never read the store, and a failed write after a reply
//   is only logged (src/responses-store/turn.ts).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CanonicalError } from '../../src/canonical/error.js'
import { clientSide } from '../../src/dialects/registry.js'
import type { OpenAiErrorObject } from '../../src/dialects/shared/openai-error.js'
import type { ClientOperation } from '../../src/dialects/types.js'
import { isStoreUnavailable } from '../../src/responses-store/errors.js'
import { fetchOwned, openTurn, type TurnFailure } from '../../src/responses-store/open-turn.js'
import type { ResponsesTurn } from '../../src/responses-store/turn.js'
import { isOversize, type OversizeMark, type ResponseStore } from '../../src/responses-store/types.js'
import { sendError } from '../error-handler.js'
import type { RequestContext } from '../request-context.js'

const ITEM_PREFIX = '/v1/responses/'
const UNAVAILABLE: CanonicalError = { kind: 'overloaded', status: 503, message: 'the response store is unavailable; retry later' }

/** Render in the Responses client's envelope with OpenAI's specific `code`. */
function sendCoded (request: FastifyRequest, reply: FastifyReply, error: CanonicalError, code: string): FastifyReply {
  const rendered = clientSide('openai-responses').renderError(error, request.id)
  const body = rendered.body as { readonly error: OpenAiErrorObject }
  return reply.code(rendered.status).headers(rendered.headers).send({ error: { ...body.error, code } })
}

function sendUnavailable (request: FastifyRequest, reply: FastifyReply, cause: unknown): FastifyReply {
  request.log.warn({ code: (cause as { code?: unknown }).code }, 'response store unavailable')
  return sendCoded(request, reply, UNAVAILABLE, 'response_store_unavailable')
}

/** Why a response id the client was shown has nothing to continue or return. */
function oversizeReason (oversize: OversizeMark['oversize']): string {
  return `its conversation came to ${oversize.bytes} bytes, over the response store's limit of ${oversize.limit}`
}

function sendFailure (request: FastifyRequest, reply: FastifyReply, failure: TurnFailure): FastifyReply {
  if (failure.kind === 'unavailable') return sendUnavailable(request, reply, failure.cause)
  const message = failure.kind === 'oversize'
    ? `Previous response with id '${failure.id}' was not stored: ${oversizeReason(failure.oversize)}. Send the conversation as input instead of previous_response_id.`
    : `Previous response with id '${failure.id}' not found.`
  const error: CanonicalError = { kind: 'not_found', status: 404, message, param: 'previous_response_id' }
  return sendCoded(request, reply, error, 'previous_response_not_found')
}

const ownerOf = (request: FastifyRequest): string | null => (request.switchyard as RequestContext).clientKey?.name ?? null

export type TurnStart = { readonly turn: ResponsesTurn, readonly answered?: undefined } | { readonly answered: FastifyReply }

/**
 * A converted Responses request opened with the store: its expanded request and reply
 * encoders, or the 404/503 already sent. `undefined` for every other dialect and operation.
 */
export async function startResponsesTurn (request: FastifyRequest, reply: FastifyReply, op: ClientOperation, store: ResponseStore | undefined): Promise<TurnStart | undefined> {
  if (store === undefined || op.dialect !== 'openai-responses' || op.operation !== 'responses') return undefined
  const json = (request.switchyard as RequestContext).json
  const opened = await openTurn(json, op, { store, owner: ownerOf(request), log: request.log })
  return opened.ok ? { turn: opened.turn } : { answered: sendFailure(request, reply, opened.failure) }
}

/** GET and DELETE `/v1/responses/{id}` that this gateway answers (see the header). */
export function isStoredResponseOperation (op: ClientOperation | null): op is ClientOperation {
  return op?.dialect === 'openai-responses' && (op.operation === 'responses-get' || op.operation === 'responses-delete')
}

export async function answerStoredResponse (request: FastifyRequest, reply: FastifyReply, op: ClientOperation, store: ResponseStore): Promise<FastifyReply> {
  const id = (request.switchyard as RequestContext).backendPath.slice(ITEM_PREFIX.length)
  try {
    const stored = await fetchOwned({ store, owner: ownerOf(request) }, id)
    if (stored === undefined) return sendError(request, reply, { kind: 'not_found', status: 404, message: `Response with id '${id}' not found.` })
    if (op.operation === 'responses-get') {
      if (!isOversize(stored)) return reply.send(stored.response)
      return sendError(request, reply, { kind: 'not_found', status: 404, message: `Response with id '${id}' was not stored: ${oversizeReason(stored.oversize)}.` })
    }
    await store.delete(id)
    return reply.send({ id, object: 'response', deleted: true })
  } catch (err) {
    if (isStoreUnavailable(err)) return sendUnavailable(request, reply, err)
    throw err
  }
}
