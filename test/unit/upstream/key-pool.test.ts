// Key rotation: round robin over keys not cooling down; 429/401 cool a key (retry-after, else
// exponential and capped); when all cool, the soonest back serves. A fake clock, no waiting.
import t from 'tap'
import { KEY_COOLDOWN_BASE_MS, KEY_COOLDOWN_CAP_MS, KEY_RETRY_AFTER_CAP_MS, KeyPool } from '../../../src/upstream/key-pool.js'

function clock () {
  const c = { now: 1_000_000, read: () => c.now }
  return c
}

const picks = (pool: KeyPool, n: number): number[] => Array.from({ length: n }, () => pool.pick())

t.test('round robin over every key', async t => {
  const pool = new KeyPool(3, clock().read)
  t.same(picks(pool, 7), [0, 1, 2, 0, 1, 2, 0])
})

t.test('one key (or none): always 0, never cooled, no clock read', async t => {
  let reads = 0
  const pool = new KeyPool(1, () => { reads++; return 0 })
  pool.cool(0, 5000)
  t.same(picks(pool, 3), [0, 0, 0])
  t.equal(reads, 0)
  t.same(picks(new KeyPool(0), 2), [0, 0], 'a keyless backend has one credential set')
})

t.test('a cooled key is skipped until its cooldown ends', async t => {
  const c = clock()
  const pool = new KeyPool(2, c.read)
  t.equal(pool.pick(), 0)
  pool.cool(0, 2000)
  t.ok(pool.hasReadyOther(0))
  t.same(picks(pool, 3), [1, 1, 1], 'only the other key serves')
  c.now += 1999
  t.equal(pool.pick(), 1)
  c.now += 1
  t.same(picks(pool, 2), [0, 1], 'back in the rotation when the retry-after is over')
})

t.test('without retry-after: exponential per consecutive failure, capped; success resets', async t => {
  const c = clock()
  const pool = new KeyPool(2, c.read)
  const cooldowns: number[] = []
  for (let i = 0; i < 9; i++) {
    pool.cool(0)
    cooldowns.push(pool.coolingUntil(0) - c.now)
  }
  t.same(cooldowns.slice(0, 4), [1, 2, 4, 8].map(n => n * KEY_COOLDOWN_BASE_MS))
  t.equal(cooldowns.at(-1), KEY_COOLDOWN_CAP_MS)
  pool.succeeded(0)
  pool.cool(0)
  t.equal(pool.coolingUntil(0) - c.now, KEY_COOLDOWN_BASE_MS, 'a success starts the count again')
  pool.cool(1, 10 * 60_000)
  t.equal(pool.coolingUntil(1) - c.now, KEY_RETRY_AFTER_CAP_MS, 'an hour-long retry-after is capped')
})

t.test('every key cooling: the one back soonest serves', async t => {
  const c = clock()
  const pool = new KeyPool(3, c.read)
  pool.cool(0, 5000)
  pool.cool(1, 1000)
  pool.cool(2, 3000)
  t.notOk(pool.hasReadyOther(0))
  t.equal(pool.pick(), 1)
  t.equal(pool.pick(), 1, 'still the soonest')
  c.now += 1000
  t.equal(pool.pick(), 1, 'ready again')
})
