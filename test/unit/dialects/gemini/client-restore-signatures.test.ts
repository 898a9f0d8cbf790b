// Gemini passthrough with Switchyard envelopes in `thoughtSignature` (PROTOCOLS.md §6.9, §7.12):
// a Gemini signature sealed earlier is unwrapped, foreign or unsigned envelopes are removed (and
// the empty carrier parts with them), native signatures and envelope-free bodies are untouched.
import t from 'tap'
import { sealEnvelope } from '../../../../src/canonical/signature.js'
import { restoreSignatures } from '../../../../src/dialects/gemini/client-restore-signatures.js'

const user = { role: 'user', parts: [{ text: 'hi' }] }
const anthropic = sealEnvelope({ family: 'anthropic', value: 'EqQB' }, 'thought')

t.test('an envelope holding a Gemini signature is unwrapped to it', async t => {
  const sealed = sealEnvelope({ family: 'gemini', value: 'CiQBnative' }, 'thought')
  const body = { contents: [user, { role: 'model', parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: sealed }] }], generationConfig: {} }
  t.strictSame(restoreSignatures(body), {
    contents: [user, { role: 'model', parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'CiQBnative' }] }], generationConfig: {},
  })
})

t.test('foreign and unsigned envelopes are removed; emptied carrier parts and contents go too', async t => {
  const body = {
    contents: [
      user,
      { role: 'model', parts: [{ text: 'Think', thought: true }, { text: '', thought: true, thoughtSignature: anthropic }] },
      { role: 'model', parts: [{ text: 'Answer', thought_signature: sealEnvelope(undefined, 'x') }] },
      { role: 'model', parts: [{ text: '', thoughtSignature: anthropic }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: anthropic }] },
    ],
  }
  t.strictSame(restoreSignatures(body), {
    contents: [
      user,
      { role: 'model', parts: [{ text: 'Think', thought: true }] },
      { role: 'model', parts: [{ text: 'Answer' }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
    ],
  })
})

t.test("countTokens' generateContentRequest is restored too", async t => {
  const body = { generateContentRequest: { model: 'models/g', contents: [user, { role: 'model', parts: [{ text: 'A', thoughtSignature: anthropic }] }] } }
  t.strictSame(restoreSignatures(body), { generateContentRequest: { model: 'models/g', contents: [user, { role: 'model', parts: [{ text: 'A' }] }] } })
})

t.test('native signatures and envelope-free bodies are untouched', async t => {
  const native = { contents: [user, { role: 'model', parts: [{ text: 'A', thoughtSignature: 'CiQBnative' }] }] }
  t.equal(restoreSignatures(native), undefined, 'nothing to change')
  t.equal(restoreSignatures({ contents: [user] }), undefined)
  t.equal(restoreSignatures({ generateContentRequest: { contents: [user] } }), undefined)
  t.equal(restoreSignatures({ contents: 'x' }), undefined)
  t.equal(restoreSignatures('not an object'), undefined)
})
