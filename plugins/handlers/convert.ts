// Cross-dialect traffic (STYLE.md §2.10): the client's request is decoded to canonical form,
// encoded for the backend's dialect and sent; the reply is translated back — as it streams, in
// one Transform with backpressure, or whole when the client asked for a whole reply.
//
// Commit point: until the reply is sent, failures are proper HTTP errors in the client's
// dialect (with the upstream's status and retry-after). After it, they are one in-stream error
// event in the client's dialect and the end of the stream.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Dispatcher } from 'undici'
import { pipeline, Readable } from 'node:stream'
import type { CanonicalError } from '../../src/canonical/error.js'
import type { CanonicalRequest } from '../../src/canonical/request.js'
import type { CanonicalResponse } from '../../src/canonical/response.js'
import { responseEvents } from '../../src/canonical/replay.js'
import { backendSide, clientSide } from '../../src/dialects/registry.js'
import type { BackendOptions, BackendSide, ClientOperation, ClientSide, StreamFraming, UpstreamCall } from '../../src/dialects/types.js'
import { convertError, UpstreamProtocol, UpstreamTimeout } from '../../src/errors/codes.js'
import { collectStream } from '../../src/pipeline/collect-stream.js'
import { EncodeStream } from '../../src/pipeline/encode-stream.js'
import { TranslateStream } from '../../src/pipeline/translate-stream.js'
import { JSON_STREAM_HEADERS, SSE_HEADERS } from '../../src/sse/headers.js'
import { estimateInputTokens } from '../../src/tokens/estimate.js'
import type { Backend } from '../../src/upstream/backend.js'
import { classifyTransportError } from '../../src/upstream/classify.js'
import { convertedRequestHeaders } from '../../src/upstream/headers.js'
import { MAX_ERROR_BODY_BYTES, parseJson, readUpstreamBody, readUpstreamJson } from '../../src/upstream/read-body.js'
import { upstreamPath } from '../../src/upstream/target.js'
import { sendError } from '../error-handler.js'
import type { RequestContext } from '../request-context.js'

/** Anthropic requires `max_tokens`; this is sent when neither client nor config chose one. */
export const DEFAULT_MAX_TOKENS = 4096

/** Operations that generate a reply. */
const GENERATE = new Set(['chat', 'responses', 'messages', 'generate', 'stream-generate'])

export interface ConvertOptions {
  /** Keep-alive interval while the upstream is silent (PROTOCOLS.md §6.12: ~15 s). */
  readonly keepaliveMs: number
}

function backendOptions (backend: Backend, clientModel: string): BackendOptions {
  const c = backend.config
  return {
    model: backend.mapModel(clientModel) ?? clientModel,
    defaultMaxTokens: c.defaultMaxTokens ?? DEFAULT_MAX_TOKENS,
    ...(c.maxOutputTokens === undefined ? {} : { maxOutputTokens: c.maxOutputTokens }),
  }
}

function isEventStream (headers: Dispatcher.ResponseData['headers']): boolean {
  const type = headers['content-type']
  return typeof type === 'string' && type.startsWith('text/event-stream')
}

function retryAfterOf (headers: Dispatcher.ResponseData['headers']): string | undefined {
  const value = headers['retry-after']
  return typeof value === 'string' ? value : undefined
}

/** Send one call upstream; `undefined` when the client went away first (nobody to answer). */
async function send (request: FastifyRequest, ctx: RequestContext, backend: Backend, call: UpstreamCall, stream: boolean): Promise<Dispatcher.ResponseData | undefined> {
  const signal = ctx.abort.signal
  try {
    return await (backend.pool as NonNullable<Backend['pool']>).request({
      method: call.method,
      path: upstreamPath(backend.basePath, call.path) + (call.query === '' ? '' : '?' + call.query),
      headers: convertedRequestHeaders(request.id, backend, call, stream),
      body: call.body === undefined ? null : JSON.stringify(call.body),
      signal,
    })
  } catch (err) {
    if (signal.aborted) {
      if ((signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError') throw new UpstreamTimeout(backend.name, { cause: err })
      return undefined
    }
    throw classifyTransportError(backend.name, err).error
  }
}

/** Dialect decoders do not know which backend they read: name it in what the client sees. */
function namedForBackend (backend: Backend, err: unknown): unknown {
  if ((err as { code?: unknown }).code !== 'SWY_ERR_UPSTREAM_INVALID_DATA') return err
  return new UpstreamProtocol(backend.name, (err as Error).message, { cause: err })
}

function namingBackend<T> (backend: Backend, decode: () => T): T {
  try {
    return decode()
  } catch (err) {
    throw namedForBackend(backend, err)
  }
}

/** An upstream error reply, rendered in the client's dialect with the upstream's status. */
async function relayError (request: FastifyRequest, reply: FastifyReply, side: BackendSide, res: Dispatcher.ResponseData, backend: Backend): Promise<FastifyReply> {
  let body: unknown
  try {
    body = parseJson(await readUpstreamBody(res.body, MAX_ERROR_BODY_BYTES, backend.name))
  } catch {
    body = undefined
  }
  const error = side.parseError(res.statusCode, body, retryAfterOf(res.headers))
  request.log.warn({ backend: backend.name, status: res.statusCode }, 'upstream error reply')
  return sendError(request, reply, error)
}

/** A failure of the upstream body after the reply started, as the client will see it. */
function bodyFailure (backend: Backend, err: unknown, signal: AbortSignal): CanonicalError {
  const timedOut = signal.aborted && (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError'
  const kind = timedOut ? 'timeout' : classifyTransportError(backend.name, err).kind
  if (kind === 'timeout') return { kind: 'timeout', status: 504, message: `backend ${backend.name} did not finish in time` }
  return { kind: 'server_error', status: 502, message: `backend ${backend.name} closed the stream before it was complete` }
}

/** The client's stream: its encoder in the framing its query asked for, and the matching headers. */
interface ClientStream { readonly framing: StreamFraming, readonly headers: Readonly<Record<string, string>> }

function clientStream (client: ClientSide, ctx: RequestContext): ClientStream {
  const framing = client.streamFraming?.(ctx.query) ?? 'sse'
  return { framing, headers: framing === 'sse' ? SSE_HEADERS : JSON_STREAM_HEADERS }
}

function streamReply (reply: FastifyReply, ctx: RequestContext, backend: Backend, res: Dispatcher.ResponseData, side: BackendSide, client: ClientSide, req: CanonicalRequest, opts: ConvertOptions): FastifyReply {
  const out = clientStream(client, ctx)
  const tx = new TranslateStream(side.createStreamDecoder(req), client.createStreamEncoder(req, out.framing), { keepaliveMs: opts.keepaliveMs, backend: backend.name })
  const body = res.body
  body.on('error', err => tx.upstreamFailed(bodyFailure(backend, err, ctx.abort.signal)))
  // The client went away (Fastify destroys the reply stream): abort the upstream request.
  tx.on('close', () => { if (!body.readableEnded) body.destroy() })
  body.pipe(tx)
  return reply.headers(out.headers).send(tx)
}

async function generate (request: FastifyRequest, reply: FastifyReply, ctx: RequestContext, op: ClientOperation, side: BackendSide, opts: ConvertOptions): Promise<FastifyReply> {
  const backend = ctx.backend as Backend
  const client = clientSide(op.dialect)
  const req = client.decodeRequest(ctx.json, op)
  if (req.dropped !== undefined) request.log.info({ dropped: req.dropped, backend: backend.name }, 'request parts not carried to the backend')
  const call = side.encodeRequest(req, backendOptions(backend, req.model))
  const res = await send(request, ctx, backend, call, req.stream)
  if (res === undefined) return reply.code(499).send()
  if (res.statusCode >= 400) return relayError(request, reply, side, res, backend)
  if (req.stream && isEventStream(res.headers)) return streamReply(reply, ctx, backend, res, side, client, req, opts)
  let answer: CanonicalResponse
  if (isEventStream(res.headers)) {
    // Some backends only stream (the Codex endpoint): the whole reply is assembled from the stream.
    const collected = await collectStream(res.body, side.createStreamDecoder(req), backend.name).catch((err: unknown) => { throw namedForBackend(backend, err) })
    if (!collected.ok) return sendError(request, reply, collected.error)
    answer = collected.response
  } else {
    const json = await readUpstreamJson(res.body, backend.name)
    answer = namingBackend(backend, () => side.decodeResponse(json, req))
  }
  if (!req.stream) return reply.send(namingBackend(backend, () => client.encodeResponse(answer, req)))
  // Some OpenAI-compatible servers ignore `stream:true`: replay the whole answer as a stream.
  const out = clientStream(client, ctx)
  const events = pipeline(Readable.from(responseEvents(answer)), new EncodeStream(client.createStreamEncoder(req, out.framing)), () => {})
  return reply.headers(out.headers).send(events)
}

/** Token counting against another dialect: the backend's own counter, else an estimate. */
async function countTokens (request: FastifyRequest, reply: FastifyReply, ctx: RequestContext, op: ClientOperation, side: BackendSide, encode: (tokens: number) => unknown): Promise<FastifyReply> {
  const backend = ctx.backend as Backend
  const req = clientSide(op.dialect).decodeRequest(ctx.json, op)
  if (side.countTokens === undefined || side.decodeCountTokens === undefined) {
    return reply.send(encode(await estimateInputTokens(req)))
  }
  const res = await send(request, ctx, backend, side.countTokens(req, backendOptions(backend, req.model)), false)
  if (res === undefined) return reply.code(499).send()
  if (res.statusCode >= 400) return relayError(request, reply, side, res, backend)
  const json = await readUpstreamJson(res.body, backend.name)
  const decode = side.decodeCountTokens
  return reply.send(encode(namingBackend(backend, () => decode(json))))
}

export async function convert (request: FastifyRequest, reply: FastifyReply, opts: ConvertOptions): Promise<FastifyReply> {
  const ctx = request.switchyard as RequestContext
  const backend = ctx.backend as Backend
  const op = ctx.operation as ClientOperation
  const side = backendSide(backend.protocol)
  if (side === undefined) {
    throw convertError('backend', `backend ${backend.name} speaks ${backend.protocol}; conversion from ${op.dialect} to it is not available yet`, true)
  }
  if (GENERATE.has(op.operation)) return generate(request, reply, ctx, op, side, opts)
  const encodeCount = clientSide(op.dialect).encodeCountTokens
  if (op.operation === 'count-tokens' && encodeCount !== undefined) return countTokens(request, reply, ctx, op, side, encodeCount)
  return sendError(request, reply, {
    kind: 'not_found',
    status: 404,
    message: `${request.method} ${ctx.backendPath} is not available through backend ${backend.name} (${backend.protocol})`,
  })
}
