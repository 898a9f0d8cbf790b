import t from 'tap'
import { dialect } from '../../../../src/dialects/openai-chat/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'

const client: ClientSide = dialect.client

t.test('chat completions and models', async t => {
  t.strictSame(client.matchOperation('POST', '/v1/chat/completions'), { dialect: 'openai-chat', operation: 'chat' })
  t.strictSame(client.matchOperation('GET', '/v1/models'), { dialect: 'openai-chat', operation: 'models' })
  t.equal(client.matchOperation('GET', '/v1/chat/completions'), undefined)
  t.equal(client.matchOperation('POST', '/v1/chat/completions/x'), undefined)
  t.equal(client.matchOperation('POST', '/v1/responses'), undefined)
})

t.test('modelOf reads body.model', async t => {
  const op = { dialect: 'openai-chat', operation: 'chat' } as const
  t.equal(client.modelOf({ model: 'gpt' }, op), 'gpt')
  t.equal(client.modelOf({}, op), undefined)
  t.equal(client.modelOf('x', op), undefined)
})
