// The Redis response store against a real redis-server: JSON under switchyard:response:<id>
// with EX ttl, an oversize mark in a snapshot's place, delete, and ResponseStoreUnavailable (503) at once when Redis is stopped and
// within the command timeout when it hangs.
import t from 'tap'
import { createRedis, whenReady } from '../../../src/redis/client.js'
import { RedisResponseStore } from '../../../src/responses-store/redis-store.js'
import { serialiseOversize, serialiseSnapshot } from '../../../src/responses-store/snapshot-codec.js'
import type { ResponseSnapshot } from '../../../src/responses-store/types.js'
import { startRedis } from '../../helpers/redis.js'

const SNAPSHOT: ResponseSnapshot = {
  id: 'resp_r', owner: null, model: 'm', createdAt: 1, instructions: [], carriedSystem: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }], items: {}, response: { id: 'resp_r' },
}
const unavailable = { code: 'SWY_ERR_RESPONSES_STORE_UNAVAILABLE', statusCode: 503 }

t.test('round trip, TTL, delete, outages', async t => {
  const server = await startRedis(t)
  const redis = createRedis(server.url)
  t.teardown(() => redis.disconnect())
  t.ok(await whenReady(redis, 5000))
  const store = new RedisResponseStore(redis, 30)
  const s = serialiseSnapshot(SNAPSHOT)
  if (!s.ok) throw new Error('too large')
  await store.put('resp_r', s.json)
  t.strictSame(await store.get('resp_r'), SNAPSHOT)
  const ttl = await redis.ttl('switchyard:response:resp_r')
  t.ok(ttl > 0 && ttl <= 30, 'EX ttlSeconds')
  t.equal(await store.get('resp_none'), undefined)
  await redis.set('switchyard:response:resp_bad', 'garbage')
  t.equal(await store.get('resp_bad'), undefined, 'a value that is not a snapshot reads as absent')
  const mark = { id: 'resp_big', owner: 'team-a', oversize: { bytes: 5_000_000, limit: 4_194_304 } }
  await store.put('resp_big', serialiseOversize(mark))
  t.strictSame(await store.get('resp_big'), mark, 'an oversize mark reads back as one')
  t.equal(await store.delete('resp_r'), true)
  t.equal(await store.delete('resp_r'), false)

  server.pause()
  const started = performance.now()
  await t.rejects(store.get('resp_r'), unavailable, 'a hung Redis: 503 after the command timeout')
  t.ok(performance.now() - started < 1000, 'promptly')
  server.resume()
  await server.stop()
  await t.rejects(store.get('resp_r'), unavailable, 'a stopped Redis: 503')
  await t.rejects(store.put('resp_r', s.json), unavailable)
  await t.rejects(store.delete('resp_r'), unavailable)
})
