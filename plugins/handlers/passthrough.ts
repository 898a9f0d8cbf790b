// Same-dialect traffic and every non-dialect path: bytes through untouched (STYLE.md §2.1).
// The request body streams to the upstream unless it was read for a model rewrite; the
// response body streams back as it arrives. `reply.send(stream)` ties the two sockets: a client
// that goes away destroys undici's body, which aborts the upstream request.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream'
import { LimitStream } from '../../src/body/limit-stream.js'
import { ENVELOPE_PREFIX } from '../../src/canonical/signature.js'
import { clientSide, requestModel } from '../../src/dialects/registry.js'
import { BodyTooLarge, UpstreamTimeout } from '../../src/errors/codes.js'
import { declaredLength, hasBody } from '../../src/body/read-bounded.js'
import type { Backend } from '../../src/upstream/backend.js'
import { classifyTransportError } from '../../src/upstream/classify.js'
import { clientResponseHeaders, upstreamRequestHeaders } from '../../src/upstream/headers.js'
import { upstreamPath, upstreamQuery } from '../../src/upstream/target.js'
import type { RequestContext } from '../request-context.js'

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
    let json = ctx.json
    let changed = false
    // Envelopes are rare: one byte search decides whether the body needs looking at (§6.9).
    const restore = op === null ? undefined : clientSide(op.dialect).restoreSignatures
    if (restore !== undefined && ctx.body.includes(ENVELOPE_PREFIX)) {
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

export async function passthrough (request: FastifyRequest, reply: FastifyReply, bodyLimit: number): Promise<FastifyReply> {
  const ctx = request.switchyard as RequestContext
  const backend = ctx.backend as Backend
  const out = rewrite(ctx, backend, request, bodyLimit)
  const headers = upstreamRequestHeaders(request.headers, backend.inject, out.sameLength)
  for (const name in backend.defaults) headers[name] ??= backend.defaults[name] as string
  const signal = ctx.abort.signal
  let res
  try {
    res = await (backend.pool as NonNullable<Backend['pool']>).request({
      method: request.method as 'GET',
      path: upstreamPath(backend.basePath, out.path) + upstreamQuery(ctx.query),
      headers,
      body: out.body ?? null,
      signal,
    })
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SWY_ERR_BODY_TOO_LARGE') throw err
    if (signal.aborted) {
      const reason: unknown = signal.reason
      if ((reason as { name?: unknown }).name === 'TimeoutError') throw new UpstreamTimeout(backend.name, { cause: err })
      // The client is gone: there is nobody to answer.
      return reply.code(499).send()
    }
    throw classifyTransportError(backend.name, err).error
  }
  reply.code(res.statusCode).headers(clientResponseHeaders(res.headers))
  if (res.headers['content-type']?.toString().startsWith('text/event-stream') === true) reply.header('x-accel-buffering', 'no')
  return reply.send(res.body)
}
