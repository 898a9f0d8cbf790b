// Operational endpoints: never behind client auth, never rate limited (registered outside the
// api scope). Readiness turns 503 as soon as shutdown starts, so the ingress stops sending.
import type { FastifyPluginAsync } from 'fastify'

export interface HealthPluginOptions {
  /** Extra readiness checks (Redis ping, later). */
  readonly checks?: readonly (() => Promise<void>)[]
}

const health: FastifyPluginAsync<HealthPluginOptions> = async (app, opts) => {
  let draining = false
  app.addHook('preClose', async () => { draining = true })

  app.get('/health/live', async () => ({ status: 'ok' }))
  app.get('/health/ready', async (_request, reply) => {
    if (draining) return reply.code(503).send({ status: 'draining' })
    try {
      for (const check of opts.checks ?? []) await check()
    } catch {
      return reply.code(503).send({ status: 'unavailable' })
    }
    return { status: 'ready' }
  })
}

export default health
