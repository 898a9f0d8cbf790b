// The strongest check: openai-node's ChatCompletionStream accumulates our bytes over real HTTP
// and runs its end-of-stream validation (PROTOCOLS.md §5.1, §5.2).
import OpenAI from 'openai'
import t from 'tap'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { dialect } from '../../../../src/dialects/openai-chat/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'
import { encodeAll, ERROR, REASONING, rejection, REQUEST, TEXT, TEXT_RESPONSE, TOOL, TOOL_RESPONSE, TWO_TOOLS } from '../scenarios.js'
import { startServer, type Reply, type Teardown } from '../sse-server.js'

const client: ClientSide = dialect.client
const OP = { dialect: 'openai-chat', operation: 'chat' } as const
const WITH_USAGE: CanonicalRequest = { ...REQUEST, includeUsage: true }
const streamOf = (events: Parameters<typeof encodeAll>[1], req = WITH_USAGE): Reply => ({ frames: encodeAll(client.createStreamEncoder(req), events) })
const params = {
  model: 'm1',
  messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'hi' }],
  stream_options: { include_usage: true },
}

async function sdk (t: Teardown, reply: Reply, maxRetries = 0) {
  const server = await startServer(t, () => reply)
  return { server, openai: new OpenAI({ baseURL: server.url + '/v1', apiKey: 'x', maxRetries }) }
}

t.test('stream (a): final text and usage; the SDK request decodes', async t => {
  const { server, openai } = await sdk(t, streamOf(TEXT))
  const completion = await openai.chat.completions.stream(params).finalChatCompletion()
  t.equal(completion.id, 'chatcmpl-mock-abc')
  t.equal(completion.choices[0]?.message.content, 'Hello')
  t.equal(completion.choices[0]?.finish_reason, 'stop')
  t.match(completion.usage, { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 })
  t.equal(server.requests[0]?.url, '/v1/chat/completions')
  t.strictSame(client.decodeRequest(server.requests[0]?.body, OP), {
    model: 'm1', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
    stream: true, includeUsage: true,
  })
})

t.test('stream (b): tool call arguments assembled; events fire', async t => {
  const { openai } = await sdk(t, streamOf(TOOL))
  const stream = openai.chat.completions.stream(params)
  const done: string[] = []
  stream.on('tool_calls.function.arguments.done', e => done.push(e.arguments))
  const completion = await stream.finalChatCompletion()
  const message = completion.choices[0]?.message
  t.equal(message?.content, 'Checking.')
  t.match(message?.tool_calls, [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }])
  t.equal(completion.choices[0]?.finish_reason, 'tool_calls')
  t.strictSame(done, ['{"city":"Paris"}'])
  t.match(completion.usage, { prompt_tokens_details: { cached_tokens: 4 } })
})

t.test('stream (c): two calls, dense array, both arguments.done complete', async t => {
  const { openai } = await sdk(t, streamOf(TWO_TOOLS, REQUEST))
  const stream = openai.chat.completions.stream(params)
  const done: string[] = []
  stream.on('tool_calls.function.arguments.done', e => done.push(e.name + ' ' + e.arguments))
  const completion = await stream.finalChatCompletion()
  // A call that streamed no arguments ends as "{}" — "" is not JSON (§7.7, conformance 9).
  t.match(completion.choices[0]?.message.tool_calls, [{ id: 'call_a' }, { id: 'call_b', function: { name: 'get_time', arguments: '{}' } }])
  t.strictSame(done, ['get_weather {"city":"Paris"}', 'get_time {}'])
  t.equal(completion.usage, undefined, 'no usage chunk when not asked for')
})

t.test('stream (d): reasoning dropped, counted; length', async t => {
  const { openai } = await sdk(t, streamOf(REASONING))
  const completion = await openai.chat.completions.stream(params).finalChatCompletion()
  t.equal(completion.choices[0]?.message.content, 'Answer')
  t.equal(completion.choices[0]?.finish_reason, 'length')
  t.match(completion.usage, { completion_tokens_details: { reasoning_tokens: 3 } })
})

t.test('stream (e): the SDK throws an APIError with our error object', async t => {
  const { openai } = await sdk(t, streamOf(ERROR))
  const err = await rejection(openai.chat.completions.stream(params).finalChatCompletion())
  t.ok(err instanceof OpenAI.APIError)
  t.match(err, { error: { message: 'Overloaded', type: 'server_error', code: 'server_overloaded' } })
})

t.test('create({stream:true}) iterates the same chunks', async t => {
  const { openai } = await sdk(t, streamOf(TEXT))
  let text = ''
  for await (const c of await openai.chat.completions.create({ ...params, stream: true })) text += c.choices[0]?.delta.content ?? ''
  t.equal(text, 'Hello')
})

t.test('non-streaming: the SDK reads encodeResponse', async t => {
  const { openai } = await sdk(t, { json: client.encodeResponse(TOOL_RESPONSE, REQUEST) })
  const completion = await openai.chat.completions.create({ model: 'm1', messages: params.messages })
  t.match(completion.choices[0]?.message.tool_calls, [{ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }])
  const { openai: o2 } = await sdk(t, { json: client.encodeResponse(TEXT_RESPONSE, REQUEST) })
  t.equal((await o2.chat.completions.create({ model: 'm1', messages: params.messages })).choices[0]?.message.content, 'Hello')
})

t.test('pre-stream errors: status, body, and no retry on a deterministic 400', async t => {
  const rendered = client.renderError({ kind: 'invalid_request', status: 400, message: 'messages: required', param: 'messages' })
  const { server, openai } = await sdk(t, { json: rendered.body, status: rendered.status, headers: rendered.headers }, 2)
  const err = await rejection(openai.chat.completions.create({ model: 'm1', messages: params.messages }))
  t.ok(err instanceof OpenAI.BadRequestError)
  t.match(err, { status: 400, param: 'messages', type: 'invalid_request_error' })
  t.equal(server.requests.length, 1)
})
