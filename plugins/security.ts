// Browser-facing hygiene for an API (issue 7 "Also"): @fastify/cors from `cors.origins` and
// helmet's security headers, both in the root scope so a CORS preflight is answered in
// onRequest before the api scope's auth hook (a browser never sends credentials on a preflight).
// - No `cors` in config: no CORS plugin at all. With it, every OPTIONS request is treated as a
//   preflight (`strictPreflight: false`): a strict 400 would be a text/plain body outside every
//   dialect. Allowed request headers are the ones the preflight asks for: SDKs send open-ended
//   sets (x-stainless-*, anthropic-beta, x-goog-api-client, routing headers from
//   `match.headers`), credentials are keys rather than cookies (`credentials: false`), so a
//   fixed list would only break browser clients.
// - @fastify/cors adds an `OPTIONS *` route that collides with the api scope's catch-all (which
//   accepts OPTIONS on every path already). Since every OPTIONS is answered in the hook, that
//   route is never reached; it is moved, while cors registers, to a fixed path of its own.
// - helmet: no HTML assumptions. `default-src 'none'` + `frame-ancestors 'none'` (nothing here
//   is a document), nosniff, X-Frame-Options DENY, no referrer; CORP `cross-origin` when CORS
//   is on (else `same-origin`). Off: HSTS (TLS ends at the ingress, which owns it), and the
//   document-only headers (COOP, Origin-Agent-Cluster, X-DNS-Prefetch-Control,
//   X-Download-Options, X-XSS-Protection). Helmet only sets headers, never touches a body, so
//   SSE replies keep their content-type and x-accel-buffering.
// - The headers depend on config only, so helmet computes them once, at start; each request then
//   costs one object assignment per header. @fastify/helmet rebuilt helmet's middleware on every
//   request (~25 µs of CPU a request, issue 8's profile).
import cors from '@fastify/cors'
import helmet, { type HelmetOptions } from 'helmet'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

export interface SecurityPluginOptions {
  /** `cors.origins` from config; absent: no CORS headers. */
  readonly origins?: readonly string[]
}

const CORS_METHODS = ['GET', 'POST', 'DELETE', 'OPTIONS']
/** Response headers browser clients may read: request ids, and what SDKs use to back off. */
export const CORS_EXPOSED_HEADERS = [
  'x-request-id', 'request-id', 'x-switchyard-overhead-ms', 'retry-after', 'retry-after-ms', 'x-should-retry',
  'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
  'x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens',
]
/** Seconds a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE = 600
/** Where @fastify/cors's catch-all OPTIONS route is moved (see the header comment). */
const CORS_ROUTE = '/.switchyard/cors-preflight'

async function registerCors (app: FastifyInstance, origins: readonly string[]): Promise<void> {
  let registering = true
  app.addHook('onRoute', route => {
    if (registering && route.method === 'OPTIONS' && route.url === '*') route.url = CORS_ROUTE
  })
  await app.register(cors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: CORS_METHODS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE,
    strictPreflight: false,
  })
  registering = false
}

/** The headers helmet sets for `options`, lower-cased, read once by running its middleware. */
export function helmetHeaders (options: HelmetOptions): ReadonlyArray<readonly [string, string]> {
  const headers: Array<[string, string]> = []
  const res = {
    setHeader (name: string, value: string) { headers.push([name.toLowerCase(), value]) },
    removeHeader () {},
  }
  let called = false
  helmet(options)({} as never, res as never, () => { called = true })
  if (!called) throw new Error('helmet did not complete synchronously')
  return headers
}

const security: FastifyPluginAsync<SecurityPluginOptions> = async (app, opts) => {
  if (opts.origins !== undefined) await registerCors(app, opts.origins)
  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: opts.origins === undefined ? 'same-origin' : 'cross-origin' },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xXssProtection: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  })
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.header(name, value)
    done()
  })
}

export default fp(security, { name: 'switchyard-security', fastify: '5.x' })
