// A Responses backend behind Chat and Anthropic clients (issue 4; PROTOCOLS.md §10 cases 2, 4,
// 26 with RESP as the backend, §7 case 29): length stop, mid-stream failure, reasoning order and
// signatures, parallel calls, arguments that only arrive in `.done` events.
import Anthropic from '@anthropic-ai/sdk'
import t from 'tap'
import { sealEnvelope } from '../../../src/canonical/signature.js'
import { json } from '../../helpers/mock-upstream.js'
import { respEvents, respFrame, respSse, respWhole } from '../../helpers/responses-sse.js'
import {
  anthPayloads, ANTH_REQUEST, anthropicClient, CHAT_REQUEST, chatPayloads, EVENT_STREAM, openaiClient, post, rig, upstreamBody,
} from './fixtures.js'

type Json = Record<string, unknown>

const ENCRYPTED = 'gAAAAABencrypted-blob'
/** ANTH_REQUEST typed for the SDK, without `stream` (the SDK method decides). */
const ANTH_PARAMS = { model: 'client-model', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hi' }] }
const USAGE = { input: 11, output: 7 }

t.test('anth-thinking-order — ANTH client, RESP backend reasoning', async t => {
  const { app, upstream } = await rig(t, 'openai-responses', respSse([
    { type: 'reasoning', summary: [['Thinking', ' hard.'], ['Second part.']], encrypted: ENCRYPTED },
    { type: 'message', pieces: ['42'] },
  ], { usage: USAGE }))
  const stream = anthropicClient(app).messages.stream({ ...ANTH_PARAMS, thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 4096 })
  const final = await stream.finalMessage()
  t.equal(final.content[0]?.type, 'thinking', 'thinking block first')
  const thinking = final.content[0] as Anthropic.ThinkingBlock
  t.equal(thinking.thinking, 'Thinking hard.\n\nSecond part.', 'summary parts joined')
  t.match(thinking.signature, /^swy1\./, 'the OpenAI proof rides in an envelope')
  t.match(final.content[1], { type: 'text', text: '42' })

  const raw = await post(app, '/v1/messages', { ...ANTH_REQUEST, thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 4096 })
  const events = anthPayloads(raw.text).map(p => p.data)
  const sigAt = events.findIndex(e => (e.delta as Json | undefined)?.type === 'signature_delta')
  const stopAt = events.findIndex(e => e.type === 'content_block_stop' && e.index === 0)
  const textAt = events.findIndex(e => e.type === 'content_block_start' && e.index === 1)
  t.ok(sigAt > 0 && sigAt < stopAt && stopAt < textAt, 'signature_delta, then the thinking block closes, then text opens')

  // Next turn: the envelope is opened and the OpenAI reasoning item replayed with its proof.
  await anthropicClient(app).messages.create({
    model: 'client-model',
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: final.content as Anthropic.ContentBlockParam[] }, { role: 'user', content: 'more' }],
  })
  const input = upstreamBody(upstream).input as Json[]
  const reasoning = input.find(i => i.type === 'reasoning')
  t.match(reasoning, { type: 'reasoning', encrypted_content: ENCRYPTED }, 'encrypted_content restored for its own family')
  t.notOk(input.some(i => 'id' in i), 'no item ids toward a stateless backend')
})

t.test('length stop — CHAT and ANTH clients, RESP backend incomplete', async t => {
  const script = respSse([{ type: 'message', pieces: ['Partial'] }], { status: 'incomplete', incompleteReason: 'max_output_tokens', usage: USAGE })
  const { app } = await rig(t, 'openai-responses', script)
  const chat = await openaiClient(app).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion()
  t.equal(chat.choices[0]?.finish_reason, 'length')
  t.equal(chat.choices[0]?.message.content, 'Partial')
  const anth = await anthropicClient(app).messages.stream(ANTH_PARAMS).finalMessage()
  t.equal(anth.stop_reason, 'max_tokens')
})

t.test('length stop — whole replies, RESP backend incomplete', async t => {
  const { app } = await rig(t, 'openai-responses', respWhole([{ type: 'message', pieces: ['Partial'] }], { status: 'incomplete', incompleteReason: 'max_output_tokens', usage: USAGE }))
  const chat = await openaiClient(app).chat.completions.create({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] })
  t.equal(chat.choices[0]?.finish_reason, 'length')
  const anth = await anthropicClient(app).messages.create(ANTH_PARAMS)
  t.equal(anth.stop_reason, 'max_tokens')
})

t.test('mid-stream failure — CHAT and ANTH clients, RESP backend response.failed', async t => {
  const events = respEvents([{ type: 'message', pieces: ['Hel', 'lo'] }], { status: 'failed', error: { code: 'server_error', message: 'The model crashed' } })
  // Drop the message's done events so the failure arrives with the text item still open.
  const frames = events.filter(e => e.type !== 'response.output_item.done' && e.type !== 'response.output_text.done' && e.type !== 'response.content_part.done').map(respFrame)
  const { app } = await rig(t, 'openai-responses', { headers: EVENT_STREAM, frames })
  const chatRaw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  const chunks = chatPayloads(chatRaw.text)
  t.ok(chunks.some(c => c.error !== undefined), 'Chat client gets an error chunk')
  t.notOk(chunks.some(c => ((c.choices as Json[] | undefined) ?? []).some(ch => ch.finish_reason !== null)), 'no made-up finish_reason')
  await t.rejects(openaiClient(app).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion(), { message: /The model crashed/ }, 'the SDK rejects with the upstream message')
  const anthRaw = await post(app, '/v1/messages', ANTH_REQUEST)
  const last = anthPayloads(anthRaw.text).at(-1)!
  t.equal(last.event, 'error')
  t.match(last.data, { type: 'error', error: { type: 'api_error', message: /The model crashed/ } })
})

t.test('upstream HTTP error — RESP backend 429 with retry-after, ANTH client', async t => {
  const { app } = await rig(t, 'openai-responses', json({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null } }, 429, { 'retry-after': '7' }))
  const raw = await post(app, '/v1/messages', ANTH_REQUEST)
  t.equal(raw.status, 429)
  t.equal(raw.headers['retry-after'], '7', 'retry-after passed through')
  t.match(JSON.parse(raw.text), { type: 'error', error: { type: 'rate_limit_error', message: /Rate limit reached/ } })
})

t.test('chat-tool-parallel-contiguous — CHAT client, RESP backend', async t => {
  const a = JSON.stringify({ city: 'Paris' })
  const b = JSON.stringify({ tz: 'CET' })
  const { app } = await rig(t, 'openai-responses', respSse([
    { type: 'function_call', callId: 'call_a', name: 'get_weather', pieces: [a.slice(0, 4), a.slice(4)] },
    { type: 'function_call', callId: 'call_b', name: 'get_time', pieces: [b] },
  ], { usage: USAGE }))
  const s = openaiClient(app).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] })
  const done: string[] = []
  s.on('tool_calls.function.arguments.done', e => done.push(e.arguments))
  const final = await s.finalChatCompletion()
  t.same(done, [a, b], 'arguments.done fires twice with complete arguments')
  t.equal(final.choices[0]?.finish_reason, 'tool_calls')
  t.same(final.choices[0]?.message.tool_calls?.map(c => c.type === 'function' ? [c.id, c.function.name] : []), [['call_a', 'get_weather'], ['call_b', 'get_time']])
})

t.test('chat-usage-chunk — CHAT client, RESP backend', async t => {
  const { app } = await rig(t, 'openai-responses', respSse([{ type: 'message', pieces: ['hi'] }], { usage: { input: 11, output: 9, cached: 4, reasoning: 2 } }))
  const raw = await post(app, '/v1/chat/completions', { ...CHAT_REQUEST, stream_options: { include_usage: true } })
  const chunks = chatPayloads(raw.text)
  const empty = chunks.filter(c => Array.isArray(c.choices) && c.choices.length === 0)
  t.equal(empty.length, 1, 'exactly one choices:[] chunk')
  t.match(empty[0]?.usage, { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } })
})

t.test('hard-case-29: arguments only in .done events still reach the client', async t => {
  const args = JSON.stringify({ city: 'Paris' })
  // An upstream that sends no argument deltas: only output_item.added and the complete item.
  const events = respEvents([{ type: 'function_call', callId: 'call_x', name: 'get_weather', pieces: [args] }], { usage: USAGE })
    .filter(e => e.type !== 'response.function_call_arguments.delta')
  const { app } = await rig(t, 'openai-responses', { headers: EVENT_STREAM, frames: events.map(respFrame) })
  const final = await anthropicClient(app).messages.stream(ANTH_PARAMS).finalMessage()
  t.match(final.content[0], { type: 'tool_use', id: 'call_x', name: 'get_weather', input: { city: 'Paris' } })
  t.equal(final.stop_reason, 'tool_use')
})

t.test('RESP backend request: Anthropic client with Claude Code-like tools and system', async t => {
  const { app, upstream } = await rig(t, 'openai-responses', respSse([{ type: 'message', pieces: ['ok'] }], { usage: USAGE }))
  await anthropicClient(app).messages.stream({
    model: 'client-model',
    max_tokens: 32000,
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
    tools: [{ name: 'Read', description: 'Read a file', input_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'read a.txt', cache_control: { type: 'ephemeral' } }] }],
  }).finalMessage()
  const body = upstreamBody(upstream)
  t.equal(upstream.requests[0]?.url, '/v1/responses')
  t.equal(body.instructions, 'You are Claude Code.', 'system becomes instructions')
  t.equal(body.max_output_tokens, 32000)
  t.notOk(JSON.stringify(body).includes('cache_control'), 'no cache_control leaks')
  t.match(body.tools, [{ type: 'function', name: 'Read', strict: false, parameters: { type: 'object' } }])
  t.equal(body.store, false)
})

t.test('hard-case-8: Responses passthrough restores OpenAI proofs and drops foreign envelopes', async t => {
  const { app, upstream } = await rig(t, 'openai-responses', respSse([{ type: 'message', pieces: ['ok'] }], { usage: USAGE }))
  const own = sealEnvelope({ family: 'openai', value: ENCRYPTED }, 'mine')
  const foreign = sealEnvelope({ family: 'anthropic', value: 'EqQBsig' }, 'theirs')
  const summary = [{ type: 'summary_text', text: 'x' }]
  const raw = await post(app, '/v1/responses', {
    model: 'client-model',
    stream: true,
    input: [
      { role: 'user', content: 'hi' },
      { type: 'reasoning', summary, encrypted_content: foreign },
      { type: 'reasoning', summary, encrypted_content: own },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'again' },
    ],
  })
  t.equal(raw.status, 200)
  const input = upstreamBody(upstream).input as Json[]
  t.same(input.filter(i => i.type === 'reasoning'), [{ type: 'reasoning', summary, encrypted_content: ENCRYPTED }], 'own proof restored, foreign item dropped')
  t.equal(input.length, 4)
})
