// Backend routing (SPEC.md "backends[].match"): by path prefix and headers in onRequest, before
// the body is read; by model in preHandler, once the body is parsed. Decides too whether the
// body must be read at all: passthrough streams it to the upstream untouched.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { RouteNoBackend } from '../src/errors/codes.js'
import { hasBody } from '../src/body/read-bounded.js'
import { clientSide, detectOperation, requestModel } from '../src/dialects/registry.js'
import type { ClientOperation } from '../src/dialects/types.js'
import type { RouteTable } from '../src/routing/compile.js'
import { planRoute, resolveRoute, type Candidate } from '../src/routing/match.js'
import type { Backend } from '../src/upstream/backend.js'
import type { BodyNeed, RequestContext } from './request-context.js'
import './types.js'

export interface RouterPluginOptions {
  readonly table: RouteTable
  readonly backends: ReadonlyMap<string, Backend>
}

/** Operations whose bodies carry a conversation. */
const GENERATE_OPS = new Set(['chat', 'responses', 'messages', 'generate', 'stream-generate', 'count-tokens'])

/**
 * The body must be parsed when the request is converted, answered in process, rewritten, or
 * may go to a fallback of another dialect. Its bytes alone are enough when it may be sent more
 * than once (retries: a streamed body can be sent once only), or when it may carry signature
 * envelopes to restore (§6.9): one byte search decides, and it is parsed only then.
 */
function bodyNeed (backend: Backend, op: ClientOperation | undefined): BodyNeed {
  if (backend.protocol === 'mock') return op !== undefined ? 'parse' : 'none'
  if (backend.fallback.length > 0) return 'parse'
  if (op !== undefined && op.dialect !== backend.protocol) return 'parse'
  const rewritesModel = backend.config.model !== undefined || backend.config.models !== undefined
  // Gemini names the model in the path, which is rewritten without touching the body.
  if (rewritesModel && op?.pathModel === undefined) return 'parse'
  if (backend.retries > 0) return 'bytes'
  if (op !== undefined && clientSide(op.dialect).restoreSignatures !== undefined && GENERATE_OPS.has(op.operation)) return 'bytes'
  return 'none'
}

/** The model a body names at a given (stripped) path: the path's dialect decides where. */
function modelAt (request: FastifyRequest, path: string): string | undefined {
  return requestModel(detectOperation(request.method, path), request.switchyard?.json)
}

function noBackend (request: FastifyRequest, ctx: RequestContext): Error {
  const model = ctx.model === undefined ? '' : ` (model ${ctx.model})`
  return new RouteNoBackend(`${request.method} ${ctx.path}${model}`)
}

const router: FastifyPluginAsync<RouterPluginOptions> = async (app, opts) => {
  const backendOf = (candidate: Candidate): Backend => opts.backends.get(candidate.route.backend.name) as Backend

  const settle = (request: FastifyRequest, ctx: RequestContext, candidate: Candidate): void => {
    const op = detectOperation(request.method, candidate.path)
    const backend = backendOf(candidate)
    ctx.route(candidate, backend, op)
    ctx.model = requestModel(op, ctx.json)
  }

  app.addHook('onRequest', (request, _reply, done) => {
    const ctx = request.switchyard as RequestContext
    const plan = planRoute(opts.table, ctx.path, request.headers)
    if (plan.kind === 'none') throw noBackend(request, ctx)
    if (plan.kind === 'needs-model') {
      ctx.plan = plan
      if (hasBody(request.headers)) ctx.bodyNeed = 'parse'
      done()
      return
    }
    settle(request, ctx, plan.candidate)
    const backend = ctx.backend as Backend
    if (hasBody(request.headers)) ctx.bodyNeed = bodyNeed(backend, ctx.operation ?? undefined)
    done()
  })

  app.addHook('preHandler', (request, _reply, done) => {
    const ctx = request.switchyard as RequestContext
    if (ctx.plan === null) { done(); return }
    const candidate = resolveRoute(ctx.plan, path => modelAt(request, path))
    if (candidate === undefined) {
      const first = ctx.plan.candidates[0]
      ctx.model = first === undefined ? undefined : modelAt(request, first.path)
      throw noBackend(request, ctx)
    }
    settle(request, ctx, candidate)
    done()
  })
}

export default fp(router, { name: 'switchyard-router', fastify: '5.x', dependencies: ['switchyard-context'] })
