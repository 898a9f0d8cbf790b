// Expansion of a continued conversation: only the new suffix is appended whether or not the
// client resent its history, the stored form wins, and system text carries as OpenAI does.
import t from 'tap'
import type { CanonicalMessage } from '../../../src/canonical/request.js'
import { appendTurn, carrySystem } from '../../../src/responses-store/expand.js'

const text = (s: string) => ({ type: 'text' as const, text: s })
const user = (s: string): CanonicalMessage => ({ role: 'user', parts: [text(s)] })
const signed = { type: 'reasoning' as const, text: 'full thinking', signature: { family: 'anthropic' as const, value: 'SIG' } }
const call = { type: 'tool-call' as const, id: 'call_1', name: 'f', arguments: '{"a":1}' }
const result = (id: string): CanonicalMessage => ({ role: 'user', parts: [{ type: 'tool-result', toolCallId: id, content: [text('ok')] }] })
const STORED: CanonicalMessage[] = [user('q'), { role: 'assistant', parts: [signed, call] }]

t.test('only the new items: appended after the stored conversation', async t => {
  t.strictSame(appendTurn(STORED, [result('call_1')]), [...STORED, result('call_1')])
  t.strictSame(appendTurn(STORED, [user('next')]), [...STORED, user('next')])
})

t.test('the whole history resent (Codex): the stored form is kept and only the suffix added', async t => {
  // The client's reasoning is a summary without signature: reasoning never decides the overlap.
  const resent: CanonicalMessage[] = [user('q'), { role: 'assistant', parts: [{ type: 'reasoning', text: 'summary' }, call] }, result('call_1')]
  const out = appendTurn(STORED, resent)
  t.strictSame(out, [...STORED, result('call_1')])
  t.equal(out[1], STORED[1], 'the stored assistant message, signature included')
})

t.test('only the last output resent: it overlaps the stored tail and is not added twice', async t => {
  const resent: CanonicalMessage[] = [{ role: 'assistant', parts: [call] }, result('call_1')]
  t.strictSame(appendTurn(STORED, resent), [...STORED, result('call_1')])
})

t.test('a resent history ending mid-message: the rest of that message is the suffix', async t => {
  const stored: CanonicalMessage[] = [user('q'), { role: 'assistant', parts: [text('Looking.')] }]
  const resent: CanonicalMessage[] = [user('q'), { role: 'assistant', parts: [text('Looking.'), call] }, result('call_1')]
  t.strictSame(appendTurn(stored, resent), [...stored, { role: 'assistant', parts: [call] }, result('call_1')])
})

t.test('an input that does not start with the stored conversation is new in full', async t => {
  const edited: CanonicalMessage[] = [user('q (edited)'), result('call_1')]
  t.strictSame(appendTurn(STORED, edited), [...STORED, ...edited])
  t.strictSame(appendTurn(STORED, [user('q')]), [...STORED, user('q')], 'shorter than the stored history: new')
  t.strictSame(appendTurn([], [user('a')]), [user('a')])
})

t.test('system text: carried first, the fresh parts not already carried after', async t => {
  t.strictSame(carrySystem([text('dev 1')], [text('dev 1'), text('dev 2')]), [text('dev 1'), text('dev 2')])
  t.strictSame(carrySystem([], [text('a'), text('a')]), [text('a')])
})
