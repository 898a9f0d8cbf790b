// `GET /metrics` (Prometheus text exposition; root scope, so never behind auth or rate limits)
// and the per-request metrics: switchyard_requests_total, switchyard_request_duration_seconds
// and switchyard_time_to_first_byte_seconds, read from the RequestContext.
//
// - Recorded exactly once per request, on the raw response's `close` (STYLE.md §2.10): Fastify's
//   onResponse runs only on `finish`, so a client that drops a stream would never be counted.
//   `close` fires for every response, finished or cut.
// - Status of a reply that did not finish: 504 when the whole-request deadline cut it, 502 when
//   the reply body failed after the headers went out (an upstream that died mid-passthrough),
//   else 499 — nginx's "client closed request" — even when a 200 header had already been sent:
//   a cut stream is not a success, and 4xx keeps it out of 5xx alerts.
// - Time to first byte: handlers may set `ctx.firstByteAt` themselves; otherwise onSend (which
//   runs just before any reply is written, streams included) stamps it, so every reply has one.
//   Streams written by hand (plugins/handlers/stream-reply.ts) skip onSend and stamp it there.
// - `stream`: `ctx.streamed` as the handlers set it, or a `text/event-stream` reply.
// - /metrics and /health/* are not counted: scrapes and probes would drown client traffic.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { Metrics, RequestSample } from '../src/metrics/prometheus.js'
import { isDeadline } from '../src/upstream/classify.js'
import type { RequestContext } from './request-context.js'
import './types.js'

export interface MetricsPluginOptions {
  readonly metrics: Metrics
}

const NONE = 'none'

/** Operational routes (registered in the root scope) are not client traffic. */
function isOperational (routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && (routeUrl === '/metrics' || routeUrl.startsWith('/health/'))
}

function isEventStream (type: unknown): boolean {
  return typeof type === 'string' && type.startsWith('text/event-stream')
}

function isReadable (payload: unknown): payload is NodeJS.ReadableStream {
  return typeof payload === 'object' && payload !== null && typeof (payload as { pipe?: unknown }).pipe === 'function'
}

/** The status to count for a reply that was cut before it finished (see the header). */
function cutStatus (ctx: RequestContext): number {
  if (isDeadline(ctx.signal)) return 504
  return ctx.replyBodyFailed ? 502 : 499
}

function sampleOf (reply: FastifyReply, ctx: RequestContext): RequestSample {
  const endedAt = performance.now()
  const backend = ctx.answeredBy ?? ctx.backend
  return {
    backend: backend?.name ?? NONE,
    clientProtocol: ctx.operation?.dialect ?? NONE,
    backendProtocol: backend?.protocol ?? NONE,
    status: reply.raw.writableFinished ? reply.statusCode : cutStatus(ctx),
    stream: ctx.streamed || isEventStream(reply.getHeader('content-type')),
    durationSeconds: (endedAt - ctx.startedAt) / 1000,
    ttfbSeconds: ctx.firstByteAt > 0 ? (ctx.firstByteAt - ctx.startedAt) / 1000 : undefined,
  }
}

const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app, opts) => {
  const { metrics } = opts

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics()
    return reply.type(metrics.registry.contentType).send(text)
  })

  app.addHook('onRequest', (request, reply, done) => {
    const ctx = request.switchyard
    if (ctx !== null && !isOperational(request.routeOptions.url)) {
      reply.raw.once('close', () => { metrics.request(sampleOf(reply, ctx)) })
    }
    done()
  })

  app.addHook('onSend', (request, _reply, payload, done) => {
    const ctx = request.switchyard
    if (ctx !== null) {
      if (ctx.firstByteAt === 0) ctx.firstByteAt = performance.now()
      if (isReadable(payload)) payload.once('error', () => { ctx.replyBodyFailed = true })
    }
    done(null, payload)
  })
}

export default fp(metricsPlugin, { name: 'switchyard-metrics', fastify: '5.x', dependencies: ['switchyard-context'] })
