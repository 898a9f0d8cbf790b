// The only composition root (STYLE.md §2.2): config in, a ready Fastify instance out. Root
// scope: context, error handling, health. The api scope holds everything client traffic goes
// through, so its hooks never touch the operational endpoints.
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { pino, type DestinationStream } from 'pino'
import authPlugin from '../plugins/auth.js'
import authAllowlistPlugin from '../plugins/auth-allowlist.js'
import bodyPlugin from '../plugins/body.js'
import contextPlugin from '../plugins/context.js'
import errorHandlerPlugin from '../plugins/error-handler.js'
import healthPlugin from '../plugins/health.js'
import loadSheddingPlugin from '../plugins/load-shedding.js'
import metricsPlugin from '../plugins/metrics.js'
import proxyPlugin from '../plugins/proxy.js'
import rateLimitPlugin from '../plugins/rate-limit.js'
import routerPlugin from '../plugins/router.js'
import securityPlugin from '../plugins/security.js'
import type { Config } from './config/schema.js'
import { isSecretName } from './log/bodies.js'
import { loggerOptions } from './log/options.js'
import { registerSecrets } from './log/secrets.js'
import { createMetrics } from './metrics/prometheus.js'
import { createRedis } from './redis/client.js'
import { createResponseStore } from './responses-store/create.js'
import { compileRoutes } from './routing/compile.js'
import { declaredModels } from './routing/models.js'
import { createBackend, type Backend } from './upstream/backend.js'

export interface BuildOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logStream?: DestinationStream
  /** Keep-alive interval for converted streams while the upstream is silent (tests shorten it). */
  readonly keepaliveMs?: number
}

/** PROTOCOLS.md §6.12: a ping or comment every ~15 s while the upstream thinks. */
const KEEPALIVE_MS = 15_000

/**
 * Every secret the config holds — keys, and the values of secret-named backend headers (Azure's
 * `api-key`) — so the logger and the error replies can scrub it wherever it appears.
 */
function configSecrets (config: Config): string[] {
  const secrets: string[] = []
  for (const b of config.backends) {
    if (b.apiKey !== undefined) secrets.push(...[b.apiKey].flat())
    for (const [name, value] of Object.entries(b.headers ?? {})) {
      // `Bearer <token>`: the token is the secret.
      if (isSecretName(name)) secrets.push(value, value.replace(/^(bearer|basic)\s+/i, ''))
    }
  }
  for (const k of config.auth?.keys ?? []) secrets.push(k.key)
  return secrets
}

/** `x-request-id` is kept when it is a sane token, else generated. */
const REQUEST_ID_MAX = 128
function genReqId (req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id']
  if (typeof given === 'string' && given.length > 0 && given.length <= REQUEST_ID_MAX && /^[\w.:@/+=-]+$/.test(given)) return given
  return randomUUID()
}

/** What Node's HTTP parser says about a request it refused, in words a client can act on. */
const PARSER_REASONS: Readonly<Record<string, string>> = {
  HPE_INVALID_HEADER_TOKEN: 'a header name or value holds an invalid character (CR, LF or a control byte)',
  HPE_LF_EXPECTED: 'a header line ends with a bare CR',
  HPE_CR_EXPECTED: 'a header line ends with a bare LF',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length and Transfer-Encoding were both sent',
  HPE_INVALID_CONTENT_LENGTH: 'Content-Length is not a number',
  HPE_INVALID_TRANSFER_ENCODING: 'Transfer-Encoding is not valid',
  HPE_HEADER_OVERFLOW: 'the request headers are too large',
}

/**
 * A request Node's HTTP parser refused never reaches Fastify, so no dialect is known: the answer
 * is the OpenAI-shaped error (the fallback dialect) naming the problem, then the connection
 * closes — its bytes cannot be trusted to frame a next request.
 */
function answerMalformedRequest (err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) { socket.destroy(); return }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
  const reason = PARSER_REASONS[err.code ?? ''] ?? 'the request is not valid HTTP/1.1'
  const body = JSON.stringify({ error: { message: 'malformed HTTP request: ' + reason, type: 'invalid_request_error', param: null, code: 'malformed_request' } })
  socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
}

export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const secrets = configSecrets(config)
  registerSecrets(secrets)
  // stdout is written asynchronously: a synchronous write per line cost ~15 µs of CPU a request
  // (issue 8's profile). Lines are batched only while a write is in flight, and pino flushes
  // them on exit.
  const logger = pino(loggerOptions(config.logging.level, secrets), options.logStream ?? pino.destination({ dest: 1, sync: false }))
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by our one (onResponse below).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId,
    bodyLimit: config.server.bodyLimit,
    trustProxy: config.server.trustProxy,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    clientErrorHandler: answerMalformedRequest,
  })

  const backends = new Map<string, Backend>(config.backends.map(b => [b.name, createBackend(b)]))
  const redis = config.redis === undefined ? undefined : createRedis(config.redis.url, logger)
  const metrics = createMetrics()
  // Responses state for non-Responses backends: in Redis (shared by the fleet) or in process.
  const responses = createResponseStore(config.responses, redis)
  app.addHook('onClose', async () => {
    await Promise.all([...backends.values()].map(b => b.pool?.close()))
    redis?.disconnect()
  })

  await app.register(contextPlugin, { requestTimeoutMs: config.server.requestTimeoutMs })
  await app.register(errorHandlerPlugin)
  await app.register(securityPlugin, config.cors === undefined ? {} : { origins: config.cors.origins })
  await app.register(healthPlugin, redis === undefined ? {} : { checks: [async () => { await redis.ping() }] })
  await app.register(metricsPlugin, { metrics })

  // One line per request, after the reply is done (SPEC logging; never per chunk).
  app.addHook('onResponse', (request, reply, done) => {
    const ctx = request.switchyard
    request.log.info({
      method: request.method,
      path: ctx?.path,
      backend: ctx?.backend?.name,
      dialect: ctx?.operation?.dialect,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime),
    }, 'request')
    done()
  })

  // Client traffic, in hook order: shed load, authenticate, rate limit, route, check the key's
  // allowlist, read the body, answer.
  await app.register(async api => {
    await api.register(loadSheddingPlugin, { maxEventLoopDelayMs: config.server.maxEventLoopDelayMs })
    await api.register(authPlugin, config.auth === undefined ? {} : { keys: config.auth.keys })
    if (config.rateLimit !== undefined) {
      await api.register(rateLimitPlugin, {
        limit: config.rateLimit,
        ...(config.auth === undefined ? {} : { keys: config.auth.keys }),
        ...(redis === undefined ? {} : { redis }),
        recorder: metrics.recorder,
      })
    }
    await api.register(routerPlugin, { table: compileRoutes(config.backends), backends })
    await api.register(authAllowlistPlugin)
    await api.register(bodyPlugin, { bodyLimit: config.server.bodyLimit })
    await api.register(proxyPlugin, {
      bodyLimit: config.server.bodyLimit,
      keepaliveMs: options.keepaliveMs ?? KEEPALIVE_MS,
      models: declaredModels(config.backends),
      recorder: metrics.recorder,
      backends,
      logBodies: config.logging.requestBodies,
      responses,
    })
  })
  return app
}
