// STUB (issue 7, rate-limit helper): @fastify/rate-limit keyed by client key name (or IP),
// counters in Redis when configured; 429 in the client's dialect.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import type { ClientKeyConfig, RateLimitConfig } from '../src/config/schema.js'
import type { Recorder } from '../src/metrics/recorder.js'

export interface RateLimitPluginOptions {
  readonly limit: RateLimitConfig
  readonly keys?: readonly ClientKeyConfig[]
  /** Shared counters across the fleet; absent: in process. */
  readonly redis?: Redis
  readonly recorder: Recorder
}

const rateLimit: FastifyPluginAsync<RateLimitPluginOptions> = async () => {}

export default fp(rateLimit, { name: 'switchyard-rate-limit', fastify: '5.x', dependencies: ['switchyard-context'] })
