// Anthropic `cache_control` ⇄ canonical CacheControl (PROTOCOLS.md §6.10, §7.25). Only `type`
// and `ttl` travel; the prompt-caching-scope beta's `scope` is accepted and dropped.
import type { CacheControl } from '../../canonical/request.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectObject, expectOneOf, fieldPath, isAbsent, optionalString } from '../shared/json.js'
import { IGNORED_FIELDS } from './ignored-fields.js'
import type { CacheControlWire } from './wire-request.js'

/** One pattern for every `cache_control` object, wherever it sits. */
const KEYS: KeyRules = { known: new Set(['type', 'ttl']), ignored: IGNORED_FIELDS, pattern: '*.cache_control' }
const TYPES = ['ephemeral'] as const

export function decodeCacheControl (value: unknown, path: string): CacheControl | undefined {
  if (isAbsent(value)) return undefined
  const obj = expectObject(value, path)
  checkKeys(obj, path, KEYS)
  const type = expectOneOf(obj.type, fieldPath(path, 'type'), TYPES)
  const ttl = optionalString(obj.ttl, fieldPath(path, 'ttl'))
  return ttl === undefined ? { type } : { type, ttl }
}

/** `part` with `cacheControl` set when there is one (absent stays absent). */
export function withCache<T extends object> (part: T, cc: CacheControl | undefined): T {
  return cc === undefined ? part : { ...part, cacheControl: cc }
}

/** `block` with the wire `cache_control` set when the canonical part has one. */
export function withWireCache<T extends object> (block: T, cc: CacheControl | undefined): T {
  if (cc === undefined) return block
  const wire: CacheControlWire = cc.ttl === undefined ? { type: cc.type } : { type: cc.type, ttl: cc.ttl }
  return { ...block, cache_control: wire }
}
