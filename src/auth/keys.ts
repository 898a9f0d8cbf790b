// Client key lookup in constant time (STYLE.md §2.8). Every configured key is hashed once at
// boot; a presented key is hashed once per request and compared with `timingSafeEqual` against
// EVERY configured digest, with no early exit, so the time taken says neither which key nor
// how much of a prefix matched. Hashing first makes all compared values the same length, which
// `timingSafeEqual` requires, without revealing the configured keys' lengths.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { ClientKeyConfig } from '../config/schema.js'

interface KeyEntry {
  readonly digest: Buffer
  readonly key: ClientKeyConfig
}

export interface KeyIndex {
  readonly entries: readonly KeyEntry[]
}

const digestOf = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

export function createKeyIndex (keys: readonly ClientKeyConfig[]): KeyIndex {
  return { entries: keys.map(key => ({ digest: digestOf(key.key), key })) }
}

/** The configured key whose value equals `presented`, or null. */
export function findKey (index: KeyIndex, presented: string): ClientKeyConfig | null {
  const digest = digestOf(presented)
  let found: ClientKeyConfig | null = null
  for (const entry of index.entries) {
    // Config checks reject duplicate keys, so at most one entry can match.
    if (timingSafeEqual(digest, entry.digest)) found = entry.key
  }
  return found
}

/** The key matching any of the presented credentials, or null. */
export function authenticate (index: KeyIndex, presented: readonly string[]): ClientKeyConfig | null {
  for (const value of presented) {
    const key = findKey(index, value)
    if (key !== null) return key
  }
  return null
}
