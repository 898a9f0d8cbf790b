// STUB (issue 7, auth helper): @fastify/cors and @fastify/helmet configured for an API.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

export interface SecurityPluginOptions {
  /** `cors.origins` from config; absent: no CORS headers. */
  readonly origins?: readonly string[]
}

const security: FastifyPluginAsync<SecurityPluginOptions> = async () => {}

export default fp(security, { name: 'switchyard-security', fastify: '5.x' })
