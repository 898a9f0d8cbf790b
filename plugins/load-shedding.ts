// Load shedding (issue 7): when the event loop is saturated, new client requests get a 503 at
// once (`@fastify/under-pressure`) instead of joining a queue where every stream times out.
// Registered in the api scope, first, so health and metrics keep answering and a shed request
// costs no auth, routing or body read. The 503 is our own error (`customError`), rendered in
// the client's dialect by the error handler with `retry-after`. No status route is exposed:
// /health/* is the operational surface. The delay is under-pressure's: the mean event-loop
// delay over its 1 s sampling window, so a shed lasts at least one window.
import underPressure from '@fastify/under-pressure'
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { Overloaded, SHED_RETRY_AFTER_SECONDS } from '../src/errors/overloaded.js'

export interface LoadSheddingPluginOptions {
  /** 0: off. */
  readonly maxEventLoopDelayMs: number
}

const loadShedding: FastifyPluginAsync<LoadSheddingPluginOptions> = async (app, opts) => {
  if (opts.maxEventLoopDelayMs <= 0) return
  await app.register(underPressure, {
    maxEventLoopDelay: opts.maxEventLoopDelayMs,
    retryAfter: SHED_RETRY_AFTER_SECONDS,
    customError: Overloaded,
    exposeStatusRoute: false,
  })
}

export default fp(loadShedding, { name: 'switchyard-load-shedding', fastify: '5.x' })
