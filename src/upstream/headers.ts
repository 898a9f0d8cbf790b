// Request/response header hygiene for proxying (RFC 9110 §7.6.1), one place for all of it.
// Order matters, as in fastify-reply-from: hop-by-hop first (including every header the
// `Connection` header names), then client credentials, then the backend's own headers.
import type { IncomingHttpHeaders } from 'node:http'

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
])

/** Client credentials: Switchyard authenticates the client itself and never forwards them. */
const CLIENT_CREDENTIALS = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'])

/** Set by the proxy, never copied: undici writes host and length for the upstream request. */
const RECOMPUTED = new Set(['host', 'content-length', 'expect', 'accept-encoding'])

export type OutgoingHeaders = Record<string, string | string[]>

function connectionTokens (value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined
  // The usual values name no header that is not dropped anyway: no set to build per request.
  if (typeof value === 'string' && HOP_BY_HOP.has(value.toLowerCase())) return undefined
  const tokens = (Array.isArray(value) ? value.join(',') : value).split(',')
  return new Set(tokens.map(t => t.trim().toLowerCase()).filter(t => t.length > 0))
}

/**
 * Headers for the upstream request. `accept-encoding` is dropped so replies come back
 * uncompressed: usage accounting reads the stream, and SSE must not wait on a compressor.
 */
export function upstreamRequestHeaders (
  client: IncomingHttpHeaders,
  injected: Readonly<Record<string, string>>,
  keepContentLength: boolean,
): OutgoingHeaders {
  const named = connectionTokens(client.connection)
  const out: OutgoingHeaders = {}
  for (const name in client) {
    const value = client[name]
    if (value === undefined || HOP_BY_HOP.has(name) || CLIENT_CREDENTIALS.has(name)) continue
    if (RECOMPUTED.has(name) && !(keepContentLength && name === 'content-length')) continue
    if (named?.has(name) === true) continue
    out[name] = value
  }
  for (const name in injected) out[name.toLowerCase()] = injected[name] as string
  return out
}

/** Upstream response headers to copy to the client: everything but hop-by-hop. */
export function clientResponseHeaders (upstream: IncomingHttpHeaders): OutgoingHeaders {
  const named = connectionTokens(upstream.connection)
  const out: OutgoingHeaders = {}
  for (const name in upstream) {
    const value = upstream[name]
    if (value === undefined || HOP_BY_HOP.has(name) || named?.has(name) === true) continue
    out[name] = value
  }
  return out
}

/**
 * Headers for a converted request. Nothing of the client's is copied: its headers belong to
 * another dialect (`anthropic-beta`, `x-stainless-*`, `openai-organization`) and would confuse
 * or leak to this backend. The backend's defaults, then the credential set of the key picked for
 * this attempt (configured headers included), then the call's own headers go in.
 */
export function convertedRequestHeaders (
  requestId: string,
  defaults: Readonly<Record<string, string>>,
  credentials: Readonly<Record<string, string>>,
  call: { readonly headers?: Readonly<Record<string, string>>, readonly body?: unknown },
  stream: boolean,
): OutgoingHeaders {
  const out: OutgoingHeaders = { accept: stream ? 'text/event-stream' : 'application/json', 'x-request-id': requestId }
  if (call.body !== undefined) out['content-type'] = 'application/json'
  for (const name in defaults) out[name] = defaults[name] as string
  for (const name in credentials) out[name] = credentials[name] as string
  if (call.headers !== undefined) for (const name in call.headers) out[name] = call.headers[name] as string
  return out
}

/** Whether an upstream reply is an SSE stream. */
export function isEventStream (headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type']
  return typeof type === 'string' && type.startsWith('text/event-stream')
}

/** The upstream's `retry-after`, kept as sent for the client's error. */
export function retryAfterOf (headers: IncomingHttpHeaders): string | undefined {
  const value = headers['retry-after']
  return typeof value === 'string' ? value : undefined
}
