// The catch-all route of the api scope: every request that reached a backend is answered here —
// in process (mock), converted (the client's dialect differs from the backend's), or passed
// through untouched (same dialect, and every non-dialect path).
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Recorder } from '../src/metrics/recorder.js'
import type { ModelInfo } from '../src/routing/models.js'
import type { Backend } from '../src/upstream/backend.js'
import { convert } from './handlers/convert.js'
import { answerWithMock } from './handlers/mock.js'
import { listModels } from './handlers/models.js'
import { passthrough } from './handlers/passthrough.js'
import type { RequestContext } from './request-context.js'
import './types.js'

export interface ProxyPluginOptions {
  readonly bodyLimit: number
  readonly keepaliveMs: number
  /** What `GET /v1/models` lists. */
  readonly models: readonly ModelInfo[]
  /** Where upstream errors, retries, tokens and streams are counted. */
  readonly recorder: Recorder
  /** Every backend by name (fallback targets). */
  readonly backends: ReadonlyMap<string, Backend>
  /** `logging.requestBodies`: log converted request/response bodies, keys redacted. */
  readonly logBodies: boolean
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

const proxy: FastifyPluginAsync<ProxyPluginOptions> = async (app, opts) => {
  app.route({
    method: METHODS,
    url: '/*',
    handler: async (request, reply) => {
      const ctx = request.switchyard as RequestContext
      const backend = ctx.backend as Backend
      const op = ctx.operation
      if (op?.operation === 'models') return listModels(request, reply, op, opts.models)
      if (backend.protocol === 'mock') return answerWithMock(request, reply)
      if (op !== null && op.dialect !== backend.protocol) return convert(request, reply, opts)
      return passthrough(request, reply, opts.bodyLimit)
    },
  })
}

export default fp(proxy, {
  name: 'switchyard-proxy',
  fastify: '5.x',
  dependencies: ['switchyard-context', 'switchyard-router', 'switchyard-body'],
})
