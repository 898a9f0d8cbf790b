// STUB (issue 7, auth helper): @fastify/under-pressure: 503 early when the event loop is saturated.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

export interface LoadSheddingPluginOptions {
  /** 0: off. */
  readonly maxEventLoopDelayMs: number
}

const loadShedding: FastifyPluginAsync<LoadSheddingPluginOptions> = async () => {}

export default fp(loadShedding, { name: 'switchyard-load-shedding', fastify: '5.x' })
