// The shared response store (SPEC.md `redis`, `responses`): one JSON string per response under
// `switchyard:response:<id>`, written with `EX ttlSeconds`, so any instance of a fleet continues
// a conversation another instance started. Redis evicts by its own policy; `maxEntries` is the
// memory store's only.
//
// The client is the app's shared ioredis client (src/redis/client.ts): no offline queue and a
// short command timeout, so while Redis is down every call here rejects at once (or after the
// timeout) and is rethrown as ResponseStoreUnavailable — a 503 for stateful requests; stateless
// traffic never waits on Redis.
import type { Redis } from 'ioredis'
import { storeUnavailable } from './errors.js'
import { parseStored } from './snapshot-codec.js'
import type { ResponseStore, StoredResponse } from './types.js'

export const KEY_PREFIX = 'switchyard:response:'

export class RedisResponseStore implements ResponseStore {
  readonly #redis: Redis
  readonly #ttlSeconds: number

  constructor (redis: Redis, ttlSeconds: number) {
    this.#redis = redis
    this.#ttlSeconds = ttlSeconds
  }

  async get (id: string): Promise<StoredResponse | undefined> {
    const json = await this.#redis.get(KEY_PREFIX + id).catch((err: unknown) => { throw storeUnavailable(err) })
    return json === null ? undefined : parseStored(json)
  }

  async put (id: string, serialised: string): Promise<void> {
    await this.#redis.set(KEY_PREFIX + id, serialised, 'EX', this.#ttlSeconds).catch((err: unknown) => { throw storeUnavailable(err) })
  }

  async delete (id: string): Promise<boolean> {
    const removed = await this.#redis.del(KEY_PREFIX + id).catch((err: unknown) => { throw storeUnavailable(err) })
    return removed > 0
  }
}
