// Signature envelopes (PROTOCOLS.md §6.9): a foreign signature is sealed for the client and
// restored exactly on the way back; a native one passes as itself; garbage restores nothing.
import fc from 'fast-check'
import t from 'tap'
import { openSignature, sealEnvelope, signatureFor } from '../../../src/canonical/signature.js'

t.test('native signatures pass through untouched', async t => {
  t.equal(signatureFor('anthropic', { family: 'anthropic', value: 'EqQB' }, 'text'), 'EqQB')
  t.strictSame(openSignature('EqQB', 'anthropic'), { envelope: false, signature: { family: 'anthropic', value: 'EqQB' } })
  t.strictSame(openSignature('', 'anthropic'), { envelope: false }, 'an empty signature is none')
})

t.test('foreign or missing signatures are sealed with their text', async t => {
  const sealed = signatureFor('anthropic', { family: 'openai', value: 'enc-123' }, 'the summary')
  t.match(sealed, /^swy1\./)
  t.strictSame(openSignature(sealed, 'anthropic'), { envelope: true, signature: { family: 'openai', value: 'enc-123' }, text: 'the summary' })
  t.strictSame(openSignature(signatureFor('openai', undefined, 'bare'), 'openai'), { envelope: true, text: 'bare' })
  t.strictSame(openSignature(sealEnvelope({ family: 'anthropic', value: 'd' }, '', true), 'openai'), { envelope: true, signature: { family: 'anthropic', value: 'd' }, redacted: true })
})

t.test('a forged or broken envelope restores no signature', async t => {
  t.strictSame(openSignature('swy1.!!!not-base64', 'anthropic'), { envelope: true })
  t.strictSame(openSignature('swy1.' + Buffer.from('{"f":"evil","v":1}').toString('base64url'), 'anthropic'), { envelope: true })
})

t.test('property: seal then open is the identity on family, value and text', async t => {
  const family = fc.constantFrom('anthropic' as const, 'openai' as const, 'gemini' as const)
  fc.assert(fc.property(family, family, fc.string(), fc.string({ minLength: 1 }), (own, other, text, value) => {
    fc.pre(own !== other)
    const opened = openSignature(signatureFor(own, { family: other, value }, text), own)
    return opened.signature?.family === other && opened.signature.value === value && (opened.text ?? '') === text
  }), { numRuns: 500 })
  t.pass('500 round trips')
})
