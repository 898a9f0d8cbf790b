// Retry policy for upstream attempts (SPEC.md `retries`): which failures are worth another try,
// how long to wait, and an abortable wait.
//
// Decisions:
// - Retryable: connect errors, undici timeouts before the headers, 429 and every 5xx. Other 4xx
//   are the request's fault and would fail again. All of this happens before the reply to the
//   client is started (the caller decides on status and headers only), so a retry is never seen.
// - Backoff is exponential with full jitter (AWS architecture blog, "Exponential Backoff And
//   Jitter"): a uniform delay in [0, min(cap, base * 2^attempt)). Base 200 ms, cap 4 s: a fleet of
//   gateways retrying the same overloaded upstream spreads out instead of stampeding in step.
// - `retry-after` (delta-seconds or HTTP-date, RFC 9110 §10.2.3) replaces the backoff. A value
//   above 30 s is not waited for here: the failure goes to the next fallback or to the client,
//   with the upstream's retry-after kept. The request deadline (`server.requestTimeoutMs`) and
//   the client going away abort any wait through the request's signal.
import type { RequestSignal } from '../http/request-signal.js'

export const RETRY_BASE_MS = 200
export const RETRY_CAP_MS = 4_000
export const MAX_RETRY_AFTER_MS = 30_000

/** 429 and 5xx: the upstream, not the request, is at fault (also the statuses that fall back). */
export function isRetryableStatus (status: number): boolean {
  return status === 429 || status >= 500
}

/** Full-jitter backoff before retry number `attempt + 1` (`attempt` counts from 0). */
export function backoffDelayMs (attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt)
  return Math.floor(random() * ceiling)
}

const DELTA_SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/
const HTTP_DATE = /[A-Za-z]{3}/

/** A `retry-after` header value in ms from `now`; `undefined` when absent or unreadable. */
export function retryAfterMs (value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (text === undefined || text === '') return undefined
  const seconds = DELTA_SECONDS.exec(text)
  if (seconds !== null) return Math.ceil(Number(seconds[1]) * 1000)
  // An HTTP-date names its day and month; Date.parse alone would read "-5" as a year.
  const at = HTTP_DATE.test(text) ? Date.parse(text) : NaN
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}

/** Wait `ms`; resolves `false` at once when `signal` aborts (before or during the wait). */
export function pause (ms: number, signal: RequestSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  if (ms <= 0) return Promise.resolve(true)
  return new Promise(resolve => {
    const onAbort = (): void => { clearTimeout(timer); resolve(false) }
    const timer = setTimeout(() => { signal.removeListener('abort', onAbort); resolve(true) }, ms)
    signal.once('abort', onAbort)
  })
}
