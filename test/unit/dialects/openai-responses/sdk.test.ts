// The strongest check: openai-node's ResponseStream accumulates our events over real HTTP and
// runs its index/type checks (PROTOCOLS.md §5.3); finalResponse() is the terminal snapshot.
import OpenAI from 'openai'
import t from 'tap'
import { dialect } from '../../../../src/dialects/openai-responses/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'
import { encodeAll, ERROR, REASONING, rejection, REQUEST, TEXT, TEXT_RESPONSE, TOOL, TOOL_RESPONSE, TWO_TOOLS } from '../scenarios.js'
import { startServer, type Reply, type Teardown } from '../sse-server.js'

const client: ClientSide = dialect.client
const OP = { dialect: 'openai-responses', operation: 'responses' } as const
const streamOf = (events: Parameters<typeof encodeAll>[1]): Reply => ({ frames: encodeAll(client.createStreamEncoder(REQUEST), events) })
const params = { model: 'm1', instructions: 'Be brief.', input: 'hi' }

async function sdk (t: Teardown, reply: Reply) {
  const server = await startServer(t, () => reply)
  return { server, openai: new OpenAI({ baseURL: server.url + '/v1', apiKey: 'x', maxRetries: 0 }) }
}

t.test('stream (a): finalResponse text and usage; the SDK request decodes', async t => {
  const { server, openai } = await sdk(t, streamOf(TEXT))
  const stream = openai.responses.stream(params)
  let deltas = ''
  stream.on('response.output_text.delta', e => { deltas += e.delta })
  const response = await stream.finalResponse()
  t.equal(deltas, 'Hello')
  t.equal(response.id, 'resp_mock-abc')
  t.equal(response.status, 'completed')
  t.equal(response.output_text, 'Hello')
  t.match(response.usage, { input_tokens: 10, output_tokens: 2, total_tokens: 12 })
  t.equal(server.requests[0]?.url, '/v1/responses')
  t.strictSame(client.decodeRequest(server.requests[0]?.body, OP), {
    model: 'm1', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: true,
  })
})

t.test('stream (b): function call item with full arguments', async t => {
  const { openai } = await sdk(t, streamOf(TOOL))
  const response = await openai.responses.stream(params).finalResponse()
  t.match(response.output, [
    { type: 'message', id: 'msg_mock-abc_0', content: [{ type: 'output_text', text: 'Checking.' }] },
    { type: 'function_call', id: 'fc_mock-abc_1', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
  ])
  t.match(response.usage, { input_tokens_details: { cached_tokens: 4 } })
})

t.test('stream (c): two calls in order', async t => {
  const { openai } = await sdk(t, streamOf(TWO_TOOLS))
  const response = await openai.responses.stream(params).finalResponse()
  t.match(response.output, [{ call_id: 'call_a', arguments: '{"city":"Paris"}' }, { call_id: 'call_b', name: 'get_time', arguments: '' }])
})

t.test('stream (d): reasoning summary then text; incomplete', async t => {
  const { openai } = await sdk(t, streamOf(REASONING))
  const response = await openai.responses.stream(params).finalResponse()
  t.match(response.output, [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking' }] }, { type: 'message' }])
  t.equal(response.output_text, 'Answer')
  t.equal(response.status, 'incomplete')
  t.match(response.incomplete_details, { reason: 'max_output_tokens' })
  t.match(response.usage, { output_tokens_details: { reasoning_tokens: 3 } })
})

t.test('stream (e): the SDK throws an APIError', async t => {
  const { openai } = await sdk(t, streamOf(ERROR))
  const err = await rejection(openai.responses.stream(params).finalResponse())
  t.ok(err instanceof OpenAI.APIError)
  t.match(err, { error: { message: 'Overloaded', code: 'server_overloaded' } })
})

t.test('non-streaming: the SDK reads encodeResponse (output_text helper included)', async t => {
  const { openai } = await sdk(t, { json: client.encodeResponse(TOOL_RESPONSE, REQUEST) })
  const response = await openai.responses.create({ model: 'm1', input: 'hi' })
  t.equal(response.output_text, 'Checking.')
  t.match(response.output, [{ type: 'reasoning' }, { type: 'message' }, { type: 'function_call', call_id: 'call_a' }])
  const { openai: o2 } = await sdk(t, { json: client.encodeResponse(TEXT_RESPONSE, REQUEST) })
  t.equal((await o2.responses.create({ model: 'm1', input: 'hi' })).output_text, 'Hello')
})
