// PROTOCOLS.md §10 Gemini cases 34-39 under their own names, the GEM variants of the other cases
// (2, 4, 14, 19, 24, 29, 44, 45), and the rest of the Gemini surface: the JSON-array stream,
// countTokens both ways, the model list, promptFeedback blocks. Clients are the official SDKs
// (@google/genai, openai, @anthropic-ai/sdk) or raw undici for byte-level checks; upstreams are
// loopback servers speaking the real wire format.
import { ApiError } from '@google/genai'
import { once } from 'node:events'
import t from 'tap'
import { request } from 'undici'
import { CALL_ID_PREFIX, openCallId } from '../../../src/dialects/gemini/call-ids.js'
import { json, startMockUpstream } from '../../helpers/mock-upstream.js'
import { oneBackend, startApp } from '../../helpers/start-app.js'
import { respWhole } from '../../helpers/responses-sse.js'
import { strictCheck } from '../../helpers/responses-strict.js'
import {
  anthBlock, anthEvent, byteByByte, dribble, anthMessageStart, anthSse, anthText, anthTool, CHAT_REQUEST, chatChunk, chatPayloads, chatSse,
  EVENT_STREAM, gemChunkJson, gemFrame, gemPayloads, gemSse, geminiClient, openaiClient, anthropicClient, parseSse, post, rig, upstreamBody,
} from './fixtures.js'

type Json = Record<string, unknown>

const GEM_STREAM = '/v1beta/models/client-model:streamGenerateContent?alt=sse'
const GEM_WHOLE = '/v1beta/models/client-model:generateContent'
const GEM_BODY = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }
const GOOG = { 'x-goog-api-key': 'client-key' }
const TEXT_PIECES = ['Hello from', ' upstream — ', '你好', '🌍!']
const SIGNATURE = 'Cs4BAXLI2nwFirstCallSig+/='
const WEATHER = { name: 'get_weather', args: { city: 'Paris' } }
const TIME = { name: 'get_time', args: { tz: 'Europe/Paris' } }

/** The parts of every chunk of a Gemini stream, in order. */
const partsOf = (chunks: readonly Json[]): Json[] =>
  chunks.flatMap(c => (((c.candidates as Json[] | undefined)?.[0]?.content as Json | undefined)?.parts as Json[] | undefined) ?? [])

const candidate = (chunk: Json | undefined): Json => ((chunk?.candidates as Json[] | undefined)?.[0] ?? {})

/** A Gemini upstream that streams two whole calls, the first signed, as Gemini 3 does (§4.4c). */
const twoCalls = () => gemSse([[{ functionCall: WEATHER, thoughtSignature: SIGNATURE }], [{ functionCall: TIME }]])

t.test('gem-text-stream — GEM client, CHAT backend', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', chatSse([...TEXT_PIECES.map(content => chatChunk({ content })), chatChunk({}, 'stop')]))
  const raw = await post(app, GEM_STREAM, GEM_BODY, GOOG)
  t.equal(raw.status, 200)
  t.match(raw.headers['content-type'], /^text\/event-stream/)
  const records = parseSse(raw.text)
  t.ok(records.length >= 2, 'several records')
  t.ok(records.every(r => r.fields.every(f => f === 'data')), 'data-only records: no event:, id: or other field')
  t.notOk(raw.text.includes('[DONE]'), 'no [DONE]')
  t.ok(raw.text.endsWith('\n\n'), 'the body ends on a blank line (js-genai: no incomplete JSON segment)')
  const chunks = gemPayloads(raw.text)
  t.ok(chunks.every(c => (candidate(c).content as Json).role === 'model' && candidate(c).index === 0), 'every chunk: role model, index 0')
  t.ok(partsOf(chunks).every(p => Object.keys(p).length > 0), 'no empty part objects')
  t.equal(partsOf(chunks).map(p => p.text).join(''), TEXT_PIECES.join(''))
  t.ok(chunks.slice(0, -1).every(c => candidate(c).finishReason === undefined), 'finishReason only on the last chunk')
  t.equal(candidate(chunks.at(-1)).finishReason, 'STOP')
  t.match(chunks.at(-1)?.usageMetadata, { promptTokenCount: 11, candidatesTokenCount: 7, totalTokenCount: 18 }, 'final usage on the finish chunk')
  t.equal(upstream.requests[0]?.url, '/v1/chat/completions')

  const chat = geminiClient(app).chats.create({ model: 'client-model' })
  let text = ''
  for await (const chunk of await chat.sendMessageStream({ message: 'hi' })) text += chunk.text ?? ''
  t.equal(text, TEXT_PIECES.join(''))
  const history = chat.getHistory(true)
  t.same(history.map(c => c.role), ['user', 'model', 'model', 'model', 'model', 'model'], 'chats.sendMessageStream records every chunk in the curated history')
  t.equal(history.length, chat.getHistory(false).length, 'nothing rejected as invalid model output')
})

t.test('gem-text-stream — JSON-array form without alt=sse (§4.1)', async t => {
  const { app } = await rig(t, 'openai-chat', chatSse([...TEXT_PIECES.map(content => chatChunk({ content })), chatChunk({}, 'stop')]))
  const raw = await post(app, '/v1beta/models/client-model:streamGenerateContent', GEM_BODY, GOOG)
  t.equal(raw.status, 200)
  t.match(raw.headers['content-type'], /^application\/json/)
  const chunks = JSON.parse(raw.text) as Json[]
  t.ok(Array.isArray(chunks), 'one JSON array')
  t.equal(partsOf(chunks).map(p => p.text).join(''), TEXT_PIECES.join(''))
  t.equal(candidate(chunks.at(-1)).finishReason, 'STOP')
})

t.test('gem-text-stream — /v1/models/ path form, whole reply', async t => {
  const { app } = await rig(t, 'openai-chat', json({ id: 'c1', object: 'chat.completion', created: 1, model: 'up-model', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }))
  const res = await post(app, '/v1/models/client-model:generateContent', GEM_BODY, GOOG)
  t.equal(res.status, 200)
  const body = JSON.parse(res.text) as Json
  t.same(partsOf([body]), [{ text: 'Hi there' }])
  t.match(body.usageMetadata, { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 })
})

t.test('gem-function-call — GEM client, ANTH backend', async t => {
  const a = JSON.stringify(WEATHER.args)
  const b = JSON.stringify(TIME.args)
  const script = anthSse([...anthTool(0, 'toolu_A', 'get_weather', [a.slice(0, 4), a.slice(4)]), ...anthTool(1, 'toolu_B', 'get_time', [b.slice(0, 3), b.slice(3)])], 'tool_use')
  const { app } = await rig(t, 'anthropic', script)
  const raw = await post(app, GEM_STREAM, GEM_BODY, GOOG)
  const calls = partsOf(gemPayloads(raw.text)).filter(p => p.functionCall !== undefined).map(p => p.functionCall)
  t.same(calls, [{ id: 'toolu_A', ...WEATHER }, { id: 'toolu_B', ...TIME }], 'one whole functionCall part per call, args an object, the upstream id kept')
  t.equal(candidate(gemPayloads(raw.text).at(-1)).finishReason, 'STOP', 'function calls come with STOP')

  const genai = geminiClient(app)
  const whole = await genai.models.generateContent({ model: 'client-model', contents: 'hi' })
  t.equal(whole.functionCalls?.length, 2, 'response.functionCalls has both (whole reply)')
  const seen = []
  for await (const chunk of await genai.models.generateContentStream({ model: 'client-model', contents: 'hi' })) seen.push(...(chunk.functionCalls ?? []))
  t.same(seen.map(c => c.name), ['get_weather', 'get_time'], 'and streamed')
})

t.test('gem-function-response-roundtrip — GEM client history without ids, ANTH backend', async t => {
  const { app, upstream } = await rig(t, 'anthropic', anthSse(anthText(0, ['Done.']), 'end_turn'))
  const res = await geminiClient(app).models.generateContent({
    model: 'client-model',
    contents: [
      { role: 'user', parts: [{ text: 'weather and time?' }] },
      { role: 'model', parts: [{ functionCall: WEATHER }, { functionCall: TIME }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: '18C' } } }, { functionResponse: { name: 'get_time', response: { output: '14:05' } } }] },
    ],
    config: { tools: [{ functionDeclarations: [{ name: 'get_weather' }, { name: 'get_time' }] }] },
  })
  t.equal(res.text, 'Done.')
  const messages = upstreamBody(upstream).messages as Array<{ role: string, content: Json[] }>
  const uses = messages[1]!.content.filter(b => b.type === 'tool_use')
  const results = messages[2]!.content.filter(b => b.type === 'tool_result')
  t.equal(uses.length, 2)
  t.ok(uses.every(u => /^[a-zA-Z0-9_-]+$/.test(u.id as string)), 'ids legal for Anthropic')
  t.equal(new Set(uses.map(u => u.id)).size, 2, 'distinct ids')
  t.same(results.map(r => r.tool_use_id), uses.map(u => u.id), 'both results in one user message, paired by order and name')
  t.same(results.map(r => r.content), ['18C', '14:05'], 'the output unwrapped to text')
})

t.test('gem-backend-parallel-results — CHAT client with two tool messages, GEM backend', async t => {
  let turn = 0
  const { app, upstream } = await rig(t, 'gemini', () => ++turn === 1 ? twoCalls() : gemSse([[{ text: 'Sunny at 14:05.' }]]))
  const openai = openaiClient(app)
  const tools = [WEATHER, TIME].map(c => ({ type: 'function' as const, function: { name: c.name, parameters: { type: 'object', properties: {} } } }))
  const first = await openai.chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'weather and time?' }], tools }).finalChatCompletion()
  const calls = first.choices[0]?.message.tool_calls ?? []
  t.equal(first.choices[0]?.finish_reason, 'tool_calls', 'STOP with calls is the tool reason')
  t.equal(calls.length, 2)
  t.ok(calls[0]?.id.startsWith(CALL_ID_PREFIX), 'the signed call carries its signature in its id')
  t.equal(openCallId(calls[0]!.id).signature, SIGNATURE)
  t.not(calls[0]?.id, calls[1]?.id)

  const second = await openai.chat.completions.create({
    model: 'client-model',
    tools,
    messages: [
      { role: 'user', content: 'weather and time?' },
      { role: 'assistant', content: null, tool_calls: calls.map(c => ({ id: c.id, type: 'function' as const, function: { name: c.type === 'function' ? c.function.name : '', arguments: c.type === 'function' ? c.function.arguments : '' } })) },
      { role: 'tool', tool_call_id: calls[0]!.id, content: '18C' },
      { role: 'tool', tool_call_id: calls[1]!.id, content: '14:05' },
    ],
  })
  t.equal(second.choices[0]?.message.content, 'Sunny at 14:05.')
  const contents = upstreamBody(upstream).contents as Array<{ role: string, parts: Json[] }>
  t.same(contents.map(c => c.role), ['user', 'model', 'user'], 'strict alternation')
  t.same(contents[1]!.parts, [{ functionCall: WEATHER, thoughtSignature: SIGNATURE }, { functionCall: TIME }], 'both calls, the signature replayed on the first, no ids Gemini never gave')
  t.same(contents[2]!.parts, [
    { functionResponse: { name: 'get_weather', response: { output: '18C' } } },
    { functionResponse: { name: 'get_time', response: { output: '14:05' } } },
  ], 'ONE user Content with both functionResponse parts, named after their calls')
  t.equal(upstream.requests[1]?.headers['x-goog-api-key'], 'upstream-key')
})

t.test('gem-schema-sanitize — ANTH client (Claude Code tool schemas), GEM backend', async t => {
  const { app, upstream } = await rig(t, 'gemini', gemSse([[{ text: 'ok' }]]))
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object' as const,
    additionalProperties: false,
    properties: { mode: { const: 'read' }, path: { type: 'string' }, opts: { type: 'object', additionalProperties: false, properties: { $schema: { type: 'string' } } } },
    required: ['path'],
  }
  const res = await anthropicClient(app).messages.create({ model: 'client-model', max_tokens: 64, messages: [{ role: 'user', content: 'read it' }], tools: [{ name: 'Read', description: 'Read a file', input_schema: schema }] })
  t.equal(res.content[0]?.type === 'text' ? res.content[0].text : '', 'ok')
  const decls = (upstreamBody(upstream).tools as Array<{ functionDeclarations: Json[] }>).flatMap(x => x.functionDeclarations)
  t.equal(decls.length, 1)
  t.equal(decls[0]?.parameters, undefined, 'not the OpenAPI subset that rejects these keywords')
  const sent = decls[0]?.parametersJsonSchema as Json
  t.equal(sent.$schema, undefined, '$schema removed')
  t.same(sent.properties, schema.properties, 'the rest of the schema intact, a property named $schema included')
  t.equal(sent.additionalProperties, false)
})

t.test('gem-error-chunk — GEM client, ANTH backend overloaded mid-stream', async t => {
  const { app } = await rig(t, 'anthropic', {
    headers: EVENT_STREAM,
    frames: [anthMessageStart(), ...anthBlock(0, { type: 'text', text: '' }, [{ type: 'text_delta', text: 'Hel' }]).slice(0, 2), anthEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })],
  })
  const raw = await post(app, GEM_STREAM, GEM_BODY, GOOG)
  t.equal(raw.status, 200, 'the stream had begun')
  const chunks = gemPayloads(raw.text)
  t.match(chunks.at(-1), { error: { code: 503, status: 'UNAVAILABLE', message: /Overloaded/ } }, 'the last record is the error object')
  t.notOk(chunks.some(c => candidate(c).finishReason !== undefined), 'no made-up finish')
  const err = await (async () => {
    for await (const chunk of await geminiClient(app).models.generateContentStream({ model: 'client-model', contents: 'hi' })) void chunk
  })().catch((e: unknown) => e)
  t.type(err, ApiError, 'js-genai throws ApiError')
  t.equal((err as ApiError).status, 503)
})

t.test('gem-http-error — GEM client, CHAT backend 429 before the stream', async t => {
  const { app } = await rig(t, 'openai-chat', json({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, 429, { 'retry-after': '7' }))
  const raw = await post(app, GEM_STREAM, GEM_BODY, GOOG)
  t.equal(raw.status, 429)
  t.equal(raw.headers['retry-after'], '7')
  t.match(JSON.parse(raw.text), { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: /Rate limit/ } })
})

t.test('gem-bad-request — a 400 naming the field, in Gemini form', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', chatSse([]))
  const raw = await post(app, GEM_WHOLE, { contents: [{ role: 'robot', parts: [{ text: 'hi' }] }] }, GOOG)
  t.equal(raw.status, 400)
  t.match(JSON.parse(raw.text), { error: { code: 400, status: 'INVALID_ARGUMENT', message: /contents\[0\]\.role/ } })
  t.equal(upstream.requests.length, 0, 'nothing forwarded')
})

t.test('chat-usage-chunk — CHAT client, GEM backend', async t => {
  const { app } = await rig(t, 'gemini', gemSse([[{ text: 'Hel' }], [{ text: 'lo' }]]))
  const withUsage = chatPayloads((await post(app, '/v1/chat/completions', { ...CHAT_REQUEST, stream_options: { include_usage: true } })).text)
  const empty = withUsage.filter(c => (c.choices as unknown[]).length === 0)
  t.equal(empty.length, 1, 'exactly one choices:[] chunk')
  t.match(empty[0]?.usage, { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 })
  t.same(withUsage.at(-1), empty[0], 'the usage chunk is last')
  const without = chatPayloads((await post(app, '/v1/chat/completions', CHAT_REQUEST)).text)
  t.notOk(without.some(c => (c.choices as unknown[]).length === 0 || c.usage !== undefined), 'no usage chunk unasked')
})

t.test('chat-tool-parallel-contiguous — CHAT client, GEM backend (two calls in one chunk)', async t => {
  const { app } = await rig(t, 'gemini', gemSse([[{ functionCall: WEATHER, thoughtSignature: SIGNATURE }, { functionCall: TIME }]]))
  const stream = openaiClient(app).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] })
  const done: Array<{ index: number, name: string, arguments: string }> = []
  stream.on('tool_calls.function.arguments.done', e => done.push({ index: e.index, name: e.name, arguments: e.arguments }))
  const final = await stream.finalChatCompletion()
  t.same(done, [{ index: 0, name: 'get_weather', arguments: JSON.stringify(WEATHER.args) }, { index: 1, name: 'get_time', arguments: JSON.stringify(TIME.args) }], 'arguments.done twice with complete arguments')
  t.equal(final.choices[0]?.finish_reason, 'tool_calls')
})

t.test('resp-function-call — RESP client, GEM backend', async t => {
  const { app } = await rig(t, 'gemini', twoCalls())
  const raw = await post(app, '/v1/responses', { model: 'client-model', stream: true, input: 'hi' })
  const records = parseSse(raw.text).filter(r => r.data !== undefined)
  t.same(strictCheck(records.map(r => ({ event: r.event ?? '', data: r.data as string }))).problems, [], 'passes the openai-node 7.x stream rules')
  const final = await openaiClient(app).responses.stream({ model: 'client-model', input: 'hi' }).finalResponse()
  const calls = final.output.filter(i => i.type === 'function_call')
  t.same(calls.map(c => [c.name, JSON.parse(c.arguments)]), [[WEATHER.name, WEATHER.args], [TIME.name, TIME.args]])
  t.equal(openCallId(calls[0]!.call_id).signature, SIGNATURE, 'call_id carries the signature back')
})

t.test('resp-failed — RESP client, GEM backend error chunk mid-stream', async t => {
  const { app } = await rig(t, 'gemini', { headers: EVENT_STREAM, frames: [gemFrame(gemChunkJson([{ text: 'Hel' }])), gemFrame({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })] })
  const raw = await post(app, '/v1/responses', { model: 'client-model', stream: true, input: 'hi' })
  const events = parseSse(raw.text).filter(r => r.data !== undefined).map(r => JSON.parse(r.data as string) as Json)
  t.same(events.slice(-2).map(e => e.type), ['error', 'response.failed'])
  t.match((events.at(-1)!.response as Json).error, { code: String, message: /overloaded/ })
  await t.rejects(openaiClient(app).responses.stream({ model: 'client-model', input: 'hi' }).finalResponse(), 'openai-node rejects')
})

t.test('anth-tool-delta-only — ANTH client, GEM backend', async t => {
  const { app } = await rig(t, 'gemini', twoCalls())
  const raw = await post(app, '/v1/messages', { model: 'client-model', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] })
  const events = parseSse(raw.text).filter(r => r.data !== undefined).map(r => JSON.parse(r.data as string) as Json)
  const starts = events.filter(e => e.type === 'content_block_start').map(e => e.content_block as Json)
  t.same(starts.map(b => [b.type, b.name, b.input]), [['tool_use', 'get_weather', {}], ['tool_use', 'get_time', {}]], 'start input is {}')
  t.ok(starts.every(b => /^[a-zA-Z0-9_-]+$/.test(b.id as string)), 'ids legal for Anthropic')
  const final = await anthropicClient(app).messages.stream({ model: 'client-model', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
  t.same(final.content.map(b => b.type === 'tool_use' ? b.input : null), [WEATHER.args, TIME.args], 'the args arrive via input_json_delta')
  t.equal(final.stop_reason, 'tool_use')
})

t.test('anth-529 — ANTH client, GEM 503 before the stream', async t => {
  const { app } = await rig(t, 'gemini', json({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }, 503))
  const raw = await post(app, '/v1/messages', { model: 'client-model', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] })
  t.equal(raw.status, 529)
  t.match(JSON.parse(raw.text), { type: 'error', error: { type: 'overloaded_error', message: /overloaded/ } })
})

t.test('usage-mapping — CHAT client, GEM backend with thoughts and cache', async t => {
  const usage = { promptTokenCount: 1000, cachedContentTokenCount: 800, candidatesTokenCount: 50, thoughtsTokenCount: 30, totalTokenCount: 1080 }
  const { app } = await rig(t, 'gemini', gemSse([[{ text: 'ok' }]], 'STOP', usage))
  const res = await openaiClient(app).chat.completions.create({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] })
  t.match(res.usage, { prompt_tokens: 1000, completion_tokens: 80, total_tokens: 1080, prompt_tokens_details: { cached_tokens: 800 }, completion_tokens_details: { reasoning_tokens: 30 } }, 'thoughts are reasoning tokens, inside completion_tokens')
})

t.test('tool-id-length — GEM client history with long ids, CHAT backend', async t => {
  const long = ['fc_' + 'a'.repeat(60), 'fc_' + 'b'.repeat(60)]
  const { app, upstream } = await rig(t, 'openai-chat', chatSse([chatChunk({ content: 'ok' }), chatChunk({}, 'stop')]))
  await geminiClient(app).models.generateContent({
    model: 'client-model',
    contents: [
      { role: 'user', parts: [{ text: 'hi' }] },
      { role: 'model', parts: [{ functionCall: { id: long[0], ...WEATHER } }, { functionCall: { id: long[1], ...TIME } }] },
      { role: 'user', parts: [{ functionResponse: { id: long[1], name: 'get_time', response: { output: '14:05' } } }, { functionResponse: { id: long[0], name: 'get_weather', response: { output: '18C' } } }] },
    ],
  })
  const messages = upstreamBody(upstream).messages as Json[]
  const calls = (messages.find(m => m.role === 'assistant')!.tool_calls as Json[]).map(c => c.id as string)
  const results = messages.filter(m => m.role === 'tool')
  t.ok(calls.every(id => id.length <= 40), 'ids fit OpenAI limits')
  t.same(results.map(m => [m.tool_call_id, m.content]), [[calls[1], '14:05'], [calls[0], '18C']], 'results still pair with their calls')
})

t.test('promptFeedback block — content-filter stop in the client dialect', async t => {
  const blocked = { promptFeedback: { blockReason: 'SAFETY', safetyRatings: [] }, usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 }, modelVersion: 'up-model', responseId: 'gem-b1' }
  t.test('CHAT client, streaming', async t => {
    const { app } = await rig(t, 'gemini', { headers: EVENT_STREAM, frames: [gemFrame(blocked)] })
    const chunks = chatPayloads((await post(app, '/v1/chat/completions', CHAT_REQUEST)).text)
    t.equal(chunks.flatMap(c => (c.choices as Json[]).map(ch => ch.finish_reason)).filter(f => f !== null).at(-1), 'content_filter')
  })
  t.test('ANTH client, whole', async t => {
    const { app } = await rig(t, 'gemini', json(blocked))
    const res = await anthropicClient(app).messages.create({ model: 'client-model', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
    t.equal(res.stop_reason, 'refusal')
  })
})

t.test('countTokens — GEM client, ANTH backend: forwarded to count_tokens', async t => {
  const { app, upstream } = await rig(t, 'anthropic', json({ input_tokens: 42 }))
  const res = await geminiClient(app).models.countTokens({ model: 'client-model', contents: 'how many?' })
  t.equal(res.totalTokens, 42)
  t.equal(upstream.requests[0]?.url, '/v1/messages/count_tokens')
})

t.test('countTokens — ANTH client, GEM backend: forwarded to :countTokens', async t => {
  const { app, upstream } = await rig(t, 'gemini', json({ totalTokens: 17 }))
  const res = await anthropicClient(app).messages.countTokens({ model: 'client-model', system: 'Be brief.', messages: [{ role: 'user', content: 'how many?' }] })
  t.equal(res.input_tokens, 17)
  t.equal(upstream.requests[0]?.url, '/v1/models/client-model:countTokens')
  t.match(upstreamBody(upstream), { generateContentRequest: { model: 'models/client-model', contents: [{ role: 'user' }], systemInstruction: Object } })
})

t.test('countTokens — GEM client, CHAT backend: local estimate', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', chatSse([]))
  const res = await geminiClient(app).models.countTokens({ model: 'client-model', contents: 'how many tokens is this sentence?' })
  t.ok((res.totalTokens ?? 0) > 0)
  t.equal(upstream.requests.length, 0)
})

t.test('GET /v1beta/models — the Gemini list shape', async t => {
  const { app } = await rig(t, 'openai-chat', chatSse([]), { models: { 'gemini-flash': 'up-model' } })
  const names = []
  for await (const model of await geminiClient(app).models.list()) names.push(model.name)
  t.same(names, ['models/gemini-flash'])
  const res = await request(app.url + '/v1/models')
  t.match(await res.body.json(), { object: 'list', data: [{ id: 'gemini-flash' }] }, '/v1/models stays OpenAI-shaped')
})

t.test('GEM client whole reply from a RESP backend keeps thoughts hidden unless asked', async t => {
  const { app } = await rig(t, 'openai-responses', respWhole([{ type: 'reasoning', summary: [['Thinking hard.']] }, { type: 'message', pieces: ['42'] }]))
  const genai = geminiClient(app)
  const hidden = await genai.models.generateContent({ model: 'client-model', contents: '6x7?' })
  t.equal(hidden.text, '42')
  t.notOk(partsOf([hidden as unknown as Json]).some(p => p.thought === true), 'no thought parts unless includeThoughts')
  const shown = await genai.models.generateContent({ model: 'client-model', contents: '6x7?', config: { thinkingConfig: { includeThoughts: true } } })
  t.same(partsOf([shown as unknown as Json]).filter(p => p.thought === true && p.text !== '').map(p => p.text), ['Thinking hard.'])
})

t.test('sse-utf8-split and sse-line-split-crlf — CHAT client, GEM backend one byte at a time', async t => {
  const WORD = '你好🌍'
  const ARGS = { q: WORD }
  const stream = [
    ': keepalive\r\n\r\n',
    gemFrame(gemChunkJson([{ text: 'A' + WORD }])),
    gemFrame(gemChunkJson([{ text: 'B' }])),
    gemFrame(gemChunkJson([{ functionCall: { name: 'search', args: ARGS } }], { finish: 'STOP' })),
  ].join('')
  let split = false
  const { app } = await rig(t, 'gemini', (r, res) => split ? dribble(res, byteByByte(stream)) : { headers: EVENT_STREAM, frames: [stream] })
  const reference = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  split = true
  const got = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.notOk(got.text.includes('\uFFFD'), 'no U+FFFD')
  const deltas = chatPayloads(got.text).flatMap(c => (c.choices as Array<{ delta: Json }>).map(ch => ch.delta))
  t.equal(deltas.map(d => d.content ?? '').join(''), 'A' + WORD + 'B', 'text intact')
  const args = deltas.flatMap(d => (d.tool_calls as Array<{ function: { arguments?: string } }> | undefined) ?? []).map(c => c.function.arguments ?? '').join('')
  t.same(JSON.parse(args), ARGS, 'arguments intact')
  const stable = (text: string) => text.replace(/"created":\d+/g, '').replace(/"id":"[^"]*"/g, '')
  t.equal(stable(got.text), stable(reference.text), 'identical translated output')
})

t.test('sse-utf8-split — GEM client, ANTH backend one byte at a time', async t => {
  const WORD = '你好🌍'
  const stream = anthSse([...anthText(0, ['A', WORD]), ...anthTool(1, 'toolu_u', 'search', [JSON.stringify({ q: WORD })])], 'tool_use').frames!.join('')
  const { app } = await rig(t, 'anthropic', (r, res) => dribble(res, byteByByte(stream)))
  const chunks = gemPayloads((await post(app, GEM_STREAM, GEM_BODY, GOOG)).text)
  t.equal(partsOf(chunks).map(p => p.text ?? '').join(''), 'A' + WORD)
  t.same(partsOf(chunks).filter(p => p.functionCall !== undefined).map(p => (p.functionCall as Json).args), [{ q: WORD }])
})

t.test('keepalive — GEM client, silent upstream', async t => {
  const held = () => ({ ...anthSse(anthText(0, ['late']), 'end_turn'), holdAfter: 1 })
  for (const [path, pattern] of [[GEM_STREAM, /^: keepalive\n\n/m], ['/v1beta/models/client-model:streamGenerateContent', /^\[\n/]] as const) {
    const upstream = await startMockUpstream(t, held())
    const app = await startApp(t, oneBackend({ protocol: 'anthropic', url: upstream.url + '/v1' }), { keepaliveMs: 50 })
    const res = await request(app.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...GOOG }, body: JSON.stringify(GEM_BODY) })
    let text = ''
    res.body.setEncoding('utf8')
    res.body.on('data', (c: string) => { text += c })
    while (!pattern.test(text)) await once(res.body, 'data')
    upstream.release()
    await once(res.body, 'end')
    t.ok(text.indexOf('late') > 0, `${path}: a keep-alive while the upstream was silent, then the reply`)
    if (!path.includes('alt=sse')) t.equal(partsOf(JSON.parse(text) as Json[]).map(p => p.text).join(''), 'late', 'the array still parses')
  }
})
