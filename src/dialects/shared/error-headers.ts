// Response headers every dialect's error carries (PROTOCOLS.md §5.1, §6.11): pass `retry-after`
// through, and tell the Stainless SDKs (openai-node, anthropic) not to retry a deterministic 4xx.
import type { CanonicalError } from '../../canonical/error.js'

function isRetryable4xx (status: number): boolean {
  return status === 408 || status === 409 || status === 429
}

export function errorHeaders (err: CanonicalError, status: number): Record<string, string> {
  const headers: Record<string, string> = {}
  if (err.retryAfter !== undefined) headers['retry-after'] = err.retryAfter
  if (status >= 400 && status < 500 && !isRetryable4xx(status)) headers['x-should-retry'] = 'false'
  return headers
}
