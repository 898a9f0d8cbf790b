// Requests to a Coze backend (issue 6 §3, src/dialects/coze). What runs depends on the client's
// headers (`x-model-type`, `x-bot-id`, `x-workflow-id`, `x-conversation-id`) and the backend's
// `coze` settings, so the backend half is built per request. Bot and workflow overrides by
// header are honoured only for keys whose `backends` allowlist names this backend (or with auth
// off): a key that may merely reach the backend through routing cannot pick another bot.
// Conversation mode without an id creates the conversation first, so its id can go back in the
// `x-conversation-id` header before the reply streams. The management paths
// (`/v1/conversations…`) are answered here too, never passed through to Coze's own paths.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CanonicalError } from '../../src/canonical/error.js'
import {
  cozeBackend, cozeJsonError, cozeManagementCall, cozeManagementReply, cozeResponseHeaders, matchCozeManagement, parseError, prepareCall,
  readCreatedConversation, resolveCozeTarget, withConversation, type CozeRequestContext, type CozeTarget,
} from '../../src/dialects/coze/index.js'
import type { BackendSide, ClientOperation, UpstreamCall } from '../../src/dialects/types.js'
import type { TargetOutcome } from '../../src/upstream/attempts.js'
import type { Backend } from '../../src/upstream/backend.js'
import { readJsonReply, type ReplyTarget } from '../../src/upstream/converted-reply.js'
import { sendError } from '../error-handler.js'
import type { ProxyPluginOptions } from '../proxy.js'
import type { RequestContext } from '../request-context.js'
import { canConvert, generate, send } from './convert.js'

type Outcome = TargetOutcome<FastifyReply>

/** Management calls and conversation creation need only error parsing from the backend half. */
const ERRORS_ONLY: BackendSide = {
  encodeRequest: () => { throw new Error('not used') },
  decodeResponse: () => { throw new Error('not used') },
  createStreamDecoder: () => { throw new Error('not used') },
  parseError,
  jsonError: cozeJsonError,
}

function requestContext (request: FastifyRequest, backend: Backend): CozeRequestContext {
  const key = (request.switchyard as RequestContext).clientKey
  const settings = backend.config.coze
  return {
    headers: request.headers,
    ...(settings === undefined ? {} : { settings }),
    overridesAllowed: key === null || key.backends?.includes(backend.name) === true,
  }
}

const failed = (request: FastifyRequest, reply: FastifyReply, error: CanonicalError): Outcome =>
  ({ kind: 'answered', reply: sendError(request, reply, error) })

/** One JSON call to Coze, its HTTP-200 `{code≠0}` failures included; the JSON or what to answer. */
async function callJson (request: FastifyRequest, reply: FastifyReply, t: ReplyTarget, call: UpstreamCall): Promise<{ readonly json: unknown } | { readonly outcome: Outcome }> {
  const sent = await send(request, reply, t, call, false)
  if (sent.outcome !== undefined) return { outcome: sent.outcome }
  const json = await readJsonReply(t, sent.res)
  const error = cozeJsonError(json)
  if (error !== undefined) return { outcome: failed(request, reply, error) }
  return { json }
}

async function management (request: FastifyRequest, reply: FastifyReply, t: ReplyTarget, backend: Backend): Promise<Outcome | undefined> {
  const ctx = request.switchyard as RequestContext
  const matched = matchCozeManagement(request.method, ctx.backendPath)
  if (matched === undefined) return undefined
  if (!matched.ok) return failed(request, reply, matched.error)
  const call = cozeManagementCall(matched.value, ctx.query, requestContext(request, backend))
  if (!call.ok) return failed(request, reply, call.error)
  const answer = await callJson(request, reply, t, call.value)
  if ('outcome' in answer) return answer.outcome
  const mapped = cozeManagementReply(matched.value, answer.json)
  if (!mapped.ok) return failed(request, reply, mapped.error)
  return { kind: 'answered', reply: reply.send(mapped.value) }
}

/** Conversation mode without an id: create one first. */
async function prepared (request: FastifyRequest, reply: FastifyReply, t: ReplyTarget, target: CozeTarget): Promise<{ readonly target: CozeTarget } | { readonly outcome: Outcome }> {
  const call = prepareCall(target)
  if (call === undefined) return { target }
  const answer = await callJson(request, reply, t, call)
  if ('outcome' in answer) return answer
  const created = readCreatedConversation(answer.json)
  if (!created.ok) return { outcome: failed(request, reply, created.error) }
  return { target: withConversation(target, created.value) }
}

/** Answer a request through a Coze backend: a management path, or a generate operation converted. */
export async function cozeTo (request: FastifyRequest, reply: FastifyReply, backend: Backend, opts: ProxyPluginOptions): Promise<Outcome> {
  const ctx = request.switchyard as RequestContext
  const t: ReplyTarget = { backend, side: ERRORS_ONLY, recorder: opts.recorder, log: request.log, logBodies: opts.logBodies, timing: ctx }
  const managed = await management(request, reply, t, backend)
  if (managed !== undefined) return managed
  const op = ctx.operation
  if (op === null || !canConvert(op, 'coze')) {
    return failed(request, reply, { kind: 'not_found', status: 404, message: `${request.method} ${ctx.backendPath} is not available through backend ${backend.name} (coze)` })
  }
  const resolved = resolveCozeTarget(requestContext(request, backend))
  if (!resolved.ok) return failed(request, reply, resolved.error)
  const ready = await prepared(request, reply, t, resolved.value)
  if ('outcome' in ready) return ready.outcome
  return generate(request, reply, { ...t, side: cozeBackend(ready.target) }, op as ClientOperation, opts.keepaliveMs, cozeResponseHeaders(ready.target), opts.responses)
}
