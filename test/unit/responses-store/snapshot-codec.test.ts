// Snapshot (de)serialisation: a round trip keeps everything, a response already serialised is
// spliced in byte for byte, oversized snapshots are refused with their size and leave a mark
// that reads back, and anything that is not a version-1 snapshot or mark reads as absent.
import t from 'tap'
import { parseStored, serialiseOversize, serialiseSnapshot } from '../../../src/responses-store/snapshot-codec.js'
import type { ResponseSnapshot } from '../../../src/responses-store/types.js'

const SNAPSHOT: ResponseSnapshot = {
  id: 'resp_1', owner: 'team-a', model: 'm', createdAt: 1700000000,
  instructions: [{ type: 'text', text: 'Be brief.' }],
  carriedSystem: [{ type: 'text', text: 'dev' }],
  messages: [
    { role: 'user', parts: [{ type: 'text', text: 'q' }] },
    { role: 'assistant', parts: [{ type: 'reasoning', text: 'think', signature: { family: 'anthropic', value: 'SIG' } }, { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' }] },
  ],
  items: { rs_1_0: [1, 0], fc_1_1: [1, 1] },
  response: { id: 'resp_1', object: 'response', output: [] },
}

t.test('round trip', async t => {
  const s = serialiseSnapshot(SNAPSHOT)
  t.ok(s.ok)
  if (s.ok) t.strictSame(parseStored(s.json), SNAPSHOT, 'reasoning signatures, items and the response object survive')
})

t.test('a response already serialised (the terminal event\'s) gives the same bytes, and counts toward the bound', async t => {
  const plain = serialiseSnapshot(SNAPSHOT)
  const spliced = serialiseSnapshot(SNAPSHOT, undefined, JSON.stringify(SNAPSHOT.response))
  t.ok(plain.ok && spliced.ok)
  if (plain.ok && spliced.ok) t.equal(spliced.json, plain.json)
  const bigResponse = JSON.stringify({ id: 'resp_1', instructions: 'é'.repeat(600) })
  const refused = serialiseSnapshot({ ...SNAPSHOT, response: JSON.parse(bigResponse) }, 1000, bigResponse)
  t.notOk(refused.ok)
})

t.test('over the size bound: refused with its size in bytes (UTF-8)', async t => {
  const big = { ...SNAPSHOT, messages: [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'é'.repeat(600) }] }] }
  const s = serialiseSnapshot(big, 1000)
  t.notOk(s.ok)
  if (!s.ok) t.ok(s.bytes > 1200, 'multi-byte text counted in bytes')
  t.ok(serialiseSnapshot(big, 2000).ok)
})

t.test('an oversize mark reads back as one, never as a snapshot', async t => {
  const mark = { id: 'resp_1', owner: null, oversize: { bytes: 5_000_000, limit: 4_194_304 } }
  const json = serialiseOversize(mark)
  t.strictSame(parseStored(json), mark)
  t.ok(json.length < 120, 'a few bytes in place of the conversation')
  t.strictSame(parseStored(serialiseOversize({ ...mark, owner: 'team-a' })), { ...mark, owner: 'team-a' })
})

t.test('not a snapshot: absent', async t => {
  const mark = JSON.parse(serialiseOversize({ id: 'resp_1', owner: null, oversize: { bytes: 2, limit: 1 } })) as Record<string, unknown>
  const badMarks = [{ ...mark, oversize: { bytes: '2', limit: 1 } }, { ...mark, oversize: { bytes: 2 } }, { ...mark, oversize: 2 }, { ...mark, owner: 7 }, { ...mark, id: 1 }, { ...mark, v: 2 }]
  for (const json of ['', 'null', '[]', '{"v":2}', '{"v":1,"id":"x"}', 'not json', JSON.stringify({ v: 1, ...SNAPSHOT, items: [] }), ...badMarks.map(m => JSON.stringify(m))]) {
    t.equal(parseStored(json), undefined, json.slice(0, 30))
  }
})
