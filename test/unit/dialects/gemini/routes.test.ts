import t from 'tap'
import { dialect } from '../../../../src/dialects/gemini/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'

const client: ClientSide = dialect.client

t.test('generate, stream, count under v1beta and v1', async t => {
  for (const v of ['v1beta', 'v1']) {
    t.strictSame(client.matchOperation('POST', `/${v}/models/gemini-2.5-flash:generateContent`),
      { dialect: 'gemini', operation: 'generate', pathModel: 'gemini-2.5-flash' })
    t.strictSame(client.matchOperation('POST', `/${v}/models/gemini-2.5-flash:streamGenerateContent`),
      { dialect: 'gemini', operation: 'stream-generate', pathModel: 'gemini-2.5-flash', pathStream: true })
    t.strictSame(client.matchOperation('POST', `/${v}/models/gemini-2.5-flash:countTokens`),
      { dialect: 'gemini', operation: 'count-tokens', pathModel: 'gemini-2.5-flash' })
  }
})

t.test('anything else is not ours', async t => {
  t.equal(client.matchOperation('GET', '/v1beta/models/g:generateContent'), undefined)
  t.equal(client.matchOperation('POST', '/v1beta/models/g:embedContent'), undefined)
  t.equal(client.matchOperation('POST', '/v1beta/models/:generateContent'), undefined)
  t.equal(client.matchOperation('POST', '/v1beta/models/g'), undefined)
  t.equal(client.matchOperation('POST', '/v1beta/models/a/b:generateContent'), undefined)
  t.equal(client.matchOperation('POST', '/v1alpha/models/g:generateContent'), undefined)
  t.equal(client.matchOperation('POST', '/v1/chat/completions'), undefined)
})

t.test('modelOf is the path model', async t => {
  const op = client.matchOperation('POST', '/v1beta/models/g1:generateContent')!
  t.equal(client.modelOf({ model: 'other' }, op), 'g1')
})
