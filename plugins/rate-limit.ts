// Rate limits for client traffic (SPEC.md `rateLimit`, `auth.keys[].rateLimit`), on
// @fastify/rate-limit. Registered in the api scope after auth, so /health/* and /metrics are
// never limited.
//
// - Keyed by client key *name* when auth is on (`key:team-a`), else by client address
//   (`ip:10.0.0.7`; IPv6 grouped by /64 as @fastify/rate-limit does). `request.ip` honours
//   X-Forwarded-For only with `server.trustProxy`, which Fastify applies from the app options.
// - The global limit, or the key's own `rateLimit` override: both compiled once at boot and picked
//   per request through the library's `max`/`timeWindow` functions.
// - Added as one onRequest hook of this scope (`global: false` + `app.rateLimit()`), so it runs
//   exactly where it is registered — after auth, before routing — rather than as a route hook
//   appended after every scope hook.
// - 429 is thrown as SWY_ERR_RATE_LIMITED with `retryAfter`, and the root error handler renders
//   it in the client's dialect; the library sets x-ratelimit-limit/-remaining/-reset on every
//   request it counts, and retry-after on 429. Each refusal is counted by key name (`ip` without
//   auth: an address is never a metric label).
// - With Redis the counters are shared by the fleet; Redis down fails open, logged and counted
//   (see src/rate-limit/fail-open-store.ts for why).
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import type { ClientKeyConfig, RateLimitConfig } from '../src/config/schema.js'
import type { Recorder } from '../src/metrics/recorder.js'
import { rateLimited } from '../src/rate-limit/error.js'
import { redisStoreClass, StoreOutage } from '../src/rate-limit/fail-open-store.js'
import { compileLimit, describeExceeded, type Limit } from '../src/rate-limit/limits.js'
import { whenReady } from '../src/redis/client.js'
import './types.js'

export interface RateLimitPluginOptions {
  readonly limit: RateLimitConfig
  readonly keys?: readonly ClientKeyConfig[]
  /** Shared counters across the fleet; absent: in process. */
  readonly redis?: Redis
  readonly recorder: Recorder
}

/** How long boot waits for Redis before serving (failing open) without it. */
const REDIS_BOOT_WAIT_MS = 2000
/** Same grouping as @fastify/rate-limit's default key: one IPv6 /64 is one client. */
const IPV6_SUBNET = 64

const rateLimit: FastifyPluginAsync<RateLimitPluginOptions> = async (app, opts) => {
  const globalLimit = compileLimit(opts.limit)
  const perKey = new Map<string, Limit>()
  for (const k of opts.keys ?? []) if (k.rateLimit !== undefined) perKey.set(k.name, compileLimit(k.rateLimit))

  const keyName = (request: FastifyRequest): string | undefined => request.switchyard?.clientKey?.name
  const limitFor = (request: FastifyRequest): Limit => {
    const name = keyName(request)
    return (name === undefined ? undefined : perKey.get(name)) ?? globalLimit
  }

  const store = opts.redis === undefined ? {} : { store: redisStoreClass(opts.redis, new StoreOutage(app.log)) }
  if (opts.redis !== undefined && !await whenReady(opts.redis, REDIS_BOOT_WAIT_MS)) {
    app.log.warn({}, 'redis is not reachable at boot: rate limits fail open until it answers')
  }

  await app.register(fastifyRateLimit, {
    global: false,
    ...store,
    skipOnError: true,
    keyGenerator: request => {
      const name = keyName(request)
      return name === undefined ? `ip:${normalizeIP(request.ip, IPV6_SUBNET)}` : `key:${name}`
    },
    max: request => limitFor(request).max,
    timeWindow: request => limitFor(request).windowMs,
    onExceeded: request => { opts.recorder.rateLimited(keyName(request) ?? 'ip') },
    errorResponseBuilder: (request, context) => {
      const name = keyName(request)
      const who = name === undefined ? 'this client address' : `key ${name}`
      return rateLimited(describeExceeded(limitFor(request), who), Math.ceil(context.ttl / 1000))
    },
  })
  app.addHook('onRequest', app.rateLimit())
}

export default fp(rateLimit, { name: 'switchyard-rate-limit', fastify: '5.x', dependencies: ['switchyard-context'] })
