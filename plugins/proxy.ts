// The catch-all route of the api scope: every request that reached a backend is answered here —
// in process (mock), converted (the client's dialect differs from the backend's), or passed
// through untouched (same dialect, and every non-dialect path) — and, when the backend fails
// after its retries, by its fallbacks in order. GET/DELETE `/v1/responses/{id}` are answered
// from the response store unless the routed backend speaks Responses (handlers/responses-state.ts).
//
// Fallback (SPEC.md `fallback`): a backend that failed with a connect error, a timeout, 429 or
// 5xx hands the request to the next backend of its `fallback` list — converted when that one
// speaks another dialect, passed through when it speaks the client's. 4xx answers are the
// request's own fault and are relayed as they are. Skipped: backends the client key may not use,
// and backends that cannot take this request (another dialect for a non-dialect path, a dialect
// without a converter, a request the fallback's dialect cannot carry). The client sees one
// answer: the first success, else the last failure. Only the routed backend's fallback list is
// followed (a fallback's own list is not), so chains stay what the config says.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { keyAllowsBackend } from '../src/auth/allowlist.js'
import { hasBody } from '../src/body/read-bounded.js'
import { logBody, logStreamedBody } from '../src/log/bodies.js'
import type { Recorder } from '../src/metrics/recorder.js'
import type { ResponseStore } from '../src/responses-store/types.js'
import type { ModelInfo } from '../src/routing/models.js'
import type { FallbackFailure, TargetOutcome } from '../src/upstream/attempts.js'
import type { Backend } from '../src/upstream/backend.js'
import { canConvert, convertTo } from './handlers/convert.js'
import { cozeTo } from './handlers/coze.js'
import { answerWithMock } from './handlers/mock.js'
import { listModels } from './handlers/models.js'
import { passthroughTo } from './handlers/passthrough.js'
import { answerStoredResponse, isStoredResponseOperation } from './handlers/responses-state.js'
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
  /**
   * The store behind `previous_response_id` and GET/DELETE `/v1/responses/{id}` for Responses
   * clients of non-Responses backends (./handlers/responses-state.ts); absent: stateless.
   */
  readonly responses?: ResponseStore
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** Whether `target` can answer this request in place of the routed backend. */
function canFallBackTo (ctx: RequestContext, target: Backend | undefined): target is Backend {
  if (target === undefined || !keyAllowsBackend(ctx.clientKey, target.name)) return false
  const op = ctx.operation
  if (op === null) return target.protocol === (ctx.backend as Backend).protocol
  return target.protocol === 'mock' || target.protocol === op.dialect || canConvert(op, target.protocol)
}

/** One backend's try: in process, passed through in the client's dialect, or converted. */
async function answerFrom (request: FastifyRequest, reply: FastifyReply, target: Backend, opts: ProxyPluginOptions): Promise<TargetOutcome<FastifyReply>> {
  const op = (request.switchyard as RequestContext).operation
  if (target.protocol === 'mock') return { kind: 'answered', reply: await answerWithMock(request, reply, target, opts.recorder) }
  if (target.protocol === 'coze') return cozeTo(request, reply, target, opts)
  if (op !== null && op.dialect !== target.protocol) return convertTo(request, reply, target, opts)
  return passthroughTo(request, reply, target, opts)
}

/** A fallback the request cannot be converted for: skipped, the previous failure stands. */
function isConversionRefusal (err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('SWY_ERR_CONVERT_')
}

async function forward (request: FastifyRequest, reply: FastifyReply, opts: ProxyPluginOptions): Promise<FastifyReply> {
  const ctx = request.switchyard as RequestContext
  const routed = ctx.backend as Backend
  const first = await answerFrom(request, reply, routed, opts)
  if (first.kind === 'answered') return first.reply
  let failure: FallbackFailure<FastifyReply> = first.failure
  let failedBy = routed
  for (const name of routed.fallback) {
    const target = opts.backends.get(name)
    if (!canFallBackTo(ctx, target)) continue
    if (ctx.signal.aborted) break
    request.log.info({ backend: failedBy.name, fallback: target.name }, 'backend failed, trying its fallback')
    let outcome: TargetOutcome<FastifyReply>
    try {
      outcome = await answerFrom(request, reply, target, opts)
    } catch (err) {
      if (!isConversionRefusal(err)) { failure.discard(); ctx.answeredBy = target; throw err }
      request.log.info({ backend: target.name, err: (err as Error).message }, 'fallback skipped: request cannot be converted for it')
      continue
    }
    failure.discard()
    if (outcome.kind === 'answered') { ctx.answeredBy = target; return outcome.reply }
    failure = outcome.failure
    failedBy = target
  }
  if (failedBy !== routed) ctx.answeredBy = failedBy
  return failure.relay()
}

function logClientBody (request: FastifyRequest, ctx: RequestContext): void {
  const backend = (ctx.backend as Backend).name
  if (ctx.body === null) {
    if (hasBody(request.headers)) logStreamedBody(request.log, 'client request body', backend)
  } else logBody(request.log, 'client request body', backend, ctx.json === undefined ? ctx.body : ctx.json)
}

const proxy: FastifyPluginAsync<ProxyPluginOptions> = async (app, opts) => {
  app.route({
    method: METHODS,
    url: '/*',
    handler: async (request, reply) => {
      const ctx = request.switchyard as RequestContext
      const backend = ctx.backend as Backend
      const op = ctx.operation
      if (op?.operation === 'models') return listModels(request, reply, op, opts.models)
      // A Responses backend keeps its own responses: only other backends' are answered here.
      if (opts.responses !== undefined && isStoredResponseOperation(op) && backend.protocol !== 'openai-responses') {
        return answerStoredResponse(request, reply, op, opts.responses)
      }
      if (opts.logBodies) logClientBody(request, ctx)
      if (backend.protocol === 'mock') return answerWithMock(request, reply, backend, opts.recorder)
      return forward(request, reply, opts)
    },
  })
}

export default fp(proxy, {
  name: 'switchyard-proxy',
  fastify: '5.x',
  dependencies: ['switchyard-context', 'switchyard-router', 'switchyard-body'],
})
