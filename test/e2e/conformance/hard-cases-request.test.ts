// PROTOCOLS.md §7 hard cases about what reaches the backend (and whole replies), Chat ⇄
// Anthropic, end to end through the app: 6-9, 25-27, 30-32, 34.
import t, { type Test } from 'tap'
import { sealEnvelope } from '../../../src/canonical/signature.js'
import { json, startMockUpstream } from '../../helpers/mock-upstream.js'
import { startApp } from '../../helpers/start-app.js'
import {
  anthropicClient, anthSse, anthText, anthThinking, chatChunk, chatSse, chatToolStart, CHAT_REQUEST, CHAT_USAGE, CREATED,
  openaiClient, post, rig, upstreamBody, WEATHER_TOOL_ANTH, WEATHER_TOOL_CHAT,
} from './fixtures.js'

type Json = Record<string, unknown>
type AnthMsg = { role: string, content: string | Json[] }
type ChatMsg = { role: string, content?: unknown, tool_call_id?: string, tool_calls?: Array<{ id: string, function: { name: string, arguments: string } }> }

const ANTH_OK = json({ id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } })
const CHAT_OK = json({ id: 'chatcmpl-1', object: 'chat.completion', created: CREATED, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: CHAT_USAGE })

const blocksOf = (m: AnthMsg | undefined): Json[] => m === undefined ? [] : typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content

/** The Messages API's own request rules (§3.1): what a real Anthropic backend would 400 on. */
function checkAnthropicRules (t: Test, messages: AnthMsg[]): void {
  t.equal(messages[0]?.role, 'user', 'first message is user')
  messages.forEach((m, i) => {
    if (i > 0) t.not(m.role, messages[i - 1]?.role, 'roles alternate')
    t.ok(blocksOf(m).length > 0, 'no empty message')
    for (const b of blocksOf(m)) if (b.type === 'text') t.not(b.text, '', 'no empty text block')
  })
}

t.test('hard-case-6: empty text with tool calls never becomes an empty Anthropic text block', async t => {
  t.test('CHAT history assistant{content:"",tool_calls} → ANTH backend', async t => {
    const { app, upstream } = await rig(t, 'anthropic', ANTH_OK)
    const res = await openaiClient(app).chat.completions.create({
      model: 'm',
      tools: [WEATHER_TOOL_CHAT as never],
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'cold' },
        { role: 'assistant', content: [{ type: 'text', text: '' }] },
        { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'thanks' }] },
      ],
    })
    t.equal(res.choices[0]?.message.content, 'ok', 'accepted')
    const messages = upstreamBody(upstream).messages as AnthMsg[]
    checkAnthropicRules(t, messages)
    t.same(blocksOf(messages[1]).map(b => b.type), ['tool_use'])
  })

  t.test('CHAT backend whole reply content:"" + tool_calls → ANTH client', async t => {
    const { app } = await rig(t, 'openai-chat', json({ id: 'chatcmpl-1', object: 'chat.completion', created: CREATED, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] }, finish_reason: 'tool_calls' }], usage: CHAT_USAGE }))
    const msg = await anthropicClient(app).messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
    t.same(msg.content.map(b => b.type), ['tool_use'], 'no empty text block')
  })
})

t.test('hard-case-7: empty and string tool arguments become an input object', async t => {
  t.test('CHAT history → ANTH backend: "" → {}, JSON text → object', async t => {
    const { app, upstream } = await rig(t, 'anthropic', ANTH_OK)
    const res = await post(app, '/v1/chat/completions', {
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'now', arguments: '' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ] },
        { role: 'tool', tool_call_id: 'call_1', content: '12:00' },
        { role: 'tool', tool_call_id: 'call_2', content: 'cold' },
      ],
    })
    t.equal(res.status, 200)
    const uses = blocksOf((upstreamBody(upstream).messages as AnthMsg[])[1])
    t.same(uses.map(b => b.input), [{}, { city: 'Oslo' }], 'input is an object, never a JSON string')
  })

  t.test('CHAT history with non-object arguments → a 400 naming the call, not a bad upstream request', async t => {
    const { app, upstream } = await rig(t, 'anthropic', ANTH_OK)
    const res = await post(app, '/v1/chat/completions', {
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '"just a string"' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'x' },
      ],
    })
    t.equal(res.status, 400)
    t.match(JSON.parse(res.text), { error: { message: /messages\[1\]/ } })
    t.equal(upstream.requests.length, 0, 'nothing sent upstream')
  })

  t.test('CHAT backend call with no arguments → ANTH client input {}', async t => {
    const { app } = await rig(t, 'openai-chat', r => JSON.parse(r.body.toString()).stream === true
      ? chatSse([chatToolStart(0, 'call_n', 'now'), chatChunk({}, 'tool_calls')])
      : json({ id: 'chatcmpl-1', object: 'chat.completion', created: CREATED, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_n', type: 'function', function: { name: 'now', arguments: '' } }] }, finish_reason: 'tool_calls' }], usage: CHAT_USAGE }))
    const streamed = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    t.same(streamed.content.map(b => b.type === 'tool_use' ? b.input : b.type), [{}], 'streamed')
    const whole = await anthropicClient(app).messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
    t.same(whole.content.map(b => b.type === 'tool_use' ? b.input : b.type), [{}], 'whole')
  })
})

t.test('hard-case-8: thinking signatures are never forged, altered or forwarded to a foreign backend', async t => {
  t.test('ANTH client ← CHAT backend reasoning: the signature is a Switchyard envelope; replaying it to Chat sends no reasoning', async t => {
    const { app, upstream } = await rig(t, 'openai-chat', chatSse([chatChunk({ reasoning_content: 'Because 6*7.' }), chatChunk({ content: '42' }), chatChunk({}, 'stop')]))
    const first = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: '6*7?' }] }).finalMessage()
    const thinking = first.content[0]
    t.equal(thinking?.type, 'thinking')
    const signature = thinking?.type === 'thinking' ? thinking.signature : ''
    t.match(signature, /^swy1\./, 'a swy1. envelope, not a made-up Anthropic signature')
    await anthropicClient(app).messages.stream({
      model: 'm',
      max_tokens: 64,
      messages: [
        { role: 'user', content: '6*7?' },
        { role: 'assistant', content: [...first.content.map(b => b.type === 'thinking' ? { type: 'thinking' as const, thinking: b.thinking, signature: b.signature } : { type: 'text' as const, text: b.type === 'text' ? b.text : '' }), { type: 'thinking', thinking: 'native', signature: 'EqQBCkgIARABGAIiQL2pY1sig' }] },
        { role: 'user', content: 'and 6*8?' },
      ],
    }).finalMessage()
    const sent = JSON.stringify(upstreamBody(upstream))
    t.notMatch(sent, /swy1\.|EqQBCkgI|Because 6\*7|native/, 'no reasoning text, envelope or signature reaches the Chat backend')
    t.same((upstreamBody(upstream).messages as ChatMsg[]).map(m => [m.role, m.content]), [['user', '6*7?'], ['assistant', '42'], ['user', 'and 6*8?']])
  })

  t.test('CHAT client ← ANTH backend thinking: neither the signature nor the thinking text leaks', async t => {
    const { app } = await rig(t, 'anthropic', anthSse([...anthThinking(0, ['secret ', 'thoughts'], 'SIG_abc123'), ...anthText(1, ['42'])], 'end_turn'))
    const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
    t.notMatch(raw.text, /SIG_abc123|secret thoughts|secret /, 'nothing of the thinking block in the Chat stream')
    t.match(raw.text, /"content":"42"/)
  })

  t.test('ANTH client switching to an Anthropic backend mid-conversation', async t => {
    const chat = await startMockUpstream(t, chatSse([chatChunk({ reasoning_content: 'r' }), chatChunk({ content: 'a' }), chatChunk({}, 'stop')]))
    const anth = await startMockUpstream(t, ANTH_OK)
    const app = await startApp(t, { logging: { level: 'info' }, backends: [
      { name: 'gpt', protocol: 'openai-chat', url: chat.url + '/v1', match: { models: ['gpt-*'] } },
      { name: 'claude', protocol: 'anthropic', url: anth.url + '/v1', match: { models: ['claude-*'] } },
    ] })
    const client = anthropicClient(app)
    const first = await client.messages.stream({ model: 'gpt-x', max_tokens: 64, messages: [{ role: 'user', content: 'q' }] }).finalMessage()
    await client.messages.create({ model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: first.content as never }, { role: 'user', content: 'q2' }] })
    const sent = anth.requests[0]?.body.toString() ?? ''
    t.notMatch(sent, /swy1\./, 'no forged signature reaches Anthropic')
    t.notMatch(sent, /"thinking"/, 'the foreign thinking block is dropped')
    t.match(sent, /"text":"a"/, 'the rest of the turn is kept')
  })

  t.test('an envelope holding an Anthropic signature is restored byte for byte on passthrough', async t => {
    const anth = await startMockUpstream(t, ANTH_OK)
    const app = await startApp(t, { logging: { level: 'info' }, backends: [{ name: 'claude', protocol: 'anthropic', url: anth.url + '/v1' }] })
    const sealed = sealEnvelope({ family: 'anthropic', value: 'EqQBnative' }, 'original thinking')
    const native = { type: 'thinking', thinking: 'kept as is', signature: 'EqQBother' }
    await anthropicClient(app).messages.create({ model: 'claude-x', max_tokens: 64, messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'shown text', signature: sealed }, native, { type: 'text', text: 'a' }] as never },
      { role: 'user', content: 'q2' },
    ] })
    const body = JSON.parse(anth.requests[0]!.body.toString()) as { messages: Array<{ content: unknown }> }
    t.same(body.messages[1]!.content, [{ type: 'thinking', thinking: 'original thinking', signature: 'EqQBnative' }, native, { type: 'text', text: 'a' }])
  })
})

t.test('hard-case-9: tool results go first, all together, in the very next user message', async t => {
  const { app, upstream } = await rig(t, 'anthropic', ANTH_OK)
  const res = await post(app, '/v1/chat/completions', {
    model: 'm',
    messages: [
      { role: 'user', content: 'weather and time?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
        { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ] },
      { role: 'user', content: 'hurry up' },
      { role: 'tool', tool_call_id: 'call_b', content: '14:05' },
      { role: 'tool', tool_call_id: 'call_a', content: 'sunny' },
    ],
  })
  t.equal(res.status, 200)
  const messages = upstreamBody(upstream).messages as AnthMsg[]
  checkAnthropicRules(t, messages)
  t.equal(messages.length, 3)
  const next = blocksOf(messages[2])
  t.same(next.map(b => [b.type, b.tool_use_id ?? b.text]), [['tool_result', 'call_b'], ['tool_result', 'call_a'], ['text', 'hurry up']], 'results first, together, then the text')
})

t.test('hard-case-25: cache_control never leaks to a Chat backend', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', CHAT_OK)
  const res = await post(app, '/v1/messages', {
    model: 'm',
    max_tokens: 64,
    cache_control: { type: 'ephemeral' },
    system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral', ttl: '1h', scope: 'org' } }],
    tools: [{ ...WEATHER_TOOL_ANTH, cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'q', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {}, cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x', cache_control: { type: 'ephemeral', ttl: '5m' } }, { type: 'text', text: 'and?', cache_control: { type: 'ephemeral' } }] },
    ],
  })
  t.equal(res.status, 200)
  const sent = upstream.requests[0]?.body.toString() ?? ''
  t.notMatch(sent, /cache_control|ephemeral|"ttl"|"scope"/, 'no cache hints upstream')
  t.match(upstreamBody(upstream), { messages: [{ role: 'system', content: 'sys' }] })
})

t.test('hard-case-26: tool-call ids too long (or illegal) for the target are mapped, and still pair', async t => {
  t.test('ANTH client ids > 40 chars → CHAT backend', async t => {
    const { app, upstream } = await rig(t, 'openai-chat', CHAT_OK)
    const long = 'toolu_' + 'x'.repeat(58)
    await post(app, '/v1/messages', { model: 'm', max_tokens: 64, messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'tool_use', id: long, name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: long, content: 'r' }] },
    ] })
    const messages = upstreamBody(upstream).messages as ChatMsg[]
    const id = messages[1]?.tool_calls?.[0]?.id ?? ''
    t.ok(id.length > 0 && id.length <= 40, 'call id ≤ 40')
    t.equal(messages[2]?.tool_call_id, id, 'result pairs')
  })

  t.test('CHAT client ids with characters Anthropic rejects → ANTH backend', async t => {
    const { app, upstream } = await rig(t, 'anthropic', ANTH_OK)
    const odd = 'functions.get_weather:0'
    await post(app, '/v1/chat/completions', { model: 'm', messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, tool_calls: [{ id: odd, type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: odd, content: 'r' },
    ] })
    const messages = upstreamBody(upstream).messages as AnthMsg[]
    const id = blocksOf(messages[1])[0]?.id as string
    t.match(id, /^[a-zA-Z0-9_-]{1,64}$/, 'legal Anthropic id')
    t.equal(blocksOf(messages[2])[0]?.tool_use_id, id, 'result pairs')
  })
})

t.test('hard-case-27: the Claude Code billing header is stripped for non-Anthropic backends', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', CHAT_OK)
  const billing = { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197.e3f; cch=00000;' }
  await post(app, '/v1/messages?beta=true', { model: 'm', max_tokens: 64, system: [billing], messages: [{ role: 'user', content: 'q' }] })
  t.same((upstreamBody(upstream).messages as ChatMsg[]).map(m => m.role), ['user'], 'a header-only system prompt leaves no system message at all')
  await post(app, '/v1/messages?beta=true', { model: 'm', max_tokens: 64, system: [billing, { type: 'text', text: 'A' }, { type: 'text', text: 'B' }], messages: [{ role: 'user', content: 'q' }] })
  t.same(upstreamBody(upstream).messages, [{ role: 'system', content: 'A\n\nB' }, { role: 'user', content: 'q' }], 'the rest kept in order')
})

t.test('hard-case-30: thinking constraints for an Anthropic backend', async t => {
  const { app, upstream } = await rig(t, 'anthropic', ANTH_OK)
  const res = await post(app, '/v1/chat/completions', {
    model: 'm',
    reasoning_effort: 'low',
    max_completion_tokens: 500,
    temperature: 0.3,
    top_p: 0.5,
    tools: [WEATHER_TOOL_CHAT],
    tool_choice: 'required',
    messages: [{ role: 'user', content: 'q' }],
  })
  t.equal(res.status, 200)
  const body = upstreamBody(upstream) as { thinking: { type: string, budget_tokens: number }, max_tokens: number, temperature?: number, top_p?: number, top_k?: number, tool_choice?: Json }
  t.equal(body.thinking.type, 'enabled')
  t.ok(body.thinking.budget_tokens >= 1024, 'budget ≥ 1024')
  t.ok(body.max_tokens > body.thinking.budget_tokens, 'budget < max_tokens')
  t.ok(body.max_tokens - body.thinking.budget_tokens >= 500, 'room for the requested output')
  t.equal(body.temperature, undefined, 'no custom temperature')
  t.equal(body.top_p, undefined, 'top_p below 0.95 dropped')
  t.same(body.tool_choice, { type: 'auto' }, 'forced tool_choice downgraded to auto')
})

t.test('hard-case-31: max_tokens clamped to the backend output limit', async t => {
  t.test('ANTH client 64000 → CHAT backend maxOutputTokens 16384', async t => {
    const { app, upstream } = await rig(t, 'openai-chat', CHAT_OK, { maxOutputTokens: 16384 })
    await post(app, '/v1/messages', { model: 'm', max_tokens: 64000, messages: [{ role: 'user', content: 'q' }] })
    t.equal(upstreamBody(upstream).max_completion_tokens, 16384)
    await post(app, '/v1/messages', { model: 'm', max_tokens: 1000, messages: [{ role: 'user', content: 'q' }] })
    t.equal(upstreamBody(upstream).max_completion_tokens, 1000, 'a smaller ask is kept')
  })

  t.test('CHAT client → ANTH backend: cap, configured default, built-in default', async t => {
    const { app, upstream } = await rig(t, 'anthropic', ANTH_OK, { maxOutputTokens: 8192, defaultMaxTokens: 2048 })
    await post(app, '/v1/chat/completions', { model: 'm', max_tokens: 100000, messages: [{ role: 'user', content: 'q' }] })
    t.equal(upstreamBody(upstream).max_tokens, 8192, 'clamped to maxOutputTokens')
    await post(app, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'q' }] })
    t.equal(upstreamBody(upstream).max_tokens, 2048, 'defaultMaxTokens when the client sent none')
    await post(app, '/v1/chat/completions', { model: 'm', reasoning_effort: 'high', messages: [{ role: 'user', content: 'q' }] })
    const thinking = upstreamBody(upstream) as { max_tokens: number, thinking: { budget_tokens: number } }
    t.ok(thinking.max_tokens <= 8192 && thinking.thinking.budget_tokens < thinking.max_tokens && thinking.thinking.budget_tokens >= 1024, 'thinking fits under the cap')
    const plain = await rig(t, 'anthropic', ANTH_OK)
    await post(plain.app, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'q' }] })
    t.equal(upstreamBody(plain.upstream).max_tokens, 4096, 'built-in default without config')
  })
})

t.test('hard-case-32: orphan tool calls get a synthesised error result', async t => {
  t.test('CHAT client history → ANTH backend', async t => {
    const { app, upstream } = await rig(t, 'anthropic', ANTH_OK)
    await post(app, '/v1/chat/completions', { model: 'm', messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'f', arguments: '{}' } },
        { id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}' } },
      ] },
      { role: 'tool', tool_call_id: 'call_a', content: 'done' },
      { role: 'user', content: 'never mind' },
    ] })
    const messages = upstreamBody(upstream).messages as AnthMsg[]
    checkAnthropicRules(t, messages)
    t.same(blocksOf(messages[2]).map(b => [b.type, b.tool_use_id ?? b.text, b.is_error]), [
      ['tool_result', 'call_a', undefined], ['tool_result', 'call_b', true], ['text', 'never mind', undefined],
    ], 'the interrupted call is answered as an error')
  })

  t.test('ANTH client history → CHAT backend', async t => {
    const { app, upstream } = await rig(t, 'openai-chat', CHAT_OK)
    await post(app, '/v1/messages', { model: 'm', max_tokens: 64, messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'text', text: 'Running.' }, { type: 'tool_use', id: 'toolu_x', name: 'Bash', input: { command: 'sleep 100' } }] },
      { role: 'user', content: '[Request interrupted by user]' },
    ] })
    const messages = upstreamBody(upstream).messages as ChatMsg[]
    t.same(messages.map(m => [m.role, m.tool_call_id ?? m.content]), [
      ['user', 'q'], ['assistant', 'Running.'], ['tool', 'toolu_x'], ['user', '[Request interrupted by user]'],
    ])
    t.match(messages[2]?.content, /^Error: /, 'an error result')
  })
})

t.test('hard-case-34: role and turn hygiene for an Anthropic backend', async t => {
  const { app, upstream } = await rig(t, 'anthropic', ANTH_OK)
  const res = await post(app, '/v1/chat/completions', { model: 'm', messages: [
    { role: 'system', content: 'S' },
    { role: 'user', content: '' },
    { role: 'user', content: 'a' },
    { role: 'assistant', content: '' },
    { role: 'developer', content: 'D' },
    { role: 'user', content: 'b' },
    { role: 'assistant', content: 'c' },
    { role: 'assistant', content: 'd' },
    { role: 'user', content: [{ type: 'text', text: '' }] },
    { role: 'user', content: 'e' },
  ] })
  t.equal(res.status, 200)
  const body = upstreamBody(upstream) as { messages: AnthMsg[], system: Json[] }
  checkAnthropicRules(t, body.messages)
  t.same(body.messages.map(m => [m.role, blocksOf(m).map(b => b.text)]), [['user', ['a', 'b']], ['assistant', ['c', 'd']], ['user', ['e']]], 'empty turns dropped, same-role turns merged')
  t.same(body.system.map(b => b.text), ['S', 'D'], 'system and developer text hoisted, in order')
})
