// Same-dialect traffic and every non-dialect path: bytes through untouched (STYLE.md §2.1).
// The request body streams to the upstream unless it was read (for a model rewrite, or because
// the backend retries or falls back: a stream cannot be sent twice); the response body streams
// back as it arrives, a stream written to the client by hand (./stream-reply.ts), anything else
// through `reply.send(stream)`; either way a client that goes away destroys undici's body, which
// aborts the upstream request. A non-streamed reply of a declared
// length up to WHOLE_REPLY_MAX_BYTES is read whole first and sent in one write: one syscall
// instead of a pipe (issue 8), its usage read from the buffer, and an upstream that dies
// mid-body becomes a 502 (504 on the deadline) in the client's dialect instead of a cut body.
// The target is the routed backend
// or a fallback speaking the client's dialect, with its own model mapping and key rotation.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Dispatcher, Pool } from 'undici'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream'
import { LimitStream } from '../../src/body/limit-stream.js'
import { ENVELOPE_PREFIX } from '../../src/canonical/signature.js'
import { clientSide, requestModel } from '../../src/dialects/registry.js'
import { BodyTooLarge } from '../../src/errors/codes.js'
import { declaredLength, hasBody } from '../../src/body/read-bounded.js'
import { classifyBodyFailure } from '../../src/upstream/classify.js'
import { errorKindForStatus } from '../../src/canonical/error.js'
import { logBody, logStreamedBody } from '../../src/log/bodies.js'
import { scrubKnownSecrets } from '../../src/log/secrets.js'
import { firstModel, UsageSniffer, usageOfWhole } from '../../src/metrics/usage-sniffer.js'
import { tapPipedBody, UsageTap } from '../../src/metrics/usage-tap.js'
import { BodyTap } from '../../src/log/body-tap.js'
import { discardBody, sendWithRetries, transportFailure, type TargetOutcome } from '../../src/upstream/attempts.js'
import type { Backend } from '../../src/upstream/backend.js'
import { clientResponseHeaders, isEventStream, upstreamRequestHeaders, type OutgoingHeaders } from '../../src/upstream/headers.js'
import { MAX_ERROR_BODY_BYTES, parseJson, readUpstreamBody } from '../../src/upstream/read-body.js'
import { isRetryableStatus } from '../../src/upstream/retry.js'
import { isDeadline } from '../../src/upstream/classify.js'
import { accountStream } from '../../src/upstream/stream-accounting.js'
import { upstreamPath, upstreamQuery } from '../../src/upstream/target.js'
import { sendError } from '../error-handler.js'
import type { ProxyPluginOptions } from '../proxy.js'
import type { RequestContext } from '../request-context.js'
import type { Usage } from '../../src/canonical/usage.js'
import type { ClientOperation } from '../../src/dialects/types.js'
import { relayStream } from './stream-reply.js'

interface Outgoing { readonly path: string, readonly body: Buffer | Readable | undefined, readonly sameLength: boolean }

/** Apply the backend's model override or alias, in the path (Gemini) or the JSON body. */
function rewrite (ctx: RequestContext, backend: Backend, request: FastifyRequest, bodyLimit: number): Outgoing {
  const op = ctx.operation
  // Routing may have been decided before the body was read; the model is known now.
  ctx.model ??= requestModel(op ?? undefined, ctx.json)
  const mapped = backend.mapModel(ctx.model)
  let path = ctx.backendPath
  if (mapped !== undefined && op?.pathModel !== undefined) {
    path = path.replace('/models/' + op.pathModel + ':', '/models/' + mapped + ':')
  }
  if (ctx.body !== null) {
    // Parsed when the router asked for it (plugins/body.ts); else bytes, parsed here if need be.
    let json = ctx.json
    let changed = false
    // Envelopes are rare: one byte search decides whether the body needs looking at (§6.9).
    const restore = op === null ? undefined : clientSide(op.dialect).restoreSignatures
    if (restore !== undefined && ctx.body.includes(ENVELOPE_PREFIX)) {
      json ??= parseJson(ctx.body)
      const restored = restore(json)
      if (restored !== undefined) { json = restored; changed = true }
    }
    if (mapped !== undefined && op?.pathModel === undefined && typeof json === 'object' && json !== null) {
      json = { ...json, model: mapped }
      changed = true
    }
    return { path, body: changed ? Buffer.from(JSON.stringify(json)) : ctx.body, sameLength: false }
  }
  if (!hasBody(request.headers)) return { path, body: undefined, sameLength: false }
  // A declared length is checked once, and Node's parser stops the body there; only a chunked
  // body needs counting as it streams.
  const declared = declaredLength(request.headers)
  if (declared !== undefined) {
    if (declared > bodyLimit) throw new BodyTooLarge(bodyLimit)
    return { path, body: request.raw, sameLength: true }
  }
  return { path, body: pipeline(request.raw, new LimitStream(bodyLimit), () => {}), sameLength: true }
}

type Outcome = TargetOutcome<FastifyReply>

/**
 * Non-streamed replies up to this declared length are read whole before they are sent. Model
 * replies are a few KiB; the bound keeps a burst of large ones from holding much memory.
 */
export const WHOLE_REPLY_MAX_BYTES = 256 * 1024

/** The upstream's headers for a body this handler sends whole: Fastify sets its length. */
function wholeBodyHeaders (res: Dispatcher.ResponseData): OutgoingHeaders {
  const headers = clientResponseHeaders(res.headers)
  delete headers['content-length']
  return headers
}

/** Whether the tokens of a reply can be read: a dialect, a success, bytes not encoded. */
function countable (ctx: RequestContext, res: Dispatcher.ResponseData): boolean {
  const encoding = res.headers['content-encoding']
  return ctx.operation !== null && res.statusCode < 300 && (encoding === undefined || encoding === 'identity')
}

function reportTokens (ctx: RequestContext, backend: Backend, opts: ProxyPluginOptions): (usage: Usage, named: () => string | undefined) => void {
  const asked = backend.mapModel(ctx.model) ?? ctx.model
  return (usage, named) => { opts.recorder.tokens(backend.name, asked ?? named() ?? '', usage) }
}

/**
 * Tokens of a same-dialect reply (SPEC `switchyard_tokens_total`), read by a bounded sniffer that
 * keeps both ends of the body as it goes to the client; encoded (gzip…) bodies cannot be read and
 * are not counted. A body that fails on the way is the upstream's fault, unless the request was
 * cut here: by the deadline (a timeout) or by the client leaving (nobody's error).
 */
function account (ctx: RequestContext, backend: Backend, res: Dispatcher.ResponseData, streamed: boolean, opts: ProxyPluginOptions): UsageTap | undefined {
  res.body.once('error', () => {
    const signal = ctx.signal
    if (!signal.aborted) opts.recorder.upstreamError(backend.name, 'protocol')
    else if (isDeadline(signal)) opts.recorder.upstreamError(backend.name, 'timeout')
  })
  if (!countable(ctx, res)) return undefined
  return new UsageTap(new UsageSniffer((ctx.operation as ClientOperation).dialect, streamed), reportTokens(ctx, backend, opts))
}

/** A non-streamed reply of a small declared length: read whole, counted, sent in one write. */
async function relayWhole (request: FastifyRequest, reply: FastifyReply, backend: Backend, res: Dispatcher.ResponseData, opts: ProxyPluginOptions): Promise<FastifyReply> {
  const ctx = request.switchyard as RequestContext
  let bytes: Buffer
  try {
    bytes = Buffer.from(await res.body.arrayBuffer())
    ctx.upstreamReadyAt = performance.now()
  } catch (err) {
    const failure = classifyBodyFailure(backend.name, err, ctx.signal, 'reply')
    // The client left: there is nobody to answer.
    if (failure === undefined) return reply.code(499).send()
    opts.recorder.upstreamError(backend.name, failure.kind)
    return sendError(request, reply, failure.error)
  }
  if (opts.logBodies) logBody(request.log, 'upstream response body', backend.name, bytes)
  if (countable(ctx, res)) {
    const usage = usageOfWhole((ctx.operation as ClientOperation).dialect, bytes)
    if (usage !== undefined) reportTokens(ctx, backend, opts)(usage, () => firstModel(bytes))
  }
  return reply.code(res.statusCode).headers(wholeBodyHeaders(res)).send(bytes)
}

/**
 * An upstream error reply, passed on with every known secret scrubbed from its body and headers:
 * upstreams echo the key they were sent (OpenAI's 401 names it; debugging proxies reflect
 * headers). Read whole (bounded); one too large to read is answered in the client's dialect with
 * the upstream's status.
 */
async function relayFailure (request: FastifyRequest, reply: FastifyReply, backend: Backend, res: Dispatcher.ResponseData, opts: ProxyPluginOptions): Promise<FastifyReply> {
  let bytes: Buffer
  try {
    bytes = await readUpstreamBody(res.body, MAX_ERROR_BODY_BYTES, backend.name)
  } catch {
    return sendError(request, reply, { kind: errorKindForStatus(res.statusCode), status: res.statusCode, message: `backend ${backend.name} answered ${res.statusCode}` })
  }
  if (opts.logBodies) logBody(request.log, 'upstream response body', backend.name, bytes)
  const headers = wholeBodyHeaders(res)
  for (const name in headers) {
    const value = headers[name]
    if (typeof value === 'string') headers[name] = scrubKnownSecrets(value)
    else if (Array.isArray(value)) headers[name] = value.map(scrubKnownSecrets)
  }
  return reply.code(res.statusCode).headers(headers).send(Buffer.from(scrubKnownSecrets(bytes.toString('utf8'))))
}

/** Send the upstream's reply on: status, headers and body as they come. */
async function relay (request: FastifyRequest, reply: FastifyReply, backend: Backend, res: Dispatcher.ResponseData, opts: ProxyPluginOptions): Promise<FastifyReply> {
  const ctx = request.switchyard as RequestContext
  if (res.statusCode >= 400) return relayFailure(request, reply, backend, res, opts)
  const sse = isEventStream(res.headers)
  // Gemini streams without `alt=sse` as one JSON array: a stream all the same.
  const streamed = sse || ctx.operation?.pathStream === true
  const length = declaredLength(res.headers)
  if (!streamed && length !== undefined && length <= WHOLE_REPLY_MAX_BYTES) return relayWhole(request, reply, backend, res, opts)
  reply.code(res.statusCode).headers(clientResponseHeaders(res.headers))
  if (sse) reply.header('x-accel-buffering', 'no')
  const tap = account(ctx, backend, res, streamed, opts)
  const body = res.body
  if (res.statusCode < 400 && streamed) {
    ctx.streamed = true
    accountStream(reply.raw, opts.recorder, backend.name)
    if (opts.logBodies) logStreamedBody(request.log, 'upstream response body', backend.name)
    return relayStream(reply, ctx, body, tap)
  }
  if (tap !== undefined) tapPipedBody(reply.raw, tap)
  if (!opts.logBodies) return reply.send(body)
  return reply.send(pipeline(body, new BodyTap(request.log, 'upstream response body', backend.name), () => {}))
}

/** Answer the request through `backend` in the client's own dialect. */
export async function passthroughTo (request: FastifyRequest, reply: FastifyReply, backend: Backend, opts: ProxyPluginOptions): Promise<Outcome> {
  const ctx = request.switchyard as RequestContext
  const out = rewrite(ctx, backend, request, opts.bodyLimit)
  const pool = backend.pool as Pool
  const path = upstreamPath(backend.basePath, out.path) + upstreamQuery(ctx.query)
  const signal = ctx.signal
  // A body streamed from the client can be sent once only.
  const retries = out.body === undefined || Buffer.isBuffer(out.body) ? backend.retries : 0
  const attempted = await sendWithRetries(backend, retries, credentials => {
    const headers = upstreamRequestHeaders(request.headers, credentials, out.sameLength)
    for (const name in backend.defaults) headers[name] ??= backend.defaults[name] as string
    return pool.request({ method: request.method as 'GET', path, headers, body: out.body ?? null, signal })
  }, { recorder: opts.recorder, signal, log: request.log, timing: ctx })
  // The client is gone: there is nobody to answer.
  if (attempted.kind === 'aborted') return { kind: 'answered', reply: reply.code(499).send() }
  if (attempted.kind === 'transport') return transportFailure(attempted.failure)
  const res = attempted.res
  if (!isRetryableStatus(res.statusCode)) return { kind: 'answered', reply: await relay(request, reply, backend, res, opts) }
  return {
    kind: 'failed',
    failure: { relay: async () => relay(request, reply, backend, res, opts), discard: () => discardBody(res) },
  }
}
