// PROTOCOLS.md §10 conformance cases 5, 23, 25, 27-31 and 33: an Anthropic Messages client (the
// @anthropic-ai/sdk, @ai-sdk/anthropic, or raw undici simulating Claude Code) in front of a Chat
// Completions backend — and, for count_tokens, an Anthropic one.
import { createAnthropic } from '@ai-sdk/anthropic'
import Anthropic from '@anthropic-ai/sdk'
import { jsonSchema, streamText, tool } from 'ai'
import t, { type Test } from 'tap'
import { json } from '../../helpers/mock-upstream.js'
import {
  anthPayloads, ANTH_REQUEST, anthropicClient, chatChunk, chatSse, chatToolArgs, chatToolStart, EVENT_STREAM, parseSse,
  post, rig, upstreamBody, WEATHER_TOOL_ANTH, WEATHER_TOOL_CHAT,
} from './fixtures.js'

type Json = Record<string, unknown>

/** The content_block_start blocks of an Anthropic stream, with their indexes. */
function starts (text: string): Array<{ index: number, block: Json }> {
  return anthPayloads(text).filter(p => p.data.type === 'content_block_start').map(p => ({ index: p.data.index as number, block: p.data.content_block as Json }))
}

/** Replays start/delta/stop to check: dense indexes in start order, one block open at a time. */
function checkBlockGrammar (t: Test, text: string): void {
  let open: number | undefined
  let next = 0
  for (const { data } of anthPayloads(text)) {
    if (data.type === 'content_block_start') {
      t.equal(open, undefined, `block ${String(data.index)} opens while none is open`)
      t.equal(data.index, next++, 'indexes dense, in start order')
      open = data.index as number
    } else if (data.type === 'content_block_delta') {
      t.equal(data.index, open, 'delta targets the open block')
    } else if (data.type === 'content_block_stop') {
      t.equal(data.index, open, 'stop closes the open block')
      open = undefined
    }
  }
  t.equal(open, undefined, 'no block left open')
}

t.test('chat-tool-interleaved-upstream — ANTH client, CHAT backend', async t => {
  const a = JSON.stringify({ city: 'Paris', unit: 'c' })
  const b = JSON.stringify({ tz: 'Europe/Paris' })
  const { app } = await rig(t, 'openai-chat', chatSse([
    chatToolStart(0, 'call_a', 'get_weather'),
    chatToolStart(1, 'call_b', 'get_time'),
    chatToolArgs(0, a.slice(0, 7)),
    chatToolArgs(1, b.slice(0, 5)),
    chatToolArgs(0, a.slice(7)),
    chatToolArgs(1, b.slice(5)),
    chatChunk({}, 'tool_calls'),
  ]))
  const raw = await post(app, '/v1/messages', ANTH_REQUEST)
  checkBlockGrammar(t, raw.text)
  t.same(starts(raw.text).map(s => [s.block.type, s.block.id, s.block.name]), [['tool_use', 'call_a', 'get_weather'], ['tool_use', 'call_b', 'get_time']], 'two sequential tool_use blocks')

  const final = await anthropicClient(app).messages.stream({ model: 'client-model', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
  t.same(final.content.map(b => b.type === 'tool_use' ? [b.id, b.name, b.input] : [b.type]), [['call_a', 'get_weather', { city: 'Paris', unit: 'c' }], ['call_b', 'get_time', { tz: 'Europe/Paris' }]], 'correct inputs')
  t.equal(final.stop_reason, 'tool_use')
})

t.test('anth-text-stream — ANTH client, CHAT backend', async t => {
  const { app } = await rig(t, 'openai-chat', chatSse([chatChunk({ content: 'Hello ' }), chatChunk({ content: 'world 你好' }), chatChunk({}, 'stop')]))
  const final = await anthropicClient(app).messages.stream({ model: 'client-model', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
  t.equal(final.content.length, 1, 'finalMessage resolves with one block')
  t.equal(final.content[0]?.type === 'text' ? final.content[0].text : undefined, 'Hello world 你好')
  t.equal(final.stop_reason, 'end_turn')

  const raw = await post(app, '/v1/messages', ANTH_REQUEST)
  const records = parseSse(raw.text)
  t.ok(records.length > 5)
  for (const r of records) {
    t.equal(r.fields.filter(f => f === 'event').length, 1, 'every record has one event: line')
    t.equal(r.event, (JSON.parse(r.data ?? '{}') as Json).type, `event: ${String(r.event)} equals data.type`)
  }
  const payloads = anthPayloads(raw.text)
  t.match(payloads[0]?.data, { type: 'message_start', message: { usage: { input_tokens: Number, output_tokens: Number }, content: [] } }, 'message_start.usage present')
  t.match(payloads.find(p => p.data.type === 'message_delta')?.data, { usage: { output_tokens: 7 } }, 'message_delta.usage.output_tokens present')
  t.equal(payloads.at(-1)?.data.type, 'message_stop', 'ends with message_stop')
})

t.test('anth-parallel-tools — ANTH client, CHAT backend', async t => {
  const { app } = await rig(t, 'openai-chat', chatSse([
    chatChunk({ content: 'Let me check.' }),
    chatToolStart(0, 'call_w', 'get_weather'),
    chatToolArgs(0, '{"city":'),
    chatToolArgs(0, '"Paris"}'),
    chatToolStart(1, 'call_t', 'get_time'),
    chatToolArgs(1, '{"tz":"Europe/Paris"}'),
    chatChunk({}, 'tool_calls'),
  ]))
  const raw = await post(app, '/v1/messages', { ...ANTH_REQUEST, tools: [WEATHER_TOOL_ANTH, { name: 'get_time', input_schema: { type: 'object' } }] })
  checkBlockGrammar(t, raw.text)
  const blocks = starts(raw.text)
  t.same(blocks.map(b => b.index), [0, 1, 2], 'indexes 0..n dense')
  const ids = blocks.filter(b => b.block.type === 'tool_use').map(b => b.block.id as string)
  t.equal(ids.length, 2)
  t.equal(new Set(ids).size, 2, 'unique tool_use ids')
  t.ok(ids.every(id => /^[a-zA-Z0-9_-]+$/.test(id)), 'ids legal for Anthropic')
  const final = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
  t.same(final.content.map(b => b.type === 'tool_use' ? b.input : b.type === 'text' ? b.text : b.type), ['Let me check.', { city: 'Paris' }, { tz: 'Europe/Paris' }])
  t.equal(final.stop_reason, 'tool_use')
})

t.test('anth-no-empty-text — ANTH client, CHAT backend (upstream content:"" with tool calls)', async t => {
  const { app } = await rig(t, 'openai-chat', chatSse([
    chatChunk({ content: '', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
    chatChunk({ content: '', tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }),
    chatChunk({ content: '' }, 'tool_calls'),
  ]))
  const raw = await post(app, '/v1/messages', { ...ANTH_REQUEST, tools: [WEATHER_TOOL_ANTH] })
  t.same(starts(raw.text).map(s => s.block.type), ['tool_use'], 'no text block at all')
  t.notOk(anthPayloads(raw.text).some(p => p.data.type === 'content_block_delta' && (p.data.delta as Json).type === 'text_delta'), 'no text deltas')
})

t.test('anth-no-empty-text — CHAT client history assistant{content:"",tool_calls} to ANTH backend', async t => {
  const { app, upstream } = await rig(t, 'anthropic', json({ id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }))
  const res = await post(app, '/v1/chat/completions', {
    model: 'client-model',
    tools: [WEATHER_TOOL_CHAT],
    messages: [
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    ],
  })
  t.equal(res.status, 200)
  const messages = upstreamBody(upstream).messages as Array<{ role: string, content: Json[] | string }>
  const assistant = messages.find(m => m.role === 'assistant')
  t.same((assistant?.content as Json[]).map(b => b.type), ['tool_use'], 'only the tool_use block')
  for (const m of messages) {
    for (const b of typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content) {
      if (b.type === 'text') t.not(b.text, '', 'no empty text block anywhere')
    }
  }
})

t.test('anth-error-event — ANTH client, CHAT backend', async t => {
  const errorChunk = (error: Json) => 'data: ' + JSON.stringify({ error }) + '\n\n'
  const { app } = await rig(t, 'openai-chat', r => {
    const overloaded = (JSON.parse(r.body.toString()) as { max_tokens?: number, max_completion_tokens?: number }).max_completion_tokens === 99
    return {
      headers: EVENT_STREAM,
      frames: [
        chatChunk({ role: 'assistant', content: '' }),
        chatChunk({ content: 'Half an ans' }),
        errorChunk(overloaded
          ? { message: 'The server is overloaded', type: 'server_error', param: null, code: 'server_overloaded' }
          : { message: 'Something broke', type: 'server_error', param: null, code: null }),
      ],
    }
  })
  const raw = await post(app, '/v1/messages', ANTH_REQUEST)
  t.equal(raw.status, 200, 'HTTP status stays 200')
  const last = parseSse(raw.text).at(-1)
  t.equal(last?.event, 'error', 'event: error')
  t.match(JSON.parse(last?.data ?? '{}'), { type: 'error', error: { type: 'api_error', message: 'Something broke' } })
  t.notMatch(raw.text, /message_stop/, 'no message_stop after the error')

  const raw2 = await post(app, '/v1/messages', { ...ANTH_REQUEST, max_tokens: 99 })
  t.match(JSON.parse(parseSse(raw2.text).at(-1)?.data ?? '{}'), { type: 'error', error: { type: 'overloaded_error', message: 'The server is overloaded' } })

  const err = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] }).finalMessage().catch((e: unknown) => e)
  t.ok(err instanceof Anthropic.APIError, 'the SDK throws APIError')
  t.match((err as Error).message, /Something broke/)
})

t.test('anth-529 — ANTH client, CHAT backend', async t => {
  const { app } = await rig(t, 'openai-chat', json({ error: { message: 'Service overloaded', type: 'server_error', param: null, code: 'server_overloaded' } }, 503, { 'retry-after': '3' }))
  const raw = await post(app, '/v1/messages', ANTH_REQUEST)
  t.equal(raw.status, 529, 'HTTP 529')
  t.match(JSON.parse(raw.text), { type: 'error', error: { type: 'overloaded_error', message: 'Service overloaded' } })
  t.equal(raw.headers['retry-after'], '3', 'retry-after passed through')
  const err = await anthropicClient(app).messages.create({ model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
  t.ok(err instanceof Anthropic.APIError && err.status === 529, 'the SDK sees 529')
  t.equal((err as InstanceType<typeof Anthropic.APIError>).type, 'overloaded_error')
})

t.test('anth-count-tokens — ANTH client, CHAT backend: local estimate', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', json({}))
  const body = { model: 'client-model', system: 'You are terse.', messages: [{ role: 'user', content: 'How many tokens is this sentence?' }], tools: [WEATHER_TOOL_ANTH] }
  const raw = await post(app, '/v1/messages/count_tokens?beta=true', body, { 'anthropic-beta': 'token-counting-2024-11-01,made-up-beta-2099-01-01' })
  t.equal(raw.status, 200)
  const count = JSON.parse(raw.text) as { input_tokens: number }
  t.ok(Number.isInteger(count.input_tokens) && count.input_tokens > 0, '{input_tokens:int>0}')
  t.same(Object.keys(count), ['input_tokens'])
  const bigger = JSON.parse((await post(app, '/v1/messages/count_tokens', { ...body, messages: [{ role: 'user', content: 'word '.repeat(500) }] })).text) as { input_tokens: number }
  t.ok(bigger.input_tokens > count.input_tokens + 400, 'the estimate grows with the prompt')
  const sdk = await anthropicClient(app).beta.messages.countTokens({ model: 'client-model', messages: [{ role: 'user', content: 'hello' }], betas: ['unknown-beta-1'] })
  t.ok(sdk.input_tokens > 0, 'the SDK (?beta=true) gets a count')
  t.equal(upstream.requests.length, 0, 'a Chat backend is never asked')
})

t.test('anth-count-tokens — ANTH client, ANTH backend: forwarded', async t => {
  const { app, upstream } = await rig(t, 'anthropic', json({ input_tokens: 1234 }))
  const raw = await post(app, '/v1/messages/count_tokens?beta=true', { model: 'client-model', messages: [{ role: 'user', content: 'hi' }] }, { 'anthropic-beta': 'token-counting-2024-11-01' })
  t.equal(raw.status, 200)
  t.same(JSON.parse(raw.text), { input_tokens: 1234 }, "the backend's own count")
  t.equal(upstream.requests.length, 1)
  t.equal(upstream.requests[0]?.url, '/v1/messages/count_tokens?beta=true', 'forwarded to count_tokens, query kept')
  t.equal(upstream.requests[0]?.headers['anthropic-beta'], 'token-counting-2024-11-01', 'betas forwarded unchanged to an Anthropic upstream (§8)')
  t.equal(upstream.requests[0]?.headers['x-api-key'], 'upstream-key', "the backend's credential, not the client's")
  t.same(upstreamBody(upstream).messages, [{ role: 'user', content: 'hi' }])
})

t.test('anth-ai-sdk — @ai-sdk/anthropic client, CHAT backend', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', chatSse([
    chatChunk({ content: 'Checking the weather.' }),
    chatToolStart(0, 'call_w', 'get_weather'),
    chatToolArgs(0, '{"city":"Pa'),
    chatToolArgs(0, 'ris"}'),
    chatChunk({}, 'tool_calls'),
  ], { usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } }))
  const provider = createAnthropic({ baseURL: app.url + '/v1', apiKey: 'client-key' })
  const result = streamText({
    model: provider('claude-sonnet-4-5'),
    prompt: 'Weather in Paris?',
    maxRetries: 0,
    tools: { get_weather: tool({ description: 'Weather', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) }) },
  })
  const parts: Array<{ type: string, [k: string]: unknown }> = []
  for await (const part of result.fullStream) parts.push(part as never)
  const errors = parts.filter(p => p.type === 'error')
  t.same(errors, [], 'no error parts (no "Type validation failed")')
  t.same(parts.filter(p => p.type === 'tool-call').map(p => [p.toolCallId, p.toolName, p.input]), [['call_w', 'get_weather', { city: 'Paris' }]], 'tool-call part')
  t.equal(await result.text, 'Checking the weather.')
  const finish = parts.find(p => p.type === 'finish') as { finishReason?: string, totalUsage?: { inputTokens?: number, outputTokens?: number } } | undefined
  t.equal(finish?.finishReason, 'tool-calls')
  t.match(finish?.totalUsage, { inputTokens: 40, outputTokens: 12 }, 'usage carried')
  t.match(upstreamBody(upstream), { stream: true, tools: [{ type: 'function', function: { name: 'get_weather' } }] })
})

t.test('claude-code-billing-header — ANTH client (Claude Code request), CHAT backend', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', chatSse([chatChunk({ content: 'done' }), chatChunk({}, 'stop')]))
  const raw = await post(app, '/v1/messages?beta=true', {
    model: 'claude-sonnet-4-5',
    max_tokens: 32000,
    stream: true,
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197.a1b; cc_entrypoint=cli; cch=4f2e9;' },
      { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Project notes: use tabs.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }],
    metadata: { user_id: 'user_abc_account__session_123' },
  }, {
    'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14',
    'x-app': 'cli',
    'user-agent': 'claude-cli/2.1.197 (external, cli)',
    authorization: 'Bearer client-token',
  })
  t.equal(raw.status, 200)
  t.match(raw.text, /event: message_stop/)
  const body = upstreamBody(upstream) as { messages: Array<{ role: string, content: unknown }> }
  const text = JSON.stringify(body)
  t.notMatch(text, /x-anthropic-billing-header|cc_version|cch=/, 'the billing header is not sent upstream')
  const system = body.messages.filter(m => m.role === 'system')
  t.same(system, [{ role: 'system', content: "You are Claude Code, Anthropic's official CLI for Claude.\n\nProject notes: use tabs." }], 'other system text preserved, in order')
  t.equal(body.messages[0]?.role, 'system')
})
