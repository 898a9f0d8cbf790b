// item_reference resolution: item ids name their response; one snapshot resolves every item it
// recorded, so a whole replayed history costs one lookup; unknown ids stay unresolved.
import t from 'tap'
import { mintResponseId, responseIdOf } from '../../../src/responses-store/ids.js'
import { ItemRefs } from '../../../src/responses-store/item-refs.js'
import type { ResponseSnapshot } from '../../../src/responses-store/types.js'

const call = { type: 'tool-call' as const, id: 'call_1', name: 'f', arguments: '{}' }
const answer = { type: 'text' as const, text: 'Paris.' }

function snapshot (id: string, items: ResponseSnapshot['items']): ResponseSnapshot {
  return {
    id, owner: null, model: 'm', createdAt: 1, instructions: [], carriedSystem: [], items, response: {},
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }, { role: 'assistant', parts: [call] }, { role: 'assistant', parts: [answer] }],
  }
}

t.test('ids', async t => {
  t.match(mintResponseId(), /^resp_[0-9a-f]{24}$/)
  t.equal(responseIdOf('fc_abc_2'), 'resp_abc')
  t.equal(responseIdOf('msg_a_b_10'), 'resp_a_b', 'the last _ separates the output index')
  t.equal(responseIdOf('rs_x_0'), 'resp_x')
  t.equal(responseIdOf('ctc_x_0'), 'resp_x')
  for (const bad of ['msg_', 'msg__0', 'item_1_0', 'resp_1', 'x'.repeat(200)]) t.equal(responseIdOf(bad), undefined, bad.slice(0, 20))
})

t.test('one lookup resolves every item the newest snapshot recorded', async t => {
  const fetched: string[] = []
  const refs = new ItemRefs()
  // resp_new replayed fc_old_0 (recorded at its position) and produced msg_new_0.
  await refs.load(['fc_old_0', 'msg_new_0'], async id => {
    fetched.push(id)
    return id === 'resp_new' ? snapshot(id, { fc_old_0: [1, 0], msg_new_0: [2, 0] }) : undefined
  })
  t.strictSame(fetched, ['resp_new'], 'the last reference names the newest response: one fetch')
  t.equal(refs.lookup('fc_old_0'), call)
  t.equal(refs.lookup('msg_new_0'), answer)
  t.equal(refs.resolved.get(call), 'fc_old_0', 'resolved parts are remembered with their ids')
  t.equal(refs.lookup('msg_other_0'), undefined)
})

t.test('ids the first snapshot does not know are fetched from their own responses; user-side positions never resolve', async t => {
  const fetched: string[] = []
  const refs = new ItemRefs()
  await refs.load(['fc_a_0', 'msg_b_0', 'msg_b_1', 'msg_gone_0'], async id => {
    fetched.push(id)
    if (id === 'resp_a') return snapshot(id, { fc_a_0: [1, 0], msg_a_9: [0, 0] })
    if (id === 'resp_b') return snapshot(id, { msg_b_0: [2, 0] })
    return undefined
  })
  t.strictSame(fetched.sort(), ['resp_a', 'resp_b', 'resp_gone'])
  t.equal(refs.lookup('fc_a_0'), call)
  t.equal(refs.lookup('msg_b_0'), answer)
  t.equal(refs.lookup('msg_a_9'), undefined, 'a position in a user message is not an output item')
  t.equal(refs.lookup('msg_gone_0'), undefined)
})
