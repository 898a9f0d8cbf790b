// The in-process response store: TTL from creation on an injected clock, LRU eviction at
// maxEntries and at the byte budget, delete, and what it refuses to return.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import { MemoryResponseStore } from '../../../src/responses-store/memory-store.js'
import { serialiseSnapshot } from '../../../src/responses-store/snapshot-codec.js'
import type { ResponseSnapshot } from '../../../src/responses-store/types.js'

function snapshot (id: string, text = 'hi'): ResponseSnapshot {
  return {
    id, owner: null, model: 'm', createdAt: 1, instructions: [], carriedSystem: [],
    messages: [{ role: 'user', parts: [{ type: 'text', text }] }], items: {}, response: { id, object: 'response' },
  }
}

function json (id: string, text?: string): string {
  const s = serialiseSnapshot(snapshot(id, text))
  if (!s.ok) throw new Error('too large')
  return s.json
}

t.test('a snapshot lives ttlSeconds from its creation; reading it does not extend that', async t => {
  let now = 1_000_000
  const store = new MemoryResponseStore({ ttlSeconds: 10, maxEntries: 10, now: () => now })
  await store.put('resp_a', json('resp_a'))
  now += 9_999
  t.strictSame(await store.get('resp_a'), snapshot('resp_a'), 'alive just before the TTL')
  now += 1
  t.equal(await store.get('resp_a'), undefined, 'gone at the TTL')
  t.equal(store.size, 0, 'an expired entry met is dropped')
  t.equal(await store.delete('resp_a'), false)
})

t.test('least recently used entries are evicted beyond maxEntries', async t => {
  const store = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 2 })
  await store.put('resp_a', json('resp_a'))
  await store.put('resp_b', json('resp_b'))
  await store.get('resp_a')
  await store.put('resp_c', json('resp_c'))
  t.equal(store.size, 2)
  t.equal(await store.get('resp_b'), undefined, 'b was least recently used')
  t.ok(await store.get('resp_a'))
  t.ok(await store.get('resp_c'))
  await store.put('resp_c', json('resp_c', 'again'))
  t.equal(store.size, 2, 'a put under an existing id replaces it')
  t.match(await store.get('resp_c'), { messages: [{ parts: [{ text: 'again' }] }] })
})

t.test('the byte budget evicts too, never the entry just written', async t => {
  const one = json('resp_a', 'x'.repeat(1000)).length
  const store = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 100, maxTotalBytes: one * 2 + 10 })
  await store.put('resp_a', json('resp_a', 'x'.repeat(1000)))
  await store.put('resp_b', json('resp_b', 'x'.repeat(1000)))
  await store.put('resp_c', json('resp_c', 'x'.repeat(1000)))
  t.equal(await store.get('resp_a'), undefined, 'the oldest made room')
  t.ok(await store.get('resp_b'))
  t.ok(await store.get('resp_c'))
  const tiny = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 100, maxTotalBytes: 10 })
  await tiny.put('resp_big', json('resp_big'))
  t.ok(await tiny.get('resp_big'), 'one entry over the budget alone is kept (the codec bounds a single snapshot)')
})

t.test('delete; values are copies; foreign values are absent', async t => {
  const store = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 10 })
  await store.put('resp_a', json('resp_a'))
  const got = await store.get('resp_a') as unknown as { messages: unknown[] }
  got.messages.length = 0
  t.equal(((await store.get('resp_a')) as ResponseSnapshot).messages.length, 1, 'a reader cannot change what the next one reads')
  t.equal(await store.delete('resp_a'), true)
  t.equal(await store.delete('resp_a'), false)
  t.equal(await store.get('resp_a'), undefined)
  await store.put('resp_x', '{"v":99}')
  t.equal(await store.get('resp_x'), undefined, 'another version is not read')
})

t.test('a snapshot built from many pieces is held as one string: heap close to its characters', async t => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const store = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 2000 })
  // As a stream's terminal event is built (response-json.ts), spliced in (snapshot-codec.ts).
  const pieced = (i: number): string => {
    let response = '{"id":"resp_' + String(i) + '","output":['
    for (let k = 0; k < 200; k++) response += (k === 0 ? '' : ',') + '{"n":' + String(k) + '}'
    const serialised = serialiseSnapshot(snapshot(`resp_${i}`), undefined, response + ']}')
    if (!serialised.ok) throw new Error('too large')
    return serialised.json
  }
  gc()
  const before = process.memoryUsage().heapUsed
  let chars = 0
  for (let i = 0; i < 2000; i++) {
    const serialised = pieced(i)
    chars += serialised.length
    await store.put(`resp_${i}`, serialised)
  }
  gc()
  const grown = process.memoryUsage().heapUsed - before
  t.equal(store.size, 2000)
  t.match(await store.get('resp_1999'), { response: { id: 'resp_1999', output: { length: 200 } } })
  // Kept as concatenated, each ~8-character piece costs a 32-byte join and its own string (6.4x measured).
  t.ok(grown < 2 * chars, `${(chars / 1048576).toFixed(1)} MiB of snapshots hold ${(grown / 1048576).toFixed(1)} MiB of heap`)
})
