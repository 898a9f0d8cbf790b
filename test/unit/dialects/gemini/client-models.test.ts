// Replies Switchyard writes itself for Gemini clients: the model list at GET /v1beta/models and
// countTokens' {totalTokens} (PROTOCOLS.md §4.1).
import t from 'tap'
import { encodeCountTokens, encodeModelList } from '../../../../src/dialects/gemini/client-models.js'
import { matchOperation } from '../../../../src/dialects/gemini/routes.js'

t.test('model list: Gemini shape, one entry per declared model', async t => {
  const methods = ['generateContent', 'streamGenerateContent', 'countTokens']
  t.strictSame(encodeModelList([{ id: 'gemini-2.5-flash', backend: 'a' }, { id: 'claude-x', backend: 'b' }]), {
    models: [
      { name: 'models/gemini-2.5-flash', baseModelId: 'gemini-2.5-flash', displayName: 'gemini-2.5-flash', supportedGenerationMethods: methods },
      { name: 'models/claude-x', baseModelId: 'claude-x', displayName: 'claude-x', supportedGenerationMethods: methods },
    ],
  })
  t.strictSame(encodeModelList([]), { models: [] })
})

t.test('GET /v1beta/models is the Gemini list; /v1/models is not ours', async t => {
  t.strictSame(matchOperation('GET', '/v1beta/models'), { dialect: 'gemini', operation: 'models' })
  t.equal(matchOperation('GET', '/v1/models'), undefined)
  t.equal(matchOperation('POST', '/v1beta/models'), undefined)
  t.equal(matchOperation('GET', '/v1beta/models/g'), undefined)
})

t.test('countTokens reply', async t => {
  t.strictSame(encodeCountTokens(42), { totalTokens: 42 })
})
