// Rate limits as the request path reads them: `max` and the window in milliseconds, computed
// once at boot from the config (`rateLimit` and each `auth.keys[].rateLimit`), plus the words the
// 429 message uses. The duration grammar is the one src/config/schema.ts validates (`TimeWindow`):
// a number of ms, or a number with a unit — ms, s, m, h, d and their long forms.
import type { RateLimitConfig } from '../config/schema.js'

export interface Limit {
  readonly max: number
  readonly windowMs: number
  /** The window as the operator wrote it (`1 minute`, `30s`, `500 ms`), for messages. */
  readonly windowText: string
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
}

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/

/** Milliseconds of a config `timeWindow`; throws on what the config schema would have refused. */
export function parseTimeWindow (window: number | string): number {
  if (typeof window === 'number') return window
  const m = DURATION.exec(window)
  const factor = m === null ? undefined : m[2] === '' ? 1 : UNIT_MS[m[2] as string]
  if (m === null || factor === undefined) throw new TypeError(`not a duration: ${JSON.stringify(window)}`)
  const ms = Math.round(Number(m[1]) * factor)
  if (ms < 1) throw new TypeError(`duration shorter than 1 ms: ${JSON.stringify(window)}`)
  return ms
}

export function compileLimit (config: RateLimitConfig): Limit {
  const windowMs = parseTimeWindow(config.timeWindow)
  const windowText = typeof config.timeWindow === 'number' ? `${config.timeWindow} ms` : config.timeWindow.trim()
  return { max: config.max, windowMs, windowText }
}

/** `rate limit of 2 requests per 1 minute exceeded for key team-a` */
export function describeExceeded (limit: Limit, who: string): string {
  return `rate limit of ${limit.max} request${limit.max === 1 ? '' : 's'} per ${limit.windowText} exceeded for ${who}`
}
