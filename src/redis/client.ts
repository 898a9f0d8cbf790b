// One ioredis client per process for shared state (rate-limit counters now, the Responses store
// later) and the readiness check that pings it.
//
// Decisions, all so that a dead or unreachable Redis never makes a client request hang:
// - `enableOfflineQueue: false`: while the connection is down a command is rejected at once
//   instead of queued until a reconnect (ioredis' default would hold every request until Redis
//   came back). The rate limiter then fails open and readiness answers 503 immediately.
// - `commandTimeout`: a Redis that accepts the connection but never answers (blackholed, paused,
//   overloaded) rejects the command after COMMAND_TIMEOUT_MS. A healthy Redis answers INCR or
//   PING in well under a millisecond on a LAN, so 200 ms is only ever reached when it is broken.
// - `maxRetriesPerRequest: 0`: a command in flight when the connection drops fails with it
//   rather than being resent after the reconnect; a late rate-limit count is worth nothing.
// - `connectTimeout`: a connect attempt to an unreachable host gives up after CONNECT_TIMEOUT_MS
//   and the reconnect loop tries again; requests never wait on it (the offline queue is off).
// - Connects at once (no `lazyConnect`): with the offline queue off, a lazily connecting client
//   would reject its first command, so the first requests after boot would skip the limiter.
// - An 'error' listener is always attached (without one, ioredis' error events would crash the
//   process). It logs state changes only — connection lost, connection restored — never each
//   failed reconnect attempt, and never the URL, which may hold a password.
import { Redis } from 'ioredis'

/** What the client logs with: pino's logger, or anything with the same two methods. */
export interface RedisLog {
  warn (obj: object, msg: string): void
  info (obj: object, msg: string): void
}

const COMMAND_TIMEOUT_MS = 200
const CONNECT_TIMEOUT_MS = 2000
/** Reconnect backoff: 50 ms, 100 ms, … capped at 2 s (ioredis' own default curve, made explicit). */
const MAX_RECONNECT_DELAY_MS = 2000

export function createRedis (url: string, log?: RedisLog): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: times => Math.min(times * 50, MAX_RECONNECT_DELAY_MS),
  })
  let down = false
  redis.on('error', (err: Error & { code?: string }) => {
    if (down) return
    down = true
    // `code` and `message` name the failure (ECONNREFUSED 127.0.0.1:6379), never the password.
    log?.warn({ code: err.code, reason: err.message }, 'redis connection failed')
  })
  redis.on('ready', () => {
    if (!down) return
    down = false
    log?.info({}, 'redis connection restored')
  })
  return redis
}

/**
 * Resolves once the client is ready, or `false` when it fails to connect or `timeoutMs` passes —
 * never rejects: a Redis that is down at boot must not stop the gateway (callers fail open).
 */
export async function whenReady (redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true
  return await new Promise<boolean>(resolve => {
    const done = (ok: boolean): void => {
      clearTimeout(timer)
      redis.off('ready', onReady)
      redis.off('error', onError)
      resolve(ok)
    }
    const onReady = (): void => { done(true) }
    const onError = (): void => { done(false) }
    const timer = setTimeout(onError, timeoutMs)
    redis.once('ready', onReady)
    redis.once('error', onError)
  })
}
