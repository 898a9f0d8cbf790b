// Cross-dialect traffic (STYLE.md §2.10): the client's request is decoded to canonical form,
// encoded for the target backend's dialect and sent with that backend's retries and key
// rotation; the reply is translated back — as it streams, written to the client's response by
// the translator with backpressure (src/upstream/converted-reply.ts), or whole when the client
// asked for a whole reply. The target is the routed backend or one of its
// fallbacks (plugins/proxy.ts), with its own model mapping.
//
// Commit point: until the reply is sent, failures are proper HTTP errors in the client's
// dialect (with the upstream's status and retry-after); a 429/5xx or a transport failure goes
// back to the fallback loop unsent. After it, failures are one in-stream error event in the
// client's dialect and the end of the stream.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Dispatcher, Pool } from 'undici'
import { pipeline, Readable } from 'node:stream'
import type { CanonicalRequest } from '../../src/canonical/request.js'
import type { CanonicalResponse } from '../../src/canonical/response.js'
import { responseEvents } from '../../src/canonical/replay.js'
import type { BackendProtocol } from '../../src/config/schema.js'
import { backendSide, clientSide } from '../../src/dialects/registry.js'
import type { ClientOperation, ClientSide, StreamEncoder, StreamFraming, UpstreamCall } from '../../src/dialects/types.js'
import { convertError } from '../../src/errors/codes.js'
import { logBody, logStreamedBody } from '../../src/log/bodies.js'
import { EncodeStream } from '../../src/pipeline/encode-stream.js'
import type { ResponseStore } from '../../src/responses-store/types.js'
import { JSON_STREAM_HEADERS, SSE_HEADERS } from '../../src/sse/headers.js'
import { estimateInputTokens } from '../../src/tokens/estimate.js'
import { discardBody, sendWithRetries, transportFailure, type TargetOutcome } from '../../src/upstream/attempts.js'
import type { Backend } from '../../src/upstream/backend.js'
import { decodingFrom, readJsonReply, readWholeReply, translate, upstreamOptions, type ReplyTarget } from '../../src/upstream/converted-reply.js'
import { convertedRequestHeaders, isEventStream, retryAfterOf } from '../../src/upstream/headers.js'
import { MAX_ERROR_BODY_BYTES, parseJson, readUpstreamBody } from '../../src/upstream/read-body.js'
import { isRetryableStatus } from '../../src/upstream/retry.js'
import { accountStream } from '../../src/upstream/stream-accounting.js'
import { callPath } from '../../src/upstream/target.js'
import { sendError } from '../error-handler.js'
import type { ProxyPluginOptions } from '../proxy.js'
import type { RequestContext } from '../request-context.js'
import { startResponsesTurn } from './responses-state.js'
import { commitTranslated } from './stream-reply.js'

type Outcome = TargetOutcome<FastifyReply>

/** Operations that generate a reply. */
const GENERATE = new Set(['chat', 'responses', 'messages', 'generate', 'stream-generate'])

/** Whether a request for `op` can be converted for a backend speaking `protocol`. */
export function canConvert (op: ClientOperation, protocol: BackendProtocol): boolean {
  // Coze answers generate operations only (plugins/handlers/coze.ts); no token counting.
  if (protocol === 'coze') return GENERATE.has(op.operation)
  if (backendSide(protocol) === undefined) return false
  return GENERATE.has(op.operation) || (op.operation === 'count-tokens' && clientSide(op.dialect).encodeCountTokens !== undefined)
}

const answered = (reply: FastifyReply): Outcome => ({ kind: 'answered', reply })

/** The client's stream: its encoder in the framing its query asked for, and the matching headers. */
interface ClientStream { readonly framing: StreamFraming, readonly headers: Readonly<Record<string, string>> }

function clientStream (client: ClientSide, ctx: RequestContext): ClientStream {
  const framing = client.streamFraming?.(ctx.query) ?? 'sse'
  return { framing, headers: framing === 'sse' ? SSE_HEADERS : JSON_STREAM_HEADERS }
}

/** An upstream error reply, rendered in the client's dialect with the upstream's status. */
async function relayError (request: FastifyRequest, reply: FastifyReply, t: ReplyTarget, res: Dispatcher.ResponseData): Promise<FastifyReply> {
  const bytes = await readUpstreamBody(res.body, MAX_ERROR_BODY_BYTES, t.backend.name).catch(() => undefined)
  if (t.logBodies && bytes !== undefined) logBody(request.log, 'upstream response body', t.backend.name, bytes)
  const error = t.side.parseError(res.statusCode, bytes === undefined ? undefined : parseJson(bytes), retryAfterOf(res.headers))
  request.log.warn({ backend: t.backend.name, status: res.statusCode }, 'upstream error reply')
  return sendError(request, reply, error)
}

/** The upstream's successful reply, or what the fallback loop gets instead. */
type Sent = { readonly res: Dispatcher.ResponseData, readonly outcome?: undefined } | { readonly outcome: Outcome }

/** Send one call to the target, with its retries and key rotation. */
export async function send (request: FastifyRequest, reply: FastifyReply, t: ReplyTarget, call: UpstreamCall, stream: boolean): Promise<Sent> {
  const backend = t.backend
  const pool = backend.pool as Pool
  const path = callPath(backend.basePath, call.path) + (call.query === '' ? '' : '?' + call.query)
  const body = call.body === undefined ? null : JSON.stringify(call.body)
  if (t.logBodies && call.body !== undefined) logBody(request.log, 'upstream request body', backend.name, call.body)
  const signal = (request.switchyard as RequestContext).signal
  const attempted = await sendWithRetries(backend, backend.retries, credentials => pool.request({
    method: call.method,
    path,
    headers: convertedRequestHeaders(request.id, backend.defaults, credentials, call, stream),
    body,
    signal,
  }), { recorder: t.recorder, signal, log: request.log, timing: t.timing })
  if (attempted.kind === 'aborted') return { outcome: answered(reply.code(499).send()) }
  if (attempted.kind === 'transport') return { outcome: transportFailure(attempted.failure) }
  const res = attempted.res
  if (res.statusCode < 400) return { res }
  if (!isRetryableStatus(res.statusCode)) return { outcome: answered(await relayError(request, reply, t, res)) }
  return { outcome: { kind: 'failed', failure: { relay: () => relayError(request, reply, t, res), discard: () => discardBody(res) } } }
}

/** The call with the backend's `dropFields` removed from its body (the ChatGPT Codex endpoint refuses `max_output_tokens`, `temperature`…). */
function withoutFields (call: UpstreamCall, fields: readonly string[] | undefined): UpstreamCall {
  if (fields === undefined || typeof call.body !== 'object' || call.body === null) return call
  const body: Record<string, unknown> = { ...(call.body as Record<string, unknown>) }
  for (const name of fields) delete body[name]
  return { ...call, body }
}

/**
 * Decode, encode for the target, send, and translate the reply back; `headers` go on every reply.
 * With `responses`, a Responses client's request is expanded from, and its reply kept in, the
 * response store (./responses-state.ts); other dialects never touch it.
 */
export async function generate (request: FastifyRequest, reply: FastifyReply, t: ReplyTarget, op: ClientOperation, keepaliveMs: number, headers?: Readonly<Record<string, string>>, responses?: ResponseStore): Promise<Outcome> {
  const ctx = request.switchyard as RequestContext
  if (headers !== undefined) reply.headers(headers)
  const client = clientSide(op.dialect)
  const started = await startResponsesTurn(request, reply, op, responses)
  if (started?.answered !== undefined) return answered(started.answered)
  const turn = started?.turn
  const req = turn?.request ?? client.decodeRequest(ctx.json, op)
  if (req.dropped !== undefined) request.log.info({ dropped: req.dropped, backend: t.backend.name }, 'request parts not carried to the backend')
  const options = upstreamOptions(t.backend, req.model)
  // An upstream that only streams (forceStream) is asked for a stream; a whole reply is folded from it.
  const wire = options.forceStream === true && !req.stream ? { ...req, stream: true } : req
  const sent = await send(request, reply, t, withoutFields(t.side.encodeRequest(wire, options), t.backend.config.dropFields), wire.stream)
  if (sent.outcome !== undefined) return sent.outcome
  if (req.stream && isEventStream(sent.res.headers)) {
    if (t.logBodies) logStreamedBody(request.log, 'upstream response body', t.backend.name)
    const out = clientStream(client, ctx)
    ctx.streamed = true
    if (commitTranslated(reply, ctx, out.headers)) translate(t, sent.res, reply.raw, ctx.signal, req, turn?.streamEncoder() ?? client.createStreamEncoder(req, out.framing), keepaliveMs, options.model)
    else sent.res.body.destroy()
    return answered(reply)
  }
  const whole = await readWholeReply(t, sent.res, req)
  if (!whole.ok) return answered(sendError(request, reply, whole.error))
  const answer = whole.response
  if (answer.usage !== undefined) t.recorder.tokens(t.backend.name, options.model, answer.usage)
  if (!req.stream) return answered(reply.send(decodingFrom(t, () => turn === undefined ? client.encodeResponse(answer, req) : turn.encodeWhole(answer))))
  // Some OpenAI-compatible servers ignore `stream:true`: replay the whole answer as a stream.
  return answered(replay(reply, ctx, t, client, turn?.replayed(answer) ?? answer, req, turn?.streamEncoder()))
}

function replay (reply: FastifyReply, ctx: RequestContext, t: ReplyTarget, client: ClientSide, answer: CanonicalResponse, req: CanonicalRequest, encoder?: StreamEncoder): FastifyReply {
  const out = clientStream(client, ctx)
  const events = pipeline(Readable.from(responseEvents(answer)), new EncodeStream(encoder ?? client.createStreamEncoder(req, out.framing)), () => {})
  ctx.streamed = true
  accountStream(reply.raw, t.recorder, t.backend.name)
  return reply.headers(out.headers).send(events)
}

/** Token counting against another dialect: the backend's own counter, else an estimate. */
async function countTokens (request: FastifyRequest, reply: FastifyReply, t: ReplyTarget, op: ClientOperation, encode: (tokens: number) => unknown): Promise<Outcome> {
  const req = clientSide(op.dialect).decodeRequest((request.switchyard as RequestContext).json, op)
  const { countTokens: countCall, decodeCountTokens: decode } = t.side
  if (countCall === undefined || decode === undefined) return answered(reply.send(encode(await estimateInputTokens(req))))
  const sent = await send(request, reply, t, countCall(req, upstreamOptions(t.backend, req.model)), false)
  if (sent.outcome !== undefined) return sent.outcome
  const json = await readJsonReply(t, sent.res)
  return answered(reply.send(encode(decodingFrom(t, () => decode(json)))))
}

/** Answer the request through `backend` (the routed one or a fallback), converting both ways. */
export async function convertTo (request: FastifyRequest, reply: FastifyReply, backend: Backend, opts: ProxyPluginOptions): Promise<Outcome> {
  const ctx = request.switchyard as RequestContext
  const op = ctx.operation as ClientOperation
  const side = backendSide(backend.protocol)
  if (side === undefined) {
    throw convertError('backend', `backend ${backend.name} speaks ${backend.protocol}; conversion from ${op.dialect} to it is not available yet`, true)
  }
  const t: ReplyTarget = { backend, side, recorder: opts.recorder, log: request.log, logBodies: opts.logBodies, timing: ctx }
  if (GENERATE.has(op.operation)) return generate(request, reply, t, op, opts.keepaliveMs, undefined, opts.responses)
  const encodeCount = clientSide(op.dialect).encodeCountTokens
  if (op.operation === 'count-tokens' && encodeCount !== undefined) return countTokens(request, reply, t, op, encodeCount)
  return answered(sendError(request, reply, {
    kind: 'not_found',
    status: 404,
    message: `${request.method} ${ctx.backendPath} is not available through backend ${backend.name} (${backend.protocol})`,
  }))
}
