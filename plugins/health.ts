// Operational endpoints (never behind client auth, never rate limited: registered outside the
// api scope) and draining. Once shutdown starts, readiness answers 503 so the ingress stops
// sending, and every keep-alive connection is closed as soon as its last response is done —
// otherwise an idle keep-alive socket would hold `close()` open until the client drops it.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

export interface HealthPluginOptions {
  /** Extra readiness checks (Redis ping, later). */
  readonly checks?: readonly (() => Promise<void>)[]
}

const health: FastifyPluginAsync<HealthPluginOptions> = async (app, opts) => {
  let draining = false
  app.addHook('preClose', async () => { draining = true })
  app.addHook('onResponse', (_request, _reply, done) => {
    // The connection turns idle once this response is flushed (unless a pipelined request
    // is waiting on it, which is then answered first); close it then.
    if (draining) setImmediate(() => app.server.closeIdleConnections())
    done()
  })

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

export default fp(health, { name: 'switchyard-health', fastify: '5.x' })
