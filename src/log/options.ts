// Logger options, set once (STYLE.md §2.11). Credentials are redacted by header path, and every
// configured secret value is scrubbed from each finished line wherever it appears — an upstream
// error message or a config dump included.
import type { LoggerOptions } from 'pino'

export const REDACTED = '[REDACTED]'

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-goog-api-key"]',
  'req.headers["api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
]

/** Secrets shorter than this are not scrubbed by value: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6

export function scrubSecrets (secrets: readonly string[]): (line: string) => string {
  const values = [...new Set(secrets.filter(s => s.length >= MIN_SECRET_LENGTH))]
    .sort((a, b) => b.length - a.length)
    // A secret with JSON-escaped characters appears escaped in the serialized line.
    .map(s => JSON.stringify(s).slice(1, -1))
  if (values.length === 0) return line => line
  return line => {
    let out = line
    for (const v of values) if (out.includes(v)) out = out.split(v).join(REDACTED)
    return out
  }
}

export function loggerOptions (level: string, secrets: readonly string[]): LoggerOptions {
  const scrub = scrubSecrets(secrets)
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    hooks: { streamWrite: scrub },
  }
}
