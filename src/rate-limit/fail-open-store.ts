// The Redis counter store behind @fastify/rate-limit, wrapped so that a Redis outage is seen,
// logged and counted. The counting itself is @fastify/rate-limit's own RedisStore (one Lua script:
// INCR, and PEXPIRE on the first hit of a window, atomically), so every instance sharing the Redis
// shares the counters and the fleet-wide limit holds.
//
// Redis down: FAIL OPEN. A failed count is passed on as an error and the plugin runs the limiter
// with `skipOnError`, so the request goes through unlimited. Rate limiting protects budgets, not
// correctness; refusing every request because the counter store is down would turn a Redis
// outage into a full gateway outage. The cost — clients are unlimited while Redis is down — is
// made visible instead: a warn line when the outage begins, another at most every
// WARN_INTERVAL_MS while it lasts, each with the number of requests let through so far, and an
// info line with the total when Redis answers again. Never a line per request.
import { createRequire } from 'node:module'
import type { Redis } from 'ioredis'
import type { RedisLog } from '../redis/client.js'

export interface StoreResult { current: number, ttl: number }
export type StoreCallback = (err: Error | null, result?: StoreResult) => void

/** @fastify/rate-limit's store contract (its `FastifyRateLimitStore`), the part we use. */
export interface CounterStore {
  incr (key: string, cb: StoreCallback, timeWindow: number, max: number): void
  child (routeOptions: object): CounterStore
}

type RedisStoreCtor = new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, prefix?: string) => CounterStore

// @fastify/rate-limit ships its Redis store as a CommonJS file without typings of its own; the
// constructor's signature is the one in store/RedisStore.js (v11).
const RedisStore = createRequire(import.meta.url)('@fastify/rate-limit/store/RedisStore.js') as RedisStoreCtor

/** Redis keys of the counters: `switchyard:rate-limit:key:team-a`, `…:ip:10.0.0.1`. */
export const KEY_PREFIX = 'switchyard:rate-limit:'

export const WARN_INTERVAL_MS = 30_000

/** Tracks one outage of the counter store: when it began and how many requests it let through. */
export class StoreOutage {
  /** Requests let through unlimited since the current outage began (0 while Redis answers). */
  letThrough = 0
  /** Requests let through unlimited since boot, over every outage. */
  totalLetThrough = 0
  private since = 0
  private lastWarn = 0

  constructor (
    private readonly log: RedisLog,
    private readonly warnIntervalMs = WARN_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get active (): boolean { return this.since !== 0 }

  failed (err: Error): void {
    this.letThrough++
    this.totalLetThrough++
    const t = this.now()
    if (this.since === 0) {
      this.since = t
      this.lastWarn = t
      this.log.warn({ reason: err.message, letThrough: this.letThrough }, 'rate-limit store unavailable: failing open')
    } else if (t - this.lastWarn >= this.warnIntervalMs) {
      this.lastWarn = t
      this.log.warn({ reason: err.message, letThrough: this.letThrough, outageMs: t - this.since }, 'rate-limit store still unavailable: failing open')
    }
  }

  succeeded (): void {
    if (this.since === 0) return
    this.log.info({ letThrough: this.letThrough, outageMs: this.now() - this.since }, 'rate-limit store available again')
    this.since = 0
    this.letThrough = 0
  }
}

export class FailOpenStore implements CounterStore {
  constructor (private readonly inner: CounterStore, readonly outage: StoreOutage) {}

  incr (key: string, cb: StoreCallback, timeWindow: number, max: number): void {
    this.inner.incr(key, (err, result) => {
      if (err === null) this.outage.succeeded()
      else this.outage.failed(err)
      cb(err, result)
    }, timeWindow, max)
  }

  child (routeOptions: object): CounterStore {
    return new FailOpenStore(this.inner.child(routeOptions), this.outage)
  }
}

/** The store class @fastify/rate-limit instantiates (`store` option) for counters in `redis`. */
export function redisStoreClass (redis: Redis, outage: StoreOutage): new () => CounterStore {
  return class extends FailOpenStore {
    constructor () { super(new RedisStore(false, false, redis, KEY_PREFIX), outage) }
  }
}
