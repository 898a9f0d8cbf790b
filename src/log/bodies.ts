// Request/response body logging for debugging conversions (SPEC.md `logging.requestBodies`, off
// by default). Bodies are logged at info, one line per body, bounded, with secrets redacted.
//
// Decisions:
// - The value of any JSON field whose name says it holds a secret (api_key, apiKey, key,
//   authorization, x-api-key, x-goog-api-key, password, secret, token, access_token…) becomes
//   `[REDACTED]`, whatever its type: a body may carry credentials for tools or MCP servers.
//   Configured keys (client and backend) are scrubbed again by value from every finished log
//   line (./options.ts), so they cannot appear even inside free text.
// - Bodies that are not JSON are logged as text with `name=value` and `"name": "value"` pairs of
//   the same names redacted.
// - At most 64 KiB of each body is logged (after redaction, so a cut never exposes half a secret);
//   `truncated` says how much was left out. Streamed replies are never buffered: their line only
//   says that they streamed.
import { scrubKnownSecrets } from './secrets.js'
import { REDACTED } from './options.js'

export const MAX_LOGGED_BODY_CHARS = 64 * 1024

/** Field names whose values are secrets: snake/kebab/plain forms, any case. */
const SECRET_NAME = /(?:^|[-_.])(?:api[-_]?key|key|token|secret|password|passwd|authorization|credentials?)$|apikey$|secret|password/i
/** camelCase forms: `accessToken`, `privateKey`, `clientSecret`. */
const CAMEL_SECRET = /[a-z0-9](?:Key|Token|Secret|Password)$/
const TEXT_PAIR = /("[\w.-]*(?:api[-_]?key|apikey|key|token|secret|password|authorization)"\s*:\s*)"(?:[^"\\]|\\.)*"|((?:^|[?&\s])[\w.-]*(?:api[-_]?key|apikey|key|token|secret|password)=)[^&\s]*/gi
const MAX_DEPTH = 64

export interface BodyLog {
  info (fields: object, message: string): void
}

export function isSecretName (name: string): boolean {
  return SECRET_NAME.test(name) || CAMEL_SECRET.test(name)
}

/** A copy of `value` with every secret-named field's value replaced. */
export function redactSecrets (value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (depth >= MAX_DEPTH) return '[too deep]'
  if (Array.isArray(value)) return value.map(v => redactSecrets(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [name, v] of Object.entries(value)) out[name] = isSecretName(name) ? REDACTED : redactSecrets(v, depth + 1)
  return out
}

/** Redact secret-looking `name=value` and `"name": "value"` pairs in text that is not JSON. */
export function redactText (text: string): string {
  return text.replace(TEXT_PAIR, (_m: string, json: string | undefined, form: string | undefined) =>
    json !== undefined ? `${json}"${REDACTED}"` : `${form ?? ''}${REDACTED}`)
}

interface Rendered { readonly body: string, readonly truncated?: number }

/** Known secrets are scrubbed before the cut: a key straddling it would leave a piece behind. */
function bounded (raw: string): Rendered {
  const text = scrubKnownSecrets(raw)
  if (text.length <= MAX_LOGGED_BODY_CHARS) return { body: text }
  return { body: text.slice(0, MAX_LOGGED_BODY_CHARS), truncated: text.length - MAX_LOGGED_BODY_CHARS }
}

/** A parsed JSON body, or raw bytes (parsed here when they are JSON), as a bounded, redacted string. */
export function renderBody (body: unknown): Rendered {
  if (Buffer.isBuffer(body)) {
    const text = body.toString('utf8')
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return bounded(redactText(text))
    }
    return bounded(JSON.stringify(redactSecrets(json)))
  }
  return bounded(JSON.stringify(redactSecrets(body)) ?? '')
}

/** One body, one line: `what` says which (client request, upstream request, upstream response). */
export function logBody (log: BodyLog, what: string, backend: string, body: unknown): void {
  log.info({ backend, ...renderBody(body) }, what)
}

/** A streamed body: logged as such, never buffered. */
export function logStreamedBody (log: BodyLog, what: string, backend: string): void {
  log.info({ backend, streamed: true }, what)
}
