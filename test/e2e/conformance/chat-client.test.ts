// PROTOCOLS.md §10 conformance cases 1-4 and 6-10: a Chat Completions client (the openai SDK,
// @ai-sdk/openai, or raw undici for byte checks) in front of an Anthropic (or Chat) backend.
import { createOpenAI } from '@ai-sdk/openai'
import { jsonSchema, streamText, tool } from 'ai'
import { APIError } from 'openai'
import t from 'tap'
import { json } from '../../helpers/mock-upstream.js'
import {
  anthBlock, anthEvent, anthMessageStart, anthSse, anthText, anthTool, chatChunk, chatPayloads, chatSse, CHAT_REQUEST,
  EVENT_STREAM, openaiClient, parseSse, post, rig, upstreamBody, WEATHER_TOOL_CHAT,
} from './fixtures.js'

const TEXT_PIECES = ['Hello from', ' upstream — ', '你好', '🌍!']
const TEXT = TEXT_PIECES.join('')

type Json = Record<string, unknown>
type ToolDelta = { index: number, id?: string, type?: string, function?: { name?: string, arguments?: string } }

function toolDeltas (text: string): ToolDelta[] {
  return chatPayloads(text).flatMap(c => ((c.choices as Json[]) ?? []).flatMap(ch => ((ch.delta as Json).tool_calls as ToolDelta[] | undefined) ?? []))
}

function finishReasons (text: string): unknown[] {
  return chatPayloads(text).flatMap(c => ((c.choices as Json[]) ?? []).map(ch => ch.finish_reason)).filter(r => r !== null)
}

t.test('chat-text-stream — CHAT client, ANTH backend', async t => {
  const { app } = await rig(t, 'anthropic', anthSse(anthText(0, TEXT_PIECES), 'end_turn'))
  const final = await openaiClient(app).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion()
  t.equal(final.choices[0]?.message.role, 'assistant')
  t.equal(final.choices[0]?.message.content, TEXT, 'text equals the upstream text')
  t.equal(final.choices[0]?.finish_reason, 'stop')
  const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.equal(raw.status, 200)
  t.match(raw.text, /\ndata: \[DONE\]\n\n$/, 'last line is data: [DONE]')
})

t.test('chat-text-stream — CHAT client, CHAT backend', async t => {
  const { app } = await rig(t, 'openai-chat', chatSse([...TEXT_PIECES.map(content => chatChunk({ content })), chatChunk({}, 'stop')]))
  const final = await openaiClient(app).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion()
  t.equal(final.choices[0]?.message.role, 'assistant')
  t.equal(final.choices[0]?.message.content, TEXT)
  t.equal(final.choices[0]?.finish_reason, 'stop')
  const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.match(raw.text, /\ndata: \[DONE\]\n\n$/, 'last line is data: [DONE]')
})

t.test('chat-usage-chunk — CHAT client, ANTH backend', async t => {
  const { app, upstream } = await rig(t, 'anthropic', anthSse(anthText(0, ['hi']), 'end_turn', { output_tokens: 9 }))
  const withUsage = await post(app, '/v1/chat/completions', { ...CHAT_REQUEST, stream_options: { include_usage: true } })
  const chunks = chatPayloads(withUsage.text)
  const empty = chunks.filter(c => Array.isArray(c.choices) && c.choices.length === 0)
  t.equal(empty.length, 1, 'exactly one choices:[] chunk')
  t.equal(chunks.at(-1), empty[0], 'it is the last chunk before [DONE]')
  t.match(empty[0]?.usage, { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 }, 'with the usage')
  t.ok(chunks.slice(0, -1).every(c => c.usage === undefined || c.usage === null), 'no other chunk carries usage')
  t.match(withUsage.text, /\ndata: \[DONE\]\n\n$/)

  const without = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  const plain = chatPayloads(without.text)
  t.ok(plain.length > 0)
  t.notOk(plain.some(c => Array.isArray(c.choices) && c.choices.length === 0), 'no empty-choices chunk')
  t.notOk(plain.some(c => c.usage !== undefined && c.usage !== null), 'no usage chunk')
  t.match(without.text, /\ndata: \[DONE\]\n\n$/)
  t.equal(upstream.requests.length, 2)
})

t.test('chat-tool-single — CHAT client, ANTH backend', async t => {
  const input = { city: 'Paris', unit: 'c' }
  const args = JSON.stringify(input)
  const { app } = await rig(t, 'anthropic', anthSse(anthTool(0, 'toolu_01Single', 'get_weather', [args.slice(0, 6), args.slice(6)]), 'tool_use'))
  const raw = await post(app, '/v1/chat/completions', { ...CHAT_REQUEST, tools: [WEATHER_TOOL_CHAT] })
  const deltas = toolDeltas(raw.text)
  t.same(deltas[0], { index: 0, id: 'toolu_01Single', type: 'function', function: { name: 'get_weather', arguments: '' } }, 'first tool delta: id, type, name, empty arguments')
  t.ok(deltas.slice(1).every(d => d.index === 0 && d.id === undefined && d.type === undefined && d.function?.name === undefined), 'continuations carry only arguments')
  t.same(finishReasons(raw.text), ['tool_calls'])

  const final = await openaiClient(app).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }], tools: [WEATHER_TOOL_CHAT as never] }).finalChatCompletion()
  const msg = final.choices[0]!.message
  t.equal(final.choices[0]?.finish_reason, 'tool_calls')
  t.equal(msg.content, null, 'content is null')
  t.equal(msg.tool_calls?.length, 1)
  const call = msg.tool_calls![0]!
  t.equal(call.type, 'function')
  if (call.type === 'function') t.same(JSON.parse(call.function.arguments), input, 'arguments parse to the upstream input')
})

t.test('chat-tool-parallel-contiguous — CHAT client, ANTH backend', async t => {
  const a = JSON.stringify({ city: 'Paris' })
  const b = JSON.stringify({ tz: 'Europe/Paris' })
  const { app } = await rig(t, 'anthropic', anthSse([
    ...anthText(0, ['Checking.']),
    ...anthTool(1, 'toolu_A', 'get_weather', [a.slice(0, 4), a.slice(4)]),
    ...anthTool(2, 'toolu_B', 'get_time', [b.slice(0, 3), b.slice(3, 9), b.slice(9)]),
  ], 'tool_use'))
  const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  const indexes = toolDeltas(raw.text).map(d => d.index)
  t.same(indexes, [0, 0, 0, 1, 1, 1, 1], 'index 0 complete, then index 1: never interleaved')

  const stream = openaiClient(app).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] })
  const done: Array<{ index: number, name: string, arguments: string }> = []
  stream.on('tool_calls.function.arguments.done', e => done.push({ index: e.index, name: e.name, arguments: e.arguments }))
  const final = await stream.finalChatCompletion()
  t.same(done, [{ index: 0, name: 'get_weather', arguments: a }, { index: 1, name: 'get_time', arguments: b }], 'arguments.done fired twice with complete arguments')
  t.equal(final.choices[0]?.message.tool_calls?.length, 2)
  t.equal(final.choices[0]?.message.content, 'Checking.')
  t.equal(final.choices[0]?.finish_reason, 'tool_calls')
})

t.test('chat-ai-sdk-tools — @ai-sdk/openai .chat() client, ANTH backend', async t => {
  const a = JSON.stringify({ city: 'Paris' })
  const b = JSON.stringify({ tz: 'Europe/Paris' })
  const { app, upstream } = await rig(t, 'anthropic', anthSse([
    ...anthTool(0, 'toolu_A', 'get_weather', [a.slice(0, 5), a.slice(5)]),
    ...anthTool(1, 'toolu_B', 'get_time', [b]),
  ], 'tool_use'))
  const provider = createOpenAI({ baseURL: app.url + '/v1', apiKey: 'client-key' })
  const result = streamText({
    model: provider.chat('client-model'),
    prompt: 'Weather and time in Paris?',
    maxRetries: 0,
    tools: {
      get_weather: tool({ description: 'Weather for a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) }),
      get_time: tool({ description: 'Time in a zone', inputSchema: jsonSchema<{ tz: string }>({ type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] }) }),
    },
  })
  const parts: Array<{ type: string, [k: string]: unknown }> = []
  for await (const part of result.fullStream) parts.push(part as never)
  t.same(parts.filter(p => p.type === 'error'), [], 'no error parts')
  const calls = parts.filter(p => p.type === 'tool-call')
  t.same(calls.map(c => [c.toolCallId, c.toolName, c.input]), [['toolu_A', 'get_weather', { city: 'Paris' }], ['toolu_B', 'get_time', { tz: 'Europe/Paris' }]], 'two tool-call parts')
  const finish = parts.find(p => p.type === 'finish')
  t.equal(finish?.finishReason, 'tool-calls', 'finish reason tool-calls')
  t.match(upstreamBody(upstream), { stream: true, tools: [{ name: 'get_weather' }, { name: 'get_time' }] }, 'the Anthropic upstream got both tools')
})

t.test('chat-error-midstream — CHAT client, ANTH backend', async t => {
  const { app } = await rig(t, 'anthropic', {
    headers: EVENT_STREAM,
    frames: [
      anthMessageStart(),
      anthEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      anthEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Partial' } }),
      anthEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ],
  })
  const stream = await openaiClient(app).chat.completions.create({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }], stream: true })
  let text = ''
  const err = await (async () => {
    try {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    } catch (e) {
      return e
    }
    return undefined
  })()
  t.equal(text, 'Partial', 'text before the error arrived')
  t.ok(err instanceof APIError, 'iteration throws APIError')
  t.match((err as APIError).message, /Overloaded/)

  const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.equal(raw.status, 200, 'the stream had started')
  t.same(finishReasons(raw.text), [], 'no finish_reason chunk')
  const last = chatPayloads(raw.text).at(-1)
  t.match(last, { error: { message: 'Overloaded', type: 'server_error' } }, 'an {error} chunk ends the stream')
  t.notMatch(raw.text, /\[DONE\]/, 'no [DONE] after a failure')
})

t.test('chat-http-error-map — CHAT client, ANTH backend', async t => {
  const { app } = await rig(t, 'anthropic', r => JSON.parse(r.body.toString()).max_tokens === 11
    ? json({ type: 'error', error: { type: 'invalid_request_error', message: 'messages.0: bad thing happened' } }, 400)
    : json({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 529, { 'retry-after': '7' }))
  const overloaded = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.equal(overloaded.status, 503, 'Anthropic 529 → 503')
  t.match(JSON.parse(overloaded.text), { error: { message: 'Overloaded', type: String } })
  t.equal(overloaded.headers['retry-after'], '7', 'retry-after passed through')
  const bad = await post(app, '/v1/chat/completions', { ...CHAT_REQUEST, max_tokens: 11 })
  t.equal(bad.status, 400)
  t.match(JSON.parse(bad.text), { error: { message: 'messages.0: bad thing happened', type: 'invalid_request_error' } }, 'message preserved')
  t.equal(bad.headers['x-should-retry'], 'false', 'a deterministic 4xx is marked not retryable')
  const sdkErr = await openaiClient(app).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 11 }).catch((e: unknown) => e)
  t.ok(sdkErr instanceof APIError && sdkErr.status === 400, 'the SDK sees a 400')
})

t.test('chat-empty-args — CHAT client, ANTH backend', async t => {
  // Streamed: the no-argument tool is start + `partial_json:""` + stop only (§3.4 b).
  // Whole: `input:{}`.
  const { app } = await rig(t, 'anthropic', r => JSON.parse(r.body.toString()).stream === true
    ? anthSse(anthBlock(0, { type: 'tool_use', id: 'toolu_Now', name: 'get_now', input: {} }, [{ type: 'input_json_delta', partial_json: '' }]), 'tool_use')
    : json({ id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'tool_use', id: 'toolu_Now', name: 'get_now', input: {} }], stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 2 } }))
  const client = openaiClient(app)
  const final = await client.chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'now?' }] }).finalChatCompletion()
  const call = final.choices[0]?.message.tool_calls?.[0]
  t.equal(call?.type, 'function')
  if (call?.type === 'function') {
    t.equal(call.function.name, 'get_now')
    t.equal(call.function.arguments, '{}', 'streamed: arguments === "{}"')
  }
  const whole = await client.chat.completions.create({ model: 'client-model', messages: [{ role: 'user', content: 'now?' }] })
  const wholeCall = whole.choices[0]?.message.tool_calls?.[0]
  t.equal(wholeCall?.type === 'function' ? wholeCall.function.arguments : undefined, '{}', 'whole: arguments === "{}"')
})

t.test('chat-reasoning-budget — CHAT client, ANTH backend', async t => {
  const { app, upstream } = await rig(t, 'anthropic', anthSse(anthText(0, ['ok']), 'end_turn'))
  const raw = await post(app, '/v1/chat/completions', { ...CHAT_REQUEST, reasoning_effort: 'high', max_tokens: 1000, temperature: 0.7 })
  t.equal(raw.status, 200)
  const body = upstreamBody(upstream) as { thinking?: { type: string, budget_tokens: number }, max_tokens: number, temperature?: number }
  t.equal(body.thinking?.type, 'enabled')
  t.ok((body.thinking?.budget_tokens ?? 0) >= 1024, 'budget_tokens ≥ 1024')
  t.ok(body.max_tokens > (body.thinking?.budget_tokens ?? Infinity), 'max_tokens > budget_tokens')
  t.equal(body.temperature, undefined, 'no temperature')
  t.ok(body.max_tokens - (body.thinking?.budget_tokens ?? 0) >= 1000, 'the 1000 requested output tokens still fit above the budget')
})

t.test('raw records are data-only for Chat clients (§1.3)', async t => {
  const { app } = await rig(t, 'anthropic', anthSse(anthText(0, ['x']), 'end_turn'))
  const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.ok(parseSse(raw.text).every(r => r.event === undefined), 'no event: lines')
})
