// PROTOCOLS.md §10 conformance cases 44 (usage-mapping) and 45 (tool-id-length) for the
// Chat ⇄ Anthropic pairs, streaming and whole.
import t from 'tap'
import { json } from '../../helpers/mock-upstream.js'
import {
  anthEnd, anthMessageStart, anthPayloads, EVENT_STREAM, ANTH_REQUEST, anthropicClient, anthText, chatChunk, chatPayloads, chatSse, chatToolStart, chatToolArgs, CHAT_REQUEST,
  CREATED, openaiClient, post, rig, upstreamBody,
} from './fixtures.js'

type Json = Record<string, unknown>

t.test('usage-mapping — ANTH client, CHAT backend (cached_tokens 800 of prompt_tokens 1000)', async t => {
  const usage = { prompt_tokens: 1000, completion_tokens: 50, total_tokens: 1050, prompt_tokens_details: { cached_tokens: 800 }, completion_tokens_details: { reasoning_tokens: 20 } }
  const { app } = await rig(t, 'openai-chat', r => JSON.parse(r.body.toString()).stream === true
    ? chatSse([chatChunk({ content: 'ok' }), chatChunk({}, 'stop')], { usage })
    : json({ id: 'chatcmpl-1', object: 'chat.completion', created: CREATED, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage }))
  const raw = await post(app, '/v1/messages', ANTH_REQUEST)
  const delta = anthPayloads(raw.text).find(p => p.data.type === 'message_delta')?.data
  t.match(delta?.usage, { input_tokens: 200, cache_read_input_tokens: 800, cache_creation_input_tokens: 0, output_tokens: 50 }, 'streamed: message_delta usage')
  const streamed = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
  t.match(streamed.usage, { input_tokens: 200, cache_read_input_tokens: 800, output_tokens: 50 }, 'the SDK accumulates the same')
  const whole = await anthropicClient(app).messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
  t.match(whole.usage, { input_tokens: 200, cache_read_input_tokens: 800, cache_creation_input_tokens: 0, output_tokens: 50 }, 'whole reply')
})

t.test('usage-mapping — CHAT client, ANTH backend, whole (the reverse sums back)', async t => {
  const anthUsage = { input_tokens: 200, cache_read_input_tokens: 800, cache_creation_input_tokens: 0, output_tokens: 50 }
  const { app } = await rig(t, 'anthropic', json({ id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: anthUsage }))
  const whole = await openaiClient(app).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
  t.match(whole.usage, { prompt_tokens: 1000, completion_tokens: 50, total_tokens: 1050, prompt_tokens_details: { cached_tokens: 800 } }, 'whole: prompt_tokens = input + cache_read')
})

t.test('usage-mapping — CHAT client, ANTH backend, streamed with cache counts in message_start', async t => {
  const { app } = await rig(t, 'anthropic', {
    headers: EVENT_STREAM,
    frames: [
      anthMessageStart({ input_tokens: 200, output_tokens: 1, cache_creation_input_tokens: 100, cache_read_input_tokens: 800 }),
      ...anthText(0, ['ok']),
      ...anthEnd('end_turn', { output_tokens: 50 }),
    ],
  })
  const raw = await post(app, '/v1/chat/completions', { ...CHAT_REQUEST, stream_options: { include_usage: true } })
  const usage = chatPayloads(raw.text).at(-1)?.usage as Json | undefined
  t.match(usage, { prompt_tokens: 1100, completion_tokens: 50, total_tokens: 1150, prompt_tokens_details: { cached_tokens: 800, cache_write_tokens: 100 } }, 'prompt_tokens = input + cache_read + cache_creation')
  const final = await openaiClient(app).chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } }).finalChatCompletion()
  t.match(final.usage, { prompt_tokens: 1100, completion_tokens: 50 }, 'the SDK sees the same')
})

const LONG_A = 'toolu_' + 'A'.repeat(50)
const LONG_B = 'toolu_' + 'B'.repeat(50)

function anthHistory (ids: readonly string[]): Json {
  return {
    model: 'client-model',
    max_tokens: 64,
    messages: [
      { role: 'user', content: 'weather and time?' },
      { role: 'assistant', content: ids.map((id, i) => ({ type: 'tool_use', id, name: i === 0 ? 'get_weather' : 'get_time', input: { i } })) },
      { role: 'user', content: ids.map((id, i) => ({ type: 'tool_result', tool_use_id: id, content: 'result ' + i })) },
    ],
  }
}

type ChatMsg = { role: string, tool_call_id?: string, content?: unknown, tool_calls?: Array<{ id: string, function: { name: string } }> }

t.test('tool-id-length — CHAT backend, ANTH client history with ids > 40 chars', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', chatSse([
    chatToolStart(0, 'call_' + 'x'.repeat(55), 'get_weather'),
    chatToolArgs(0, '{}'),
    chatChunk({}, 'tool_calls'),
  ]))
  t.ok(LONG_A.length > 40 && LONG_A.length <= 64, 'a legal Anthropic id, too long for OpenAI')
  const raw = await post(app, '/v1/messages', { ...anthHistory([LONG_A, LONG_B, 'toolu_short']), stream: true })
  t.equal(raw.status, 200)
  const first = upstreamBody(upstream).messages as ChatMsg[]
  const calls = first.find(m => m.role === 'assistant')?.tool_calls ?? []
  const results = first.filter(m => m.role === 'tool')
  t.equal(calls.length, 3)
  t.ok(calls.every(c => c.id.length <= 40), 'upstream call ids ≤ 40')
  t.equal(calls[2]?.id, 'toolu_short', 'short ids pass verbatim')
  t.equal(new Set(calls.map(c => c.id)).size, 3, 'distinct ids stay distinct')
  t.same(results.map(r => r.tool_call_id), calls.map(c => c.id), 'results still pair with their calls')
  t.same(results.map(r => r.content), ['result 0', 'result 1', 'result 2'])

  // The next turn maps the same ids the same way (no per-request table to lose).
  await post(app, '/v1/messages', { ...anthHistory([LONG_A, LONG_B, 'toolu_short']), stream: true })
  const second = upstreamBody(upstream).messages as ChatMsg[]
  t.same(second.find(m => m.role === 'assistant')?.tool_calls?.map(c => c.id), calls.map(c => c.id), 'deterministic mapping')

  // What the client sees is the upstream's new call id, untouched, whatever its length.
  const ids = anthPayloads(raw.text).filter(p => p.data.type === 'content_block_start').map(p => (p.data.content_block as Json).id)
  t.same(ids, ['call_' + 'x'.repeat(55)], 'the client sees the id the backend minted')
  // …and sent back in the next turn, it reaches the upstream mapped to ≤ 40 characters.
  const minted = ids[0] as string
  await post(app, '/v1/messages', { ...anthHistory([minted]), stream: true })
  const third = upstreamBody(upstream).messages as ChatMsg[]
  const replayed = third.find(m => m.role === 'assistant')?.tool_calls?.[0]?.id ?? ''
  t.ok(replayed.length <= 40, 'replayed id fits')
  t.equal(third.find(m => m.role === 'tool')?.tool_call_id, replayed, 'and pairs with its result')
})
