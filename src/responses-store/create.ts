// The response store a config asks for (SPEC.md `redis`, `responses`): Redis, shared by the
// fleet, when `redis` is configured; else the in-process LRU.
import type { Redis } from 'ioredis'
import type { Config } from '../config/schema.js'
import { MemoryResponseStore } from './memory-store.js'
import { RedisResponseStore } from './redis-store.js'
import type { ResponseStore } from './types.js'

export function createResponseStore (settings: Config['responses'], redis: Redis | undefined): ResponseStore {
  if (redis !== undefined) return new RedisResponseStore(redis, settings.ttlSeconds)
  return new MemoryResponseStore({ ttlSeconds: settings.ttlSeconds, maxEntries: settings.maxEntries })
}
