// STUB (issue 7, auth helper): client keys from config, accepted the way each dialect's SDK
// sends them; sets `ctx.clientKey`; 401 in the client's dialect.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { ClientKeyConfig } from '../src/config/schema.js'

export interface AuthPluginOptions {
  /** Absent: auth is off. */
  readonly keys?: readonly ClientKeyConfig[]
}

const auth: FastifyPluginAsync<AuthPluginOptions> = async () => {}

export default fp(auth, { name: 'switchyard-auth', fastify: '5.x', dependencies: ['switchyard-context'] })
