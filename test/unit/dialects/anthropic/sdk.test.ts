// The strongest check: @anthropic-ai/sdk parses our bytes over real HTTP (PROTOCOLS.md §5.4).
// The request the SDK sent is also fed to our decoder.
import Anthropic from '@anthropic-ai/sdk'
import t from 'tap'
import { dialect } from '../../../../src/dialects/anthropic/index.js'
import { encodeAll, ERROR, REASONING, rejection, REQUEST, TEXT, TEXT_RESPONSE, TOOL, TOOL_RESPONSE, TWO_TOOLS } from '../scenarios.js'
import { startServer, type Reply, type Teardown } from '../sse-server.js'

const client = dialect.client
const OP = { dialect: 'anthropic', operation: 'messages' } as const
const streamOf = (events: Parameters<typeof encodeAll>[1]): Reply => ({ frames: encodeAll(client.createStreamEncoder(REQUEST), events) })
const params = { model: 'm1', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'hi' }] }

async function sdk (t: Teardown, reply: Reply) {
  const server = await startServer(t, () => reply)
  return { server, anthropic: new Anthropic({ baseURL: server.url, apiKey: 'x', maxRetries: 0 }) }
}

t.test('stream (a): finalMessage text and usage; the SDK request decodes', async t => {
  const { server, anthropic } = await sdk(t, streamOf(TEXT))
  const message = await anthropic.messages.stream(params).finalMessage()
  t.equal(message.id, 'msg_mock-abc')
  t.match(message.content, [{ type: 'text', text: 'Hello' }])
  t.equal(message.stop_reason, 'end_turn')
  t.equal(message.usage.input_tokens, 10)
  t.equal(message.usage.output_tokens, 2)
  t.equal(server.requests[0]?.url, '/v1/messages')
  const decoded = client.decodeRequest(server.requests[0]?.body, OP)
  t.strictSame(decoded, {
    model: 'm1', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
    stream: true, maxTokens: 64,
  })
})

t.test('stream (b): tool_use input is assembled from input_json_delta fragments', async t => {
  const { anthropic } = await sdk(t, streamOf(TOOL))
  const message = await anthropic.messages.stream(params).finalMessage()
  t.match(message.content, [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } }])
  t.equal(message.stop_reason, 'tool_use')
  t.equal(message.usage.input_tokens, 6)
  t.equal(message.usage.cache_read_input_tokens, 4)
})

t.test('stream (c): two calls; the one without arguments gets {}', async t => {
  const { anthropic } = await sdk(t, streamOf(TWO_TOOLS))
  const message = await anthropic.messages.stream(params).finalMessage()
  t.match(message.content, [{ type: 'tool_use', input: { city: 'Paris' } }, { type: 'tool_use', id: 'call_b', input: {} }])
})

t.test('stream (d): thinking then text', async t => {
  const { anthropic } = await sdk(t, streamOf(REASONING))
  const message = await anthropic.messages.stream(params).finalMessage()
  t.match(message.content, [{ type: 'thinking', thinking: 'Thinking' }, { type: 'text', text: 'Answer' }])
  t.equal(message.stop_reason, 'max_tokens')
})

t.test('stream (e): the SDK throws the overloaded error', async t => {
  const { anthropic } = await sdk(t, streamOf(ERROR))
  const err = await rejection(anthropic.messages.stream(params).finalMessage())
  t.ok(err instanceof Anthropic.APIError)
  t.match(err, { error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } })
})

t.test('non-streaming: the SDK reads encodeResponse', async t => {
  const { anthropic } = await sdk(t, { json: client.encodeResponse(TOOL_RESPONSE, REQUEST) })
  const message = await anthropic.messages.create(params)
  t.match(message.content, [
    { type: 'thinking', thinking: 'Think', signature: 'sig' },
    { type: 'text', text: 'Checking.' },
    { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
  ])
  t.equal(message.stop_reason, 'tool_use')
  t.match(message.usage, { input_tokens: 6, output_tokens: 7, cache_read_input_tokens: 4 })
})

t.test('pre-stream error: renderError gives the SDK its 529 overloaded error and request id', async t => {
  const rendered = client.renderError({ kind: 'overloaded', status: 503, message: 'busy' }, 'req_1')
  const { server, anthropic } = await sdk(t, { json: rendered.body, status: rendered.status, headers: rendered.headers })
  const err = await rejection(anthropic.messages.create(params))
  t.ok(err instanceof Anthropic.APIError)
  t.match(err, { status: 529, requestID: 'req_1', error: { error: { type: 'overloaded_error' } } })
  t.equal(server.requests.length, 1)
})

t.test('non-streaming text', async t => {
  const { anthropic } = await sdk(t, { json: client.encodeResponse(TEXT_RESPONSE, REQUEST) })
  const message = await anthropic.messages.create(params)
  t.equal(message.content[0]?.type === 'text' ? message.content[0].text : '', 'Hello')
})

t.test('pre-stream 400: x-should-retry:false stops the SDK retrying', async t => {
  const rendered = client.renderError({ kind: 'invalid_request', status: 400, message: 'messages: required', param: 'messages' })
  const server = await startServer(t, () => ({ json: rendered.body, status: rendered.status, headers: rendered.headers }))
  const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'x', maxRetries: 2 })
  t.match(await rejection(anthropic.messages.create(params)), { status: 400, error: { error: { type: 'invalid_request_error', message: 'messages: required' } } })
  t.equal(server.requests.length, 1)
})

t.test('count_tokens: the body the SDK sends decodes (no max_tokens needed)', async t => {
  const { server, anthropic } = await sdk(t, { json: { input_tokens: 3 } })
  t.equal((await anthropic.messages.countTokens({ model: 'm1', messages: params.messages })).input_tokens, 3)
  t.equal(server.requests[0]?.url, '/v1/messages/count_tokens')
  const op = client.matchOperation('POST', server.requests[0]?.url ?? '')
  t.match(client.decodeRequest(server.requests[0]?.body, op!), { model: 'm1', stream: false })
})

t.test('stream: the SDK accumulates signature_delta, redacted_thinking and a refusal; what it replays decodes back', async t => {
  const { openSignature } = await import('../../../../src/canonical/signature.js')
  const events: Parameters<typeof encodeAll>[1] = [
    TEXT[0]!,
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'summary text' },
    { type: 'signature', index: 0, signature: { family: 'openai', value: 'enc' } },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'reasoning', redacted: true },
    { type: 'signature', index: 1, signature: { family: 'anthropic', value: 'EmwK' } },
    { type: 'block-end', index: 1 },
    { type: 'ping' },
    { type: 'block-start', index: 2, kind: 'refusal' },
    { type: 'text-delta', index: 2, delta: 'No.' },
    { type: 'block-end', index: 2 },
    { type: 'message-end', finish: { reason: 'stop' } },
  ]
  const { anthropic } = await sdk(t, streamOf(events))
  const message = await anthropic.messages.stream(params).finalMessage()
  t.match(message.content, [{ type: 'thinking', thinking: 'summary text' }, { type: 'redacted_thinking', data: 'EmwK' }, { type: 'text', text: 'No.' }])
  t.equal(message.stop_reason, 'refusal')
  const thinking = message.content[0]
  const sig = thinking?.type === 'thinking' ? thinking.signature : ''
  t.strictSame(openSignature(sig, 'anthropic'), { envelope: true, signature: { family: 'openai', value: 'enc' }, text: 'summary text' })
  // The client sends the whole assistant turn back: the canonical reasoning is restored.
  const decoded = client.decodeRequest({ ...params, messages: [...params.messages, { role: 'assistant', content: message.content }] }, OP)
  t.strictSame(decoded.messages[1]?.parts, [
    { type: 'reasoning', text: 'summary text', signature: { family: 'openai', value: 'enc' } },
    { type: 'reasoning', text: '', signature: { family: 'anthropic', value: 'EmwK' }, redacted: true },
    { type: 'text', text: 'No.' },
  ])
})
