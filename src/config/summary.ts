// What `--check` prints and what may be logged about a config. Neither ever shows a secret:
// API keys, client keys, header values and URL credentials stay out (STYLE.md §2.16 #14).
import type { BackendConfig, Config } from './schema.js'

export const REDACTED = '[REDACTED]'

const COLUMNS = ['#', 'BACKEND', 'PROTOCOL', 'UPSTREAM', 'MATCH', 'OPTIONS'] as const

/** The route table, one row per backend in match order (config order), aligned. */
export function describeRoutes (config: Config): string {
  const rows = config.backends.map((b, i) => [String(i + 1), b.name, b.protocol, upstreamOf(b), matchOf(b), optionsOf(b)])
  const table = [[...COLUMNS], ...rows]
  const widths = COLUMNS.map((_, c) => Math.max(...table.map(row => (row[c] ?? '').length)))
  const lines = table.map(row => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd())
  const fallback = config.backends.find(b => b.match?.default === true)
  lines.push(fallback === undefined
    ? 'unmatched requests: 404 (no default backend)'
    : `unmatched requests: ${fallback.name} (default)`)
  return lines.join('\n')
}

function upstreamOf (backend: BackendConfig): string {
  if (backend.protocol === 'mock') return 'in process'
  if (backend.url === undefined) return '-'
  try {
    // host, never userinfo; no query or fragment either, they may carry a key (`?key=`).
    const url = new URL(backend.url)
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`
  } catch {
    return '(invalid URL)'
  }
}

function matchOf (backend: BackendConfig): string {
  const match = backend.match ?? {}
  const rules: string[] = []
  if (match.pathPrefix !== undefined) rules.push(`path=${match.pathPrefix}`)
  // Names only: values are usually routing labels, but nothing stops someone putting a token there.
  if (match.headers !== undefined) rules.push(`headers=${Object.keys(match.headers).join(',')}`)
  if (match.models !== undefined) rules.push(`models=${match.models.join(',')}`)
  if (rules.length === 0) rules.push('all requests')
  if (match.default === true) rules.push('(default)')
  return rules.join(' ')
}

function optionsOf (backend: BackendConfig): string {
  const options: string[] = []
  if (backend.model !== undefined) options.push(`model=${backend.model}`)
  if (backend.models !== undefined) {
    options.push(`aliases=${Object.entries(backend.models).map(([from, to]) => `${from}->${to}`).join(',')}`)
  }
  if (backend.retries !== undefined) options.push(`retries=${backend.retries}`)
  if (backend.fallback !== undefined) options.push(`fallback=${backend.fallback.join(',')}`)
  if (backend.timeoutMs !== undefined) options.push(`timeout=${backend.timeoutMs}ms`)
  if (backend.headers !== undefined) options.push(`extra-headers=${Object.keys(backend.headers).join(',')}`)
  return options.length === 0 ? '-' : options.join(' ')
}

/** A deep copy safe to log: every key, upstream header value and URL credential is `[REDACTED]`. */
export function redactConfig (config: Config): Config {
  const copy = structuredClone(config)
  return {
    ...copy,
    ...(copy.auth === undefined ? {} : { auth: { ...copy.auth, keys: copy.auth.keys.map(k => ({ ...k, key: REDACTED })) } }),
    ...(copy.redis === undefined ? {} : { redis: { ...copy.redis, url: redactUrlCredentials(copy.redis.url) } }),
    backends: copy.backends.map(redactBackend),
  }
}

function redactBackend (backend: BackendConfig): BackendConfig {
  return {
    ...backend,
    ...(backend.apiKey === undefined ? {} : { apiKey: REDACTED }),
    ...(backend.url === undefined ? {} : { url: redactUrlCredentials(backend.url) }),
    ...(backend.headers === undefined ? {} : { headers: Object.fromEntries(Object.keys(backend.headers).map(k => [k, REDACTED])) }),
  }
}

/**
 * `redis://user:secret@host` → `redis://user:[REDACTED]@host` (a lone username is a token too);
 * query values go as well, since `?key=` is a common way to pass a Gemini key. The fragment is
 * never sent anywhere, so it is dropped.
 */
function redactUrlCredentials (raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return REDACTED // cannot tell where a secret would be, so show none of it
  }
  const hasUserinfo = url.username !== '' || url.password !== ''
  if (!hasUserinfo && url.search === '' && url.hash === '') return raw
  const userinfo = !hasUserinfo ? '' : url.password === '' ? `${REDACTED}@` : `${url.username}:${REDACTED}@`
  const names = [...new Set(url.searchParams.keys())]
  const query = names.length === 0 ? '' : `?${names.map(name => `${encodeURIComponent(name)}=${REDACTED}`).join('&')}`
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${query}`
}
