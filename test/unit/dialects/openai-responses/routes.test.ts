import t from 'tap'
import { dialect } from '../../../../src/dialects/openai-responses/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'

const client: ClientSide = dialect.client

t.test('create, get, delete', async t => {
  t.strictSame(client.matchOperation('POST', '/v1/responses'), { dialect: 'openai-responses', operation: 'responses' })
  t.strictSame(client.matchOperation('GET', '/v1/responses/resp_1'), { dialect: 'openai-responses', operation: 'responses-get' })
  t.strictSame(client.matchOperation('DELETE', '/v1/responses/resp_1'), { dialect: 'openai-responses', operation: 'responses-delete' })
  t.equal(client.matchOperation('GET', '/v1/responses'), undefined)
  t.equal(client.matchOperation('POST', '/v1/responses/resp_1'), undefined)
  t.equal(client.matchOperation('GET', '/v1/responses/'), undefined)
  t.equal(client.matchOperation('GET', '/v1/responses/resp_1/input_items'), undefined)
})

t.test('modelOf reads body.model', async t => {
  t.equal(client.modelOf({ model: 'gpt-5' }, { dialect: 'openai-responses', operation: 'responses' }), 'gpt-5')
  t.equal(client.modelOf(undefined, { dialect: 'openai-responses', operation: 'responses-get' }), undefined)
})
