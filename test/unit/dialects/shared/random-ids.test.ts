// Pooled random ids: the right length and alphabet, never the same bytes twice, including across
// the pool's refill (a slice handed out must not be overwritten while the caller still encodes it).
import t from 'tap'
import { randomBase64url, randomHex } from '../../../../src/dialects/shared/random-ids.js'

t.test('hex and base64url ids have the length and alphabet their byte count gives', async t => {
  t.match(randomHex(12), /^[0-9a-f]{24}$/)
  t.match(randomBase64url(12), /^[A-Za-z0-9_-]{16}$/)
  t.match(randomBase64url(16), /^[A-Za-z0-9_-]{22}$/)
})

t.test('5000 ids across several pool refills are all distinct', async t => {
  // 5000 × 12 bytes is ~15 refills of the 4 KiB pool; 7 bytes also leave odd tails at each refill.
  const seen = new Set<string>()
  for (let i = 0; i < 5000; i++) seen.add(randomHex(12))
  for (let i = 0; i < 5000; i++) seen.add(randomHex(7))
  t.equal(seen.size, 10000)
})

t.test('more than the pool at once is refused, not wrapped', async t => {
  t.throws(() => randomHex(4097), RangeError)
  t.match(randomHex(4096), /^[0-9a-f]{8192}$/)
})
