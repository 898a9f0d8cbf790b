// STUB (issue 7, rate-limit helper): one ioredis client per process for shared state (rate-limit
// counters now, the Responses store later), and the readiness check that pings it.
import { Redis } from 'ioredis'

export function createRedis (url: string): Redis {
  return new Redis(url, { lazyConnect: true })
}
