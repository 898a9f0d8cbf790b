import t from 'tap'
import { dialect } from '../../../../src/dialects/anthropic/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'

const client: ClientSide = dialect.client
const { matchOperation } = client
const modelOf = client.modelOf.bind(client)

t.test('messages and count_tokens, POST only', async t => {
  t.strictSame(matchOperation('POST', '/v1/messages'), { dialect: 'anthropic', operation: 'messages' })
  t.strictSame(matchOperation('POST', '/v1/messages/count_tokens'), { dialect: 'anthropic', operation: 'count-tokens' })
  t.equal(matchOperation('GET', '/v1/messages'), undefined)
  t.equal(matchOperation('POST', '/v1/chat/completions'), undefined)
  t.equal(matchOperation('POST', '/v1/messages/batches'), undefined)
})

t.test('modelOf reads body.model', async t => {
  const op = { dialect: 'anthropic', operation: 'messages' } as const
  t.equal(modelOf({ model: 'claude' }, op), 'claude')
  t.equal(modelOf({ model: 3 }, op), undefined)
  t.equal(modelOf(null, op), undefined)
})
