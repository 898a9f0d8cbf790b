// PROTOCOLS.md §10 conformance cases 11-22: a Responses client (the openai SDK, @ai-sdk/openai,
// raw undici for event-level checks, and Codex CLI's request shapes) in front of Chat,
// Anthropic and Responses backends. Every raw stream is also run through the openai-node 7.x
// item-identity rules (test/helpers/responses-strict.ts).
import { createOpenAI } from '@ai-sdk/openai'
import { generateText } from 'ai'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { json } from '../../helpers/mock-upstream.js'
import { respSse } from '../../helpers/responses-sse.js'
import { strictCheck } from '../../helpers/responses-strict.js'
import {
  anthBlock, anthEvent, anthMessageStart, anthSse, anthText, anthThinking, anthTool, chatChunk, chatSse, chatToolArgs,
  chatToolStart, EVENT_STREAM, openaiClient, parseSse, post, rig, upstreamBody,
} from './fixtures.js'

type Json = Record<string, unknown>

const TEXT_PIECES = ['Hello from', ' upstream — ', '你好', '🌍!']
const TEXT = TEXT_PIECES.join('')
const SIGNATURE = 'EqQBCkgIARABGAIiQL2pY1sig=='
const THINKING = ['The user wants', ' the weather.']
const RESP_REQUEST = { model: 'client-model', stream: true, input: 'hi' }

/** The events of a Responses stream; every record's `event:` line must equal `data.type` (§2.3). */
function respEvents (t: Test, text: string): Json[] {
  const records = parseSse(text).filter(r => r.data !== undefined)
  const events = records.map(r => JSON.parse(r.data as string) as Json)
  t.ok(records.every((r, i) => r.event === events[i]!.type), 'every event: line equals data.type')
  t.notOk(text.includes('[DONE]'), 'no [DONE] in a Responses stream')
  return events
}

function valid (t: Test, events: readonly Json[]): void {
  const frames = events.map(e => ({ event: String(e.type), data: JSON.stringify(e) }))
  t.same(strictCheck(frames).problems, [], 'passes the openai-node 7.x stream rules')
}

/** The `output_item.done` items of a stream, in output_index order. */
function doneItems (events: readonly Json[]): Json[] {
  const out: Json[] = []
  for (const e of events) if (e.type === 'response.output_item.done') out[e.output_index as number] = e.item as Json
  return out
}

const types = (events: readonly Json[]) => events.map(e => e.type)

for (const [backend, script] of [
  ['CHAT', () => ({ protocol: 'openai-chat' as const, script: chatSse([...TEXT_PIECES.map(content => chatChunk({ content })), chatChunk({}, 'stop')]) })],
  ['ANTH', () => ({ protocol: 'anthropic' as const, script: anthSse(anthText(0, TEXT_PIECES), 'end_turn') })],
  ['RESP', () => ({ protocol: 'openai-responses' as const, script: respSse([{ type: 'message', pieces: TEXT_PIECES }], { usage: { input: 11, output: 7 } }) })],
] as const) {
  t.test(`resp-text-stream — RESP client, ${backend} backend`, async t => {
    const { protocol, script: reply } = script()
    const { app } = await rig(t, protocol, reply)
    const final = await openaiClient(app).responses.stream({ model: 'client-model', input: 'hi' }).finalResponse()
    t.equal(final.output_text, TEXT, 'output_text equals the upstream text')
    t.equal(final.status, 'completed')
    const raw = await post(app, '/v1/responses', RESP_REQUEST)
    t.equal(raw.status, 200)
    const events = respEvents(t, raw.text)
    valid(t, events)
    for (const type of ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']) {
      t.ok(types(events).includes(type), `has ${type}`)
    }
    t.same(events.map(e => e.sequence_number), events.map((_, i) => i), 'sequence_number 0..n contiguous')
  })

  t.test(`resp-completed-full-output — RESP client, ${backend} backend`, async t => {
    const { protocol, script: reply } = script()
    const { app } = await rig(t, protocol, reply)
    const events = respEvents(t, (await post(app, '/v1/responses', RESP_REQUEST)).text)
    const completed = events.at(-1)!
    t.equal(completed.type, 'response.completed')
    const response = completed.response as Json
    t.same(response.output, doneItems(events), 'response.output deep-equals the output_item.done items')
    t.match(response.usage, { input_tokens: Number, output_tokens: Number, total_tokens: Number }, 'usage with the three totals')
    t.equal(response.id, (events[0]!.response as Json).id, 'one response id from created to completed')
  })
}

t.test('resp-item-identity — RESP client, ANTH backend (thinking, text, two calls)', async t => {
  const { app } = await rig(t, 'anthropic', anthSse([
    ...anthThinking(0, THINKING, SIGNATURE),
    ...anthText(1, ['Checking.']),
    ...anthTool(2, 'toolu_01A', 'get_weather', ['{"city":', '"Paris"}']),
    ...anthTool(3, 'toolu_02B', 'get_time', ['{"tz":"CET"}']),
  ], 'tool_use'))
  const events = respEvents(t, (await post(app, '/v1/responses', RESP_REQUEST)).text)
  valid(t, events)
  const added = events.filter(e => e.type === 'response.output_item.added')
  t.same(added.map(e => e.output_index), [0, 1, 2, 3], 'items added at 0,1,2,3 in order')
  t.same(added.map(e => (e.item as Json).type), ['reasoning', 'message', 'function_call', 'function_call'])
  const ids = added.map(e => (e.item as Json).id)
  t.equal(new Set(ids).size, 4, 'no duplicate item ids')
  for (const e of events) {
    if (typeof e.item_id === 'string') t.equal(e.item_id, ids[e.output_index as number], `${String(e.type)} item_id matches its item`)
  }
})

t.test('resp-function-call — RESP client, ANTH backend', async t => {
  const input = { city: 'Paris', unit: 'c' }
  const args = JSON.stringify(input)
  const { app } = await rig(t, 'anthropic', anthSse(anthTool(0, 'toolu_01Single', 'get_weather', [args.slice(0, 6), args.slice(6)]), 'tool_use'))
  const events = respEvents(t, (await post(app, '/v1/responses', RESP_REQUEST)).text)
  valid(t, events)
  const item = doneItems(events)[0]!
  t.equal(item.type, 'function_call')
  t.equal(item.call_id, 'toolu_01Single', 'call_id is the upstream tool id')
  t.same(JSON.parse(item.arguments as string), input, 'arguments parse to the upstream input')
  const done = events.find(e => e.type === 'response.function_call_arguments.done')!
  t.equal(done.name, 'get_weather', 'function_call_arguments.done names the function')
  t.equal(done.arguments, args)
  const final = await openaiClient(app).responses.stream({ model: 'client-model', input: 'hi' }).finalResponse()
  t.match(final.output[0], { type: 'function_call', call_id: 'toolu_01Single', name: 'get_weather', arguments: args })
  t.equal((events.at(-1)!.response as Json).status, 'completed', 'tool calls end completed')
})

t.test('resp-function-roundtrip — RESP client, ANTH backend', async t => {
  const { app, upstream } = await rig(t, 'anthropic', anthSse(anthText(0, ['Sunny.']), 'end_turn'))
  const res = await openaiClient(app).responses.create({
    model: 'client-model',
    store: false,
    input: [
      { role: 'user', content: 'Weather in Paris?' },
      { type: 'function_call', call_id: 'toolu_01Single', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'toolu_01Single', output: '18C' },
    ],
    tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
  })
  t.equal(res.output_text, 'Sunny.')
  const body = upstreamBody(upstream)
  const messages = body.messages as Array<{ role: string, content: Json[] }>
  t.same(messages.map(m => m.role), ['user', 'assistant', 'user'])
  t.match(messages[1]!.content, [{ type: 'tool_use', id: 'toolu_01Single', name: 'get_weather', input: { city: 'Paris' } }], 'assistant tool_use with the same id')
  t.match(messages[2]!.content, [{ type: 'tool_result', tool_use_id: 'toolu_01Single' }], 'user tool_result with the same id')
})

t.test('resp-reasoning-summary — RESP client, ANTH backend thinking', async t => {
  const { app, upstream } = await rig(t, 'anthropic', (r) => {
    const body = JSON.parse(r.body.toString()) as { messages: Array<{ role: string }> }
    if (body.messages.length > 1) return anthSse(anthText(0, ['Done.']), 'end_turn')
    return anthSse([...anthThinking(0, THINKING, SIGNATURE), ...anthText(1, ['Sunny.'])], 'end_turn')
  })
  const request = { ...RESP_REQUEST, reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'], store: false }
  const events = respEvents(t, (await post(app, '/v1/responses', request)).text)
  valid(t, events)
  const items = doneItems(events)
  t.same(items.map(i => i.type), ['reasoning', 'message'], 'reasoning item first, message second')
  const summaryEvents = events.filter(e => String(e.type).startsWith('response.reasoning_summary'))
  t.ok(summaryEvents.length >= 4, 'summary part and text events')
  t.ok(summaryEvents.every(e => e.summary_index === 0), 'summary_index 0')
  t.same(items[0]!.summary, [{ type: 'summary_text', text: THINKING.join('') }])
  t.type(items[0]!.encrypted_content, 'string', 'encrypted_content present when include asks')

  const plain = respEvents(t, (await post(app, '/v1/responses', { ...RESP_REQUEST, reasoning: { effort: 'high' } })).text)
  t.equal(doneItems(plain)[0]!.encrypted_content, undefined, 'no encrypted_content unless asked')

  // Replaying the reasoning item restores the Anthropic thinking block, signature and text exact.
  await post(app, '/v1/responses', {
    ...request,
    input: [{ role: 'user', content: 'hi' }, items[0], items[1], { role: 'user', content: 'thanks' }],
  })
  const replayed = upstreamBody(upstream).messages as Array<{ role: string, content: Json[] }>
  t.same(replayed[1]!.content[0], { type: 'thinking', thinking: THINKING.join(''), signature: SIGNATURE }, 'original thinking block restored byte for byte')
})

t.test('resp-ai-sdk-item-reference — @ai-sdk/openai Responses client (store:true), CHAT backend', async t => {
  const { app, upstream } = await rig(t, 'openai-chat', chatSse([chatChunk({ content: 'Paris.' }), chatChunk({}, 'stop')]))
  const provider = createOpenAI({ baseURL: app.url + '/v1', apiKey: 'client-key' })
  const first = await generateText({ model: provider.responses('client-model'), prompt: 'Capital of France?', maxRetries: 0 })
  t.equal(first.text, 'Paris.')
  // The AI SDK's default (store:true) replays its own earlier output as item_reference: the
  // response store resolves it into the assistant's answer.
  const messages = [{ role: 'user' as const, content: 'Capital of France?' }, ...first.response.messages, { role: 'user' as const, content: 'And Italy?' }]
  const second = await generateText({ model: provider.responses('client-model'), messages, maxRetries: 0 })
  t.equal(second.text, 'Paris.')
  const sent = upstreamBody(upstream).messages as Array<{ role: string, content: unknown }>
  t.same(sent.map(m => [m.role, m.content]), [['user', 'Capital of France?'], ['assistant', 'Paris.'], ['user', 'And Italy?']], 'the reference became the stored answer')
  // An id no stored response knows is a clear 400 naming the item, never forwarded.
  const bad = await post(app, '/v1/responses', { model: 'client-model', input: [{ role: 'user', content: 'x' }, { type: 'item_reference', id: 'msg_0123456789abcdef01234567_0' }] })
  t.equal(bad.status, 400)
  t.match(JSON.parse(bad.text), { error: { param: 'input[1]', message: /item_reference 'msg_0123456789abcdef01234567_0'/ } })
  t.equal(upstream.requests.length, 2, 'the unresolvable request never reached the backend')
  // With store:false the SDK sends the items themselves, and the conversation continues.
  const third = await generateText({ model: provider.responses('client-model'), messages, providerOptions: { openai: { store: false } }, maxRetries: 0 })
  t.equal(third.text, 'Paris.')
})

t.test('resp-incomplete — RESP client, ANTH backend max_tokens', async t => {
  const { app } = await rig(t, 'anthropic', anthSse(anthText(0, ['Partial']), 'max_tokens'))
  const events = respEvents(t, (await post(app, '/v1/responses', RESP_REQUEST)).text)
  valid(t, events)
  const last = events.at(-1)!
  t.equal(last.type, 'response.incomplete', 'terminal event response.incomplete')
  t.match(last.response, { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } })
  const final = await openaiClient(app).responses.stream({ model: 'client-model', input: 'hi' }).finalResponse()
  t.equal(final.status, 'incomplete')
  t.equal(final.output_text, 'Partial')
})

t.test('resp-failed — RESP client, mid-stream upstream error', async t => {
  t.test('ANTH backend overloaded_error after text', async t => {
    const { app } = await rig(t, 'anthropic', {
      headers: EVENT_STREAM,
      frames: [anthMessageStart(), ...anthBlock(0, { type: 'text', text: '' }, [{ type: 'text_delta', text: 'Hel' }]).slice(0, 2), anthEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })],
    })
    const events = respEvents(t, (await post(app, '/v1/responses', RESP_REQUEST)).text)
    valid(t, events)
    t.same(types(events).slice(-2), ['error', 'response.failed'], 'error, then response.failed, then the end')
    const failed = (events.at(-1)!.response as Json)
    t.equal(failed.status, 'failed')
    t.match(failed.error, { code: String, message: /Overloaded/ }, 'response.error has a code and the message')
    t.not((failed.error as Json).code, null)
    await t.rejects(openaiClient(app).responses.stream({ model: 'client-model', input: 'hi' }).finalResponse(), 'openai-node rejects')
  })
  t.test('CHAT backend connection dropped mid-stream', async t => {
    const { app } = await rig(t, 'openai-chat', { headers: EVENT_STREAM, frames: [chatChunk({ role: 'assistant', content: 'Hel' }), chatChunk({ content: 'lo' })], frameDelayMs: 30, destroyAfter: 2 })
    const events = respEvents(t, (await post(app, '/v1/responses', RESP_REQUEST)).text)
    valid(t, events)
    t.same(types(events).slice(-2), ['error', 'response.failed'])
  })
})

t.test('resp-http-error — RESP client, ANTH 529 before the stream', async t => {
  const { app } = await rig(t, 'anthropic', json({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 529))
  const raw = await post(app, '/v1/responses', RESP_REQUEST)
  t.equal(raw.status, 503, 'Anthropic 529 becomes 503 for OpenAI clients')
  t.match(JSON.parse(raw.text), { error: { message: /Overloaded/, type: String } })
})

/** What Codex CLI sends (PROTOCOLS.md §9): long instructions, its tool set, store:false, include. */
function codexRequest (input: unknown[]): Json {
  return {
    model: 'client-model',
    instructions: 'You are Codex, a coding agent.',
    input,
    tools: [
      { type: 'function', name: 'shell', description: 'Runs a shell command', strict: false, parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'], additionalProperties: false } },
      { type: 'custom', name: 'apply_patch', description: 'Apply a patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch"' } },
      { type: 'local_shell' },
      { type: 'web_search' },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: false,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'conv-1',
    client_metadata: { originator: 'codex_exec' },
  }
}

for (const [backend, protocol, toolReply] of [
  ['ANTH', 'anthropic', anthSse(anthTool(0, 'toolu_01Shell', 'shell', ['{"command":["ls","-la"]}']), 'tool_use')],
  ['CHAT', 'openai-chat', chatSse([chatToolStart(0, 'call_shell1', 'shell'), chatToolArgs(0, '{"command":'), chatToolArgs(0, '["ls","-la"]}'), chatChunk({}, 'tool_calls')])],
] as const) {
  t.test(`codex-smoke — RESP client (Codex request shape), ${backend} backend`, async t => {
    const { app, upstream } = await rig(t, protocol, toolReply)
    const raw = await post(app, '/v1/responses', codexRequest([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list files' }] }]))
    t.equal(raw.status, 200, 'hosted tools (local_shell, web_search) are dropped, not refused')
    const events = respEvents(t, raw.text)
    valid(t, events)
    t.equal(events.at(-1)!.type, 'response.completed', 'the stream ends with response.completed')
    const call = doneItems(events)[0]!
    t.match(call, { type: 'function_call', name: 'shell', status: 'completed' })
    t.same(JSON.parse(call.arguments as string), { command: ['ls', '-la'] }, 'output_item.done carries the complete arguments Codex executes')
    const sent = upstreamBody(upstream)
    const names = ((sent.tools as Json[]).map(x => (x.function as Json | undefined)?.name ?? x.name))
    t.same(names, ['shell', 'apply_patch'], 'function and custom tools carried; hosted ones dropped')
  })
}

t.test('codex-apply-patch — RESP client (custom apply_patch tool), ANTH backend', async t => {
  const patch = '*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch'
  const wrapped = JSON.stringify({ input: patch })
  const { app, upstream } = await rig(t, 'anthropic', (r) => {
    const body = JSON.parse(r.body.toString()) as { messages: unknown[] }
    if (body.messages.length > 1) return anthSse(anthText(0, ['Patched.']), 'end_turn')
    return anthSse(anthTool(0, 'toolu_01Patch', 'apply_patch', [wrapped.slice(0, 12), wrapped.slice(12)]), 'tool_use')
  })
  const raw = await post(app, '/v1/responses', codexRequest([{ role: 'user', content: 'add hello.txt' }]))
  const events = respEvents(t, raw.text)
  valid(t, events)
  const sentTool = (upstreamBody(upstream).tools as Json[]).find(x => x.name === 'apply_patch')
  t.match(sentTool, { input_schema: { type: 'object', properties: { input: { type: 'string' } } } }, 'custom tool sent as a one-string function')
  const item = doneItems(events)[0]!
  t.match(item, { type: 'custom_tool_call', call_id: 'toolu_01Patch', name: 'apply_patch', input: patch }, 'the call comes back as custom_tool_call with the raw patch')
  t.equal(events.filter(e => e.type === 'response.custom_tool_call_input.delta').map(e => e.delta).join(''), patch, 'input streamed as custom_tool_call_input deltas')

  await post(app, '/v1/responses', codexRequest([
    { role: 'user', content: 'add hello.txt' },
    { type: 'custom_tool_call', call_id: 'toolu_01Patch', name: 'apply_patch', input: patch },
    { type: 'custom_tool_call_output', call_id: 'toolu_01Patch', output: 'Success. Updated: A hello.txt' },
  ]))
  const messages = upstreamBody(upstream).messages as Array<{ role: string, content: Json[] }>
  t.match(messages[1]!.content, [{ type: 'tool_use', id: 'toolu_01Patch', name: 'apply_patch', input: { input: patch } }], 'history call re-wrapped for Anthropic')
  t.match(messages[2]!.content, [{ type: 'tool_result', tool_use_id: 'toolu_01Patch' }], 'its output paired by id')
})

t.test('codex-reasoning-replay — RESP client (store:false), ANTH backend with thinking', async t => {
  const { app, upstream } = await rig(t, 'anthropic', (r) => {
    const body = JSON.parse(r.body.toString()) as { messages: unknown[] }
    if (body.messages.length > 1) return anthSse(anthText(0, ['Done.']), 'end_turn')
    return anthSse([...anthThinking(0, THINKING, SIGNATURE), ...anthTool(1, 'toolu_01Shell', 'shell', ['{"command":["ls"]}'])], 'tool_use')
  })
  const first = respEvents(t, (await post(app, '/v1/responses', codexRequest([{ role: 'user', content: 'list' }]))).text)
  const [reasoning, call] = doneItems(first)
  t.match(reasoning, { type: 'reasoning', encrypted_content: /^swy1\./ }, 'the thinking rides in an envelope')
  // Codex sends its history back without item ids (§9).
  const strip = ({ id: _id, status: _status, ...rest }: Json) => rest
  const second = await post(app, '/v1/responses', codexRequest([
    { role: 'user', content: 'list' }, strip(reasoning!), strip(call!),
    { type: 'function_call_output', call_id: call!.call_id, output: 'a.txt' },
  ]))
  t.equal(second.status, 200)
  const messages = upstreamBody(upstream).messages as Array<{ role: string, content: Json[] }>
  t.same(messages[1]!.content[0], { type: 'thinking', thinking: THINKING.join(''), signature: SIGNATURE }, 'signed thinking replayed exactly (no Invalid signature)')
  t.match(messages[1]!.content[1], { type: 'tool_use', id: 'toolu_01Shell' })
})

t.test('early bytes — response.created goes out as soon as the upstream answered (Codex waits ~5 s)', async t => {
  const { app, upstream } = await rig(t, 'anthropic', { ...anthSse(anthText(0, ['late']), 'end_turn'), holdAfter: 0 })
  const res = await request(app.url + '/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(RESP_REQUEST) })
  const reader = res.body[Symbol.asyncIterator]()
  let first = ''
  const opening = (async () => { while (!first.includes('response.in_progress')) first += ((await reader.next()).value as Buffer).toString() })()
  const deadline = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('no opening events within 2 s of the upstream answering')), 2000).unref())
  await Promise.race([opening, deadline])
  t.match(first, /^event: response\.created\ndata: \{"type":"response\.created"/, 'created first, while the upstream has sent no event yet')
  upstream.release()
  let rest = first
  for (let r = await reader.next(); r.done !== true; r = await reader.next()) rest += (r.value as Buffer).toString()
  const events = respEvents(t, rest)
  valid(t, events)
  t.equal(events.filter(e => e.type === 'response.created').length, 1, 'created once')
  t.equal(events.at(-1)!.type, 'response.completed')
})
