// Responses passthrough with Switchyard envelopes in reasoning items (§6.9, §9): an OpenAI proof
// sealed earlier is restored verbatim, foreign or unsigned envelopes are dropped, native items and
// bodies without envelopes are left alone.
import t from 'tap'
import { sealEnvelope } from '../../../../src/canonical/signature.js'
import { restoreSignatures } from '../../../../src/dialects/openai-responses/restore-signatures.js'

const user = { role: 'user', content: 'hi' }
const answer = { role: 'assistant', content: 'ok' }
const summary = [{ type: 'summary_text', text: 'thought' }]

t.test('an envelope holding an OpenAI proof is unwrapped to it', async t => {
  const sealed = sealEnvelope({ family: 'openai', value: 'gAAAA-native' }, 'thought')
  const body = { model: 'm', input: [user, { type: 'reasoning', summary, encrypted_content: sealed }, answer] }
  t.same(restoreSignatures(body), { model: 'm', input: [user, { type: 'reasoning', summary, encrypted_content: 'gAAAA-native' }, answer] })
})

t.test('envelopes of another family, or with no proof, are dropped', async t => {
  const anthropic = sealEnvelope({ family: 'anthropic', value: 'EqQB' }, 'thought')
  const unsigned = sealEnvelope(undefined, 'thought')
  const body = { model: 'm', input: [user, { type: 'reasoning', summary, encrypted_content: anthropic }, { type: 'reasoning', summary, encrypted_content: unsigned }, answer] }
  t.same(restoreSignatures(body), { model: 'm', input: [user, answer] })
})

t.test('native items and envelope-free bodies are untouched', async t => {
  const native = { model: 'm', input: [user, { type: 'reasoning', summary, encrypted_content: 'gAAAA-native' }, answer] }
  t.equal(restoreSignatures(native), undefined, 'nothing to change')
  t.equal(restoreSignatures({ model: 'm', input: 'hi' }), undefined, 'string input')
  t.equal(restoreSignatures('not an object'), undefined)
})
