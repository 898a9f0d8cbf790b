// The official openai-node 7.x SDK (installed as `openai-v7`) through Switchyard: the stricter
// client users actually run (PROTOCOLS.md §0, §5.1-§5.3: item-identity validation in the
// Responses accumulator, exact `[DONE]`, APIError on `event: error`). openai 7 needs Node ≥ 22,
// so on Node 20 every test skips and the file runs in the Node 24 pass of .ci/run. Each test
// asserts on what the SDK returns, so a stricter validation failure is a rejected promise
// carrying the SDK's own message.
import t, { type Test } from 'tap'
import { json, type RecordedRequest, type Script } from '../helpers/mock-upstream.js'
import { respEvents, respFrame, respSse, respWhole, type RespItemSpec } from '../helpers/responses-sse.js'
import type { StartedApp } from '../helpers/start-app.js'
import {
  anthBlock, anthEvent, anthMessageStart, anthSse, anthText, anthThinking, anthTool, CHAT_USAGE, chatChunk, chatSse,
  chatToolArgs, chatToolStart, CREATED, EVENT_STREAM, rig,
} from './conformance/fixtures.js'

type Json = Record<string, unknown>
type V7 = typeof import('openai-v7')
type Client = InstanceType<V7['default']>
type V7Response = Awaited<ReturnType<ReturnType<Client['responses']['stream']>['finalResponse']>>
type Protocol = 'openai-chat' | 'anthropic' | 'openai-responses'

const NODE_MAJOR = Number(process.versions.node.split('.')[0])
const SKIP = NODE_MAJOR >= 22 ? false : 'openai 7.x needs Node >= 22; this file runs in the Node 24 pass of .ci/run'

let loaded: Promise<V7> | undefined
/** Imported only when the tests run: the package is not meant to load on Node 20. */
const v7 = (): Promise<V7> => (loaded ??= import('openai-v7'))

async function client (app: StartedApp): Promise<Client> {
  const { default: OpenAI } = await v7()
  return new OpenAI({ baseURL: app.url + '/v1', apiKey: 'client-key', maxRetries: 0 })
}

function test (name: string, fn: (t: Test) => Promise<void>): void {
  t.test(name, { skip: SKIP }, fn)
}

const TEXT_PIECES = ['Hello from', ' upstream — ', '你好', '🌍!']
const TEXT = TEXT_PIECES.join('')
const SIGNATURE = 'EqQBCkgIARABGAIiQL2pY1sig=='
const THINKING = ['The user wants', ' the weather.']
const ARGS_A = JSON.stringify({ city: 'Paris' })
const ARGS_B = JSON.stringify({ tz: 'CET' })
const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch'
const OVERLOADED = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
const USAGE = { input: 11, output: 7 }

test('the openai-v7 alias is the 7.x SDK', async t => {
  const { VERSION } = await import('openai-v7/version')
  t.match(VERSION, /^7\./)
})

// ---- Upstream replies: the same facts as a stream or as a whole reply, by the request's `stream` ----

type AnthSpec =
  | { readonly type: 'text', readonly pieces: readonly string[] }
  | { readonly type: 'thinking', readonly pieces: readonly string[], readonly signature: string }
  | { readonly type: 'tool_use', readonly id: string, readonly name: string, readonly fragments: readonly string[] }

const streamed = (r: RecordedRequest): boolean => (JSON.parse(r.body.toString('utf8')) as Json).stream === true

function anthReply (blocks: readonly AnthSpec[], stop: string): (r: RecordedRequest) => Script {
  const sse = anthSse(blocks.flatMap((b, i) => b.type === 'text'
    ? anthText(i, b.pieces)
    : b.type === 'thinking' ? anthThinking(i, b.pieces, b.signature) : anthTool(i, b.id, b.name, b.fragments)), stop)
  const content = blocks.map(b => b.type === 'text'
    ? { type: 'text', text: b.pieces.join('') }
    : b.type === 'thinking'
      ? { type: 'thinking', thinking: b.pieces.join(''), signature: b.signature }
      : { type: 'tool_use', id: b.id, name: b.name, input: JSON.parse(b.fragments.join('')) as unknown })
  const whole = json({ id: 'msg_up1', type: 'message', role: 'assistant', model: 'up-model', content, stop_reason: stop, stop_sequence: null, usage: { input_tokens: 11, output_tokens: 7 } })
  return r => streamed(r) ? sse : whole
}

interface ChatCall { readonly id: string, readonly name: string, readonly fragments: readonly string[] }

function chatReply (pieces: readonly string[], calls: readonly ChatCall[], finish: string): (r: RecordedRequest) => Script {
  const sse = chatSse([
    ...pieces.map(content => chatChunk({ content })),
    ...calls.flatMap((c, i) => [chatToolStart(i, c.id, c.name), ...c.fragments.map(f => chatToolArgs(i, f))]),
    chatChunk({}, finish),
  ])
  const toolCalls = calls.map(c => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.fragments.join('') } }))
  const message = { role: 'assistant', content: pieces.length === 0 ? null : pieces.join(''), ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }) }
  const whole = json({ id: 'chatcmpl-up1', object: 'chat.completion', created: CREATED, model: 'up-model', choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage: CHAT_USAGE })
  return r => streamed(r) ? sse : whole
}

function respReply (items: readonly RespItemSpec[], end: Parameters<typeof respSse>[1] = { usage: USAGE }): (r: RecordedRequest) => Script {
  return r => streamed(r) ? respSse(items, end) : respWhole(items, end)
}

/** Run `check` on the streamed result (`stream().finalResponse()`) and on the whole one (`create`). */
async function bothWays (t: Test, app: StartedApp, params: Json, check: (t: Test, r: V7Response) => void): Promise<void> {
  const c = await client(app)
  const body = { model: 'client-model', ...params } as never
  const streamedResult = await c.responses.stream(body).finalResponse()
  t.test('responses.stream().finalResponse()', async t => { check(t, streamedResult) })
  const whole = await c.responses.create(body) as V7Response
  t.test('responses.create()', async t => { check(t, whole) })
}

// ---- Responses client ------------------------------------------------------------------------

const TEXT_BACKENDS: ReadonlyArray<readonly [string, Protocol, (r: RecordedRequest) => Script]> = [
  ['CHAT', 'openai-chat', chatReply(TEXT_PIECES, [], 'stop')],
  ['ANTH', 'anthropic', anthReply([{ type: 'text', pieces: TEXT_PIECES }], 'end_turn')],
  ['RESP', 'openai-responses', respReply([{ type: 'message', pieces: TEXT_PIECES }])],
]

for (const [backend, protocol, reply] of TEXT_BACKENDS) {
  test(`v7 responses text — ${backend} backend`, async t => {
    const { app } = await rig(t, protocol, reply)
    await bothWays(t, app, { input: 'hi' }, (t, r) => {
      t.equal(r.output_text, TEXT, 'output_text equals the upstream text')
      t.equal(r.status, 'completed')
      t.match(r.output, [{ type: 'message', role: 'assistant', id: /./ }])
    })
  })
}

const CALLS_BACKENDS: ReadonlyArray<readonly [string, Protocol, (r: RecordedRequest) => Script, readonly string[]]> = [
  ['ANTH (thinking, text, two calls)', 'anthropic', anthReply([
    { type: 'thinking', pieces: THINKING, signature: SIGNATURE },
    { type: 'text', pieces: ['Checking.'] },
    { type: 'tool_use', id: 'call_a', name: 'get_weather', fragments: [ARGS_A.slice(0, 5), ARGS_A.slice(5)] },
    { type: 'tool_use', id: 'call_b', name: 'get_time', fragments: [ARGS_B] },
  ], 'tool_use'), ['reasoning', 'message', 'function_call', 'function_call']],
  ['RESP (reasoning, text, two calls)', 'openai-responses', respReply([
    { type: 'reasoning', summary: [THINKING], encrypted: 'gAAAAABencrypted-blob' },
    { type: 'message', pieces: ['Checking.'] },
    { type: 'function_call', callId: 'call_a', name: 'get_weather', pieces: [ARGS_A.slice(0, 5), ARGS_A.slice(5)] },
    { type: 'function_call', callId: 'call_b', name: 'get_time', pieces: [ARGS_B] },
  ]), ['reasoning', 'message', 'function_call', 'function_call']],
  ['CHAT (text, two calls)', 'openai-chat', chatReply(['Checking.'], [
    { id: 'call_a', name: 'get_weather', fragments: [ARGS_A.slice(0, 5), ARGS_A.slice(5)] },
    { id: 'call_b', name: 'get_time', fragments: [ARGS_B] },
  ], 'tool_calls'), ['message', 'function_call', 'function_call']],
]

for (const [backend, protocol, reply, itemTypes] of CALLS_BACKENDS) {
  test(`v7 responses item identity — ${backend} backend`, async t => {
    const { app } = await rig(t, protocol, reply)
    await bothWays(t, app, { input: 'hi', reasoning: { effort: 'high', summary: 'auto' } }, (t, r) => {
      t.equal(r.status, 'completed', 'tool calls end completed')
      t.same(r.output.map(i => i.type), itemTypes, 'output items in upstream order')
      const ids = r.output.map(i => i.id)
      t.ok(ids.every(id => typeof id === 'string' && id !== ''), 'every item has an id')
      t.equal(new Set(ids).size, ids.length, 'no duplicate item ids')
      const calls = r.output.filter(i => i.type === 'function_call')
      t.same(calls.map(c => [c.call_id, c.name, c.arguments]), [['call_a', 'get_weather', ARGS_A], ['call_b', 'get_time', ARGS_B]], 'call_ids, names, arguments')
      t.equal(r.output_text, 'Checking.')
      const reasoning = r.output.find(i => i.type === 'reasoning')
      if (reasoning !== undefined) t.same(reasoning.summary, [{ type: 'summary_text', text: THINKING.join('') }], 'summary text')
    })
  })
}

test('v7 responses reasoning with include encrypted_content — ANTH backend', async t => {
  const { app } = await rig(t, 'anthropic', anthReply([{ type: 'thinking', pieces: THINKING, signature: SIGNATURE }, { type: 'text', pieces: ['Sunny.'] }], 'end_turn'))
  const params = { input: 'hi', store: false, reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'] }
  await bothWays(t, app, params, (t, r) => {
    t.same(r.output.map(i => i.type), ['reasoning', 'message'])
    t.match(r.output[0], { type: 'reasoning', encrypted_content: /^swy1\./, summary: [{ type: 'summary_text', text: THINKING.join('') }] }, 'the signature rides in encrypted_content')
    t.equal(r.output_text, 'Sunny.')
  })
})

test('v7 responses reasoning with include encrypted_content — RESP backend', async t => {
  const { app } = await rig(t, 'openai-responses', respReply([{ type: 'reasoning', summary: [THINKING], encrypted: 'gAAAAABencrypted-blob' }, { type: 'message', pieces: ['Sunny.'] }]))
  const params = { input: 'hi', store: false, reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'] }
  await bothWays(t, app, params, (t, r) => {
    t.same(r.output.map(i => i.type), ['reasoning', 'message'])
    t.match(r.output[0], { type: 'reasoning', encrypted_content: String }, 'reasoning item has encrypted_content')
    t.equal(r.output_text, 'Sunny.')
  })
})

const CUSTOM_TOOL = { type: 'custom', name: 'apply_patch', description: 'Apply a patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch"' } }
const WRAPPED = JSON.stringify({ input: PATCH })

for (const [backend, protocol, reply] of [
  ['ANTH', 'anthropic', anthReply([{ type: 'tool_use', id: 'toolu_01Patch', name: 'apply_patch', fragments: [WRAPPED.slice(0, 12), WRAPPED.slice(12)] }], 'tool_use')],
  ['CHAT', 'openai-chat', chatReply([], [{ id: 'toolu_01Patch', name: 'apply_patch', fragments: [WRAPPED.slice(0, 12), WRAPPED.slice(12)] }], 'tool_calls')],
] as const) {
  test(`v7 responses custom tool call — ${backend} backend answering the wrapped {input} tool`, async t => {
    const { app } = await rig(t, protocol, reply)
    await bothWays(t, app, { input: 'add hello.txt', store: false, tools: [CUSTOM_TOOL] }, (t, r) => {
      t.equal(r.output.length, 1)
      t.match(r.output[0], { type: 'custom_tool_call', call_id: 'toolu_01Patch', name: 'apply_patch', input: PATCH }, 'custom_tool_call with the raw patch')
      t.equal(r.status, 'completed')
    })
  })
}

for (const [backend, protocol, reply] of [
  ['ANTH', 'anthropic', anthReply([{ type: 'text', pieces: ['Par', 'tial'] }], 'max_tokens')],
  ['CHAT', 'openai-chat', chatReply(['Par', 'tial'], [], 'length')],
  ['RESP', 'openai-responses', respReply([{ type: 'message', pieces: ['Par', 'tial'] }], { status: 'incomplete', incompleteReason: 'max_output_tokens', usage: USAGE })],
] as const) {
  test(`v7 responses max tokens → incomplete — ${backend} backend`, async t => {
    const { app } = await rig(t, protocol, reply)
    await bothWays(t, app, { input: 'hi', max_output_tokens: 16 }, (t, r) => {
      t.equal(r.status, 'incomplete')
      t.match(r.incomplete_details, { reason: 'max_output_tokens' })
      t.equal(r.output_text, 'Partial')
    })
  })
}

/** ANTH upstream: text starts, then an `error` event ends the stream (§3.3). */
const ANTH_MIDSTREAM_ERROR: Script = {
  headers: EVENT_STREAM,
  frames: [anthMessageStart(), ...anthBlock(0, { type: 'text', text: '' }, [{ type: 'text_delta', text: 'Hel' }]).slice(0, 2), anthEvent(OVERLOADED)],
}

/** CHAT upstream: text starts, then an `{error}` chunk ends the stream (§1.4 e). */
const CHAT_MIDSTREAM_ERROR: Script = {
  headers: EVENT_STREAM,
  frames: [chatChunk({ role: 'assistant', content: 'Hel' }), 'data: ' + JSON.stringify({ error: { message: 'Overloaded', type: 'server_error', param: null, code: null } }) + '\n\n'],
}

/** RESP upstream: text starts, then `response.failed` with the message still open. */
function respMidstreamFailure (): Script {
  const events = respEvents([{ type: 'message', pieces: ['Hel', 'lo'] }], { status: 'failed', error: { code: 'server_error', message: 'The model crashed' } })
  const open = events.filter(e => !['response.output_item.done', 'response.output_text.done', 'response.content_part.done'].includes(e.type as string))
  return { headers: EVENT_STREAM, frames: open.map(respFrame) }
}

// A converted failure reaches a Responses client as `error` + `response.failed` (§6.12): 7.x
// throws an APIError on the `error` event.
for (const [backend, protocol, reply] of [
  ['ANTH error event', 'anthropic', ANTH_MIDSTREAM_ERROR],
  ['CHAT error chunk', 'openai-chat', CHAT_MIDSTREAM_ERROR],
] as const) {
  test(`v7 responses mid-stream upstream failure — ${backend}`, async t => {
    const { app } = await rig(t, protocol, reply)
    const { APIError } = await v7()
    const c = await client(app)
    const err = await c.responses.stream({ model: 'client-model', input: 'hi' }).finalResponse().then(() => undefined, (e: unknown) => e)
    t.ok(err instanceof APIError, 'stream().finalResponse() rejects with an APIError')
    t.match((err as Error | undefined)?.message, /Overloaded/, 'carrying the upstream message')

    const deltas: string[] = []
    const iterated = await (async () => {
      for await (const event of await c.responses.create({ model: 'client-model', input: 'hi', stream: true })) {
        if (event.type === 'response.output_text.delta') deltas.push(event.delta)
      }
    })().then(() => undefined, (e: unknown) => e)
    t.equal(deltas.join(''), 'Hel', 'the text before the failure arrived')
    t.ok(iterated instanceof APIError, 'iterating create({stream:true}) throws an APIError')
    t.match((iterated as Error | undefined)?.message, /Overloaded/)
  })
}

// Responses to Responses passes the upstream's own `response.failed` through; without an `error`
// event 7.x resolves with the failed response (as it does against the OpenAI API itself).
test('v7 responses mid-stream upstream failure — RESP response.failed', async t => {
  const { app } = await rig(t, 'openai-responses', respMidstreamFailure())
  const final = await (await client(app)).responses.stream({ model: 'client-model', input: 'hi' }).finalResponse()
  t.equal(final.status, 'failed')
  t.match(final.error, { code: 'server_error', message: 'The model crashed' }, 'the upstream error on the response')
  t.equal(final.output_text, 'Hello', 'the text before the failure')
})

/** Backend, its failing stream, the message the Chat SDK must surface, and the text sent before. */
const MIDSTREAM_FAILURES = [
  ['ANTH error event', 'anthropic', ANTH_MIDSTREAM_ERROR, /Overloaded/, 'Hel'],
  ['RESP response.failed', 'openai-responses', respMidstreamFailure(), /The model crashed/, 'Hello'],
] as const

// ---- Chat Completions client -----------------------------------------------------------------

const CHAT_PARAMS = { model: 'client-model', messages: [{ role: 'user' as const, content: 'hi' }] }

for (const [backend, protocol, reply] of [
  ['ANTH', 'anthropic', anthReply([{ type: 'text', pieces: TEXT_PIECES }], 'end_turn')],
  ['RESP', 'openai-responses', respReply([{ type: 'message', pieces: TEXT_PIECES }])],
  ['CHAT', 'openai-chat', chatReply(TEXT_PIECES, [], 'stop')],
] as const) {
  test(`v7 chat text — ${backend} backend`, async t => {
    const { app } = await rig(t, protocol, reply)
    const final = await (await client(app)).chat.completions.stream(CHAT_PARAMS).finalChatCompletion()
    t.equal(final.choices[0]?.message.role, 'assistant')
    t.equal(final.choices[0]?.message.content, TEXT, 'content equals the upstream text')
    t.equal(final.choices[0]?.finish_reason, 'stop')
  })
}

for (const [backend, protocol, reply] of [
  ['ANTH', 'anthropic', anthReply([
    { type: 'text', pieces: ['Checking.'] },
    { type: 'tool_use', id: 'call_a', name: 'get_weather', fragments: [ARGS_A.slice(0, 4), ARGS_A.slice(4)] },
    { type: 'tool_use', id: 'call_b', name: 'get_time', fragments: [ARGS_B.slice(0, 3), ARGS_B.slice(3)] },
  ], 'tool_use')],
  ['RESP', 'openai-responses', respReply([
    { type: 'message', pieces: ['Checking.'] },
    { type: 'function_call', callId: 'call_a', name: 'get_weather', pieces: [ARGS_A.slice(0, 4), ARGS_A.slice(4)] },
    { type: 'function_call', callId: 'call_b', name: 'get_time', pieces: [ARGS_B.slice(0, 3), ARGS_B.slice(3)] },
  ])],
] as const) {
  test(`v7 chat two parallel tool calls — ${backend} backend`, async t => {
    const { app } = await rig(t, protocol, reply)
    const stream = (await client(app)).chat.completions.stream(CHAT_PARAMS)
    const done: Array<[number, string, string]> = []
    stream.on('tool_calls.function.arguments.done', e => done.push([e.index, e.name, e.arguments]))
    const final = await stream.finalChatCompletion()
    t.same(done, [[0, 'get_weather', ARGS_A], [1, 'get_time', ARGS_B]], 'arguments.done fires once per call, in order')
    const choice = final.choices[0]
    t.equal(choice?.finish_reason, 'tool_calls')
    t.equal(choice?.message.content, 'Checking.')
    t.same(choice?.message.tool_calls?.map(c => c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : [c.type]),
      [['call_a', 'get_weather', ARGS_A], ['call_b', 'get_time', ARGS_B]], 'ids, names, arguments')
  })
}

for (const [backend, protocol, reply, message, before] of MIDSTREAM_FAILURES) {
  test(`v7 chat mid-stream upstream failure — ${backend}`, async t => {
    const { app } = await rig(t, protocol, reply)
    const { APIError } = await v7()
    const stream = (await client(app)).chat.completions.stream(CHAT_PARAMS)
    let text = ''
    stream.on('content.delta', e => { text += e.delta })
    const err = await stream.finalChatCompletion().then(() => undefined, (e: unknown) => e)
    t.ok(err instanceof APIError, 'finalChatCompletion() rejects with an APIError')
    t.match((err as Error | undefined)?.message, message, 'carrying the upstream message')
    t.equal(text, before, 'the text before the failure arrived')
  })
}
