// The in-process response store (SPEC.md `responses`; used when no `redis` is configured): an
// LRU map of serialised snapshots with a fixed TTL from creation (as OpenAI's stored responses:
// reading one does not extend its life) and two bounds — `maxEntries` from the config, and
// MAX_TOTAL_BYTES so a few long conversations cannot exhaust the heap (each turn stores its
// whole history). Least recently used entries go first; expired ones are dropped when met.
//
// Values are kept as JSON strings, not objects: a caller can never mutate what another request
// will read, and the byte bound is exact. The clock is injectable for tests.
import { parseStored } from './snapshot-codec.js'
import type { ResponseStore, StoredResponse } from './types.js'

/** 256 MiB of JSON (UTF-16 code units, close enough for a bound). */
export const MAX_TOTAL_BYTES = 256 * 1024 * 1024

export interface MemoryStoreOptions {
  readonly ttlSeconds: number
  readonly maxEntries: number
  readonly maxTotalBytes?: number
  /** Milliseconds; `Date.now` by default. */
  readonly now?: () => number
}

interface Entry { readonly json: string, readonly expiresAt: number }

/**
 * `s` made one flat string. A snapshot is built by concatenation (snapshot-codec.ts, and the
 * response JSON inside it), so it arrives as a tree of its pieces: kept as it is, 10,000
 * 100-delta Responses snapshots held 47 MB of heap against 29 MB flat, every piece an object
 * for the GC to copy and mark. Reading a character makes V8 flatten the tree in place.
 */
function flat (s: string): string {
  s.charCodeAt(0)
  return s
}

export class MemoryResponseStore implements ResponseStore {
  readonly #entries = new Map<string, Entry>()
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #maxBytes: number
  readonly #now: () => number
  #bytes = 0

  constructor (opts: MemoryStoreOptions) {
    this.#ttlMs = opts.ttlSeconds * 1000
    this.#maxEntries = opts.maxEntries
    this.#maxBytes = opts.maxTotalBytes ?? MAX_TOTAL_BYTES
    this.#now = opts.now ?? Date.now
  }

  /** Entries held right now, expired ones not yet met included. */
  get size (): number { return this.#entries.size }

  async get (id: string): Promise<StoredResponse | undefined> {
    const entry = this.#entries.get(id)
    if (entry === undefined) return undefined
    this.#remove(id, entry)
    if (entry.expiresAt <= this.#now()) return undefined
    // Re-inserted: a Map iterates in insertion order, so the front is the least recently used.
    this.#entries.set(id, entry)
    this.#bytes += entry.json.length
    return parseStored(entry.json)
  }

  async put (id: string, serialised: string): Promise<void> {
    const old = this.#entries.get(id)
    if (old !== undefined) this.#remove(id, old)
    this.#entries.set(id, { json: flat(serialised), expiresAt: this.#now() + this.#ttlMs })
    this.#bytes += serialised.length
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break
      if (oldest === id) continue
      this.#remove(oldest, entry)
    }
  }

  async delete (id: string): Promise<boolean> {
    const entry = this.#entries.get(id)
    if (entry === undefined) return false
    this.#remove(id, entry)
    return entry.expiresAt > this.#now()
  }

  #remove (id: string, entry: Entry): void {
    this.#entries.delete(id)
    this.#bytes -= entry.json.length
  }
}
