// The accumulator is replay.ts inverted: replaying a response and folding the events back must
// give the same response, block for block; an error or a truncated stream gives none.
import t from 'tap'
import { ResponseAccumulator } from '../../../src/canonical/accumulate.js'
import { responseEvents } from '../../../src/canonical/replay.js'
import type { CanonicalResponse } from '../../../src/canonical/response.js'

const full: CanonicalResponse = {
  id: 'r1',
  model: 'm',
  created: 1700000000,
  content: [
    { type: 'reasoning', text: 'think', signature: { family: 'anthropic', value: 'sig' } },
    { type: 'reasoning', text: '', signature: { family: 'anthropic', value: 'data' }, redacted: true },
    { type: 'text', text: 'Hello 你好' },
    { type: 'refusal', text: 'no' },
    { type: 'tool-call', id: 'call_1', name: 'get', arguments: '{"a":1}' },
    { type: 'tool-call', id: 'call_2', name: 'apply_patch', arguments: 'raw', toolKind: 'custom', namespace: 'ns' },
    { type: 'tool-call', id: 'call_3', name: 'g', arguments: '', signature: { family: 'gemini', value: 'ts' } },
  ],
  finish: { reason: 'tool-calls', raw: 'tool_use' },
  usage: { input: 10, output: 5, reasoning: 2 },
}

function fold (res: CanonicalResponse, cut?: number): ResponseAccumulator {
  const acc = new ResponseAccumulator()
  const events = responseEvents(res)
  for (const e of cut === undefined ? events : events.slice(0, cut)) acc.push(e)
  return acc
}

t.test('replay then accumulate is the identity', async t => {
  t.same(fold(full).result(), full)
  const bare: CanonicalResponse = { id: 'r2', model: 'm', created: 1, content: [], finish: { reason: 'stop' } }
  t.same(fold(bare).result(), bare, 'no blocks, no usage')
})

t.test('a stream without message-end has no result', async t => {
  t.equal(fold(full, -1).result(), undefined)
})

t.test('an error event is kept and there is no result', async t => {
  const acc = new ResponseAccumulator()
  acc.push({ type: 'message-start', id: 'r', model: 'm', created: 1 })
  acc.push({ type: 'ping' })
  acc.push({ type: 'error', error: { kind: 'overloaded', status: 529, message: 'busy' } })
  t.same(acc.error, { kind: 'overloaded', status: 529, message: 'busy' })
  t.equal(acc.result(), undefined)
})
