// A backend's API keys used in turn (SPEC.md `apiKey` as a list). Round robin over the keys that
// are not cooling down; a key answered 429 or 401 cools down while the others serve.
//
// Decisions:
// - Cooldown is exponential per consecutive failure of that key: 1 s, 2 s, 4 s … capped at 60 s;
//   a 429's `retry-after` replaces it (capped at 5 min: a key is not parked for an hour on one
//   header). A success resets the key's count.
// - When every key is cooling, the one whose cooldown ends first is used rather than failing the
//   request here: the upstream's own answer is more useful to the client than ours.
// - State is per process (a fleet shares nothing here): a key parked on one instance may serve on
//   another, which costs at most one more 429 there.
// - One key (or none): `pick` is a constant 0, with no clock read, so the common case pays nothing.

export const KEY_COOLDOWN_BASE_MS = 1_000
export const KEY_COOLDOWN_CAP_MS = 60_000
export const KEY_RETRY_AFTER_CAP_MS = 300_000

export class KeyPool {
  readonly size: number
  readonly #now: () => number
  /** When each key may serve again (`now()` clock); 0 when it is not cooling. */
  readonly #until: number[]
  /** Consecutive 429/401 answers per key. */
  readonly #strikes: number[]
  #next = 0

  constructor (size: number, now: () => number = Date.now) {
    this.size = Math.max(1, size)
    this.#now = now
    this.#until = new Array<number>(this.size).fill(0)
    this.#strikes = new Array<number>(this.size).fill(0)
  }

  /** The key for the next attempt (an index into the backend's credentials). */
  pick (): number {
    if (this.size === 1) return 0
    const now = this.#now()
    let soonest = 0
    let soonestUntil = Infinity
    for (let i = 0; i < this.size; i++) {
      const key = (this.#next + i) % this.size
      const until = this.#until[key] as number
      if (until <= now) return this.#take(key)
      if (until < soonestUntil) { soonest = key; soonestUntil = until }
    }
    return this.#take(soonest)
  }

  /** Whether a key other than `key` could serve now (then a retry need not wait). */
  hasReadyOther (key: number): boolean {
    if (this.size === 1) return false
    const now = this.#now()
    for (let i = 0; i < this.size; i++) if (i !== key && (this.#until[i] as number) <= now) return true
    return false
  }

  /** The key was answered 429 or 401: park it; `retryAfterMs` is the 429's header, if any. */
  cool (key: number, retryAfterMs?: number): void {
    if (this.size === 1) return
    const strikes = (this.#strikes[key] as number) + 1
    this.#strikes[key] = strikes
    const backoff = Math.min(KEY_COOLDOWN_CAP_MS, KEY_COOLDOWN_BASE_MS * 2 ** (strikes - 1))
    const ms = retryAfterMs === undefined ? backoff : Math.min(KEY_RETRY_AFTER_CAP_MS, retryAfterMs)
    this.#until[key] = this.#now() + ms
  }

  /** The key was answered without a 429/401: its failures no longer count. */
  succeeded (key: number): void {
    if (this.#strikes[key] !== 0) this.#strikes[key] = 0
  }

  /** When `key` may serve again (for tests and logs); 0 when it is not cooling. */
  coolingUntil (key: number): number {
    const until = this.#until[key] as number
    return until > this.#now() ? until : 0
  }

  #take (key: number): number {
    this.#next = (key + 1) % this.size
    return key
  }
}
