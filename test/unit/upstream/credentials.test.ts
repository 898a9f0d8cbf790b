// Credential header sets: one per key, built at boot, in each protocol's own header.
import t from 'tap'
import { createBackend } from '../../../src/upstream/backend.js'
import { credentialSets } from '../../../src/upstream/credentials.js'

t.test('one set per key, in key order, configured headers in each', async t => {
  const sets = credentialSets('openai-chat', ['k-one', 'k-two'], { 'OpenAI-Organization': 'org' })
  t.same(sets, [
    { 'openai-organization': 'org', authorization: 'Bearer k-one' },
    { 'openai-organization': 'org', authorization: 'Bearer k-two' },
  ])
})

t.test('each protocol its own header; a credential wins over a configured header of the same name', async t => {
  t.same(credentialSets('anthropic', 'ka', { 'X-Api-Key': 'configured' }), [{ 'x-api-key': 'ka' }])
  t.same(credentialSets('gemini', ['kg'], undefined), [{ 'x-goog-api-key': 'kg' }])
  t.same(credentialSets('openai-chat', undefined, { 'x-extra': '1' }), [{ 'x-extra': '1' }], 'keyless: headers only')
})

t.test('a backend rotates over its keys', async t => {
  const b = createBackend({ name: 'b', protocol: 'openai-chat', url: 'http://127.0.0.1:9/v1', apiKey: ['k1', 'k2'], retries: 2, fallback: ['c'] })
  t.teardown(() => b.pool?.close())
  t.equal(b.keys.size, 2)
  t.same([b.keys.pick(), b.keys.pick(), b.keys.pick()].map(i => b.credentials[i]?.authorization), ['Bearer k1', 'Bearer k2', 'Bearer k1'])
  t.equal(b.retries, 2)
  t.same(b.fallback, ['c'])
  const plain = createBackend({ name: 'p', protocol: 'mock' })
  t.equal(plain.retries, 0, 'no retries unless configured')
  t.same(plain.fallback, [])
})
