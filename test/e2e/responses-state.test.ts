// Stateful Responses API over stateless backends (issue 6 §1), end to end with the official
// openai SDK: Codex-style turns with previous_response_id over openai-chat and anthropic
// backends (streamed and whole), a client that resends its history, unknown ids, store:false,
// GET/DELETE, LRU eviction, per-key isolation, and Responses backends left to keep their own
// state. The upstream is a loopback mock answering a three-turn weather conversation; whole
// replies reuse ONE upstream id on purpose, so different turns must not be filed under it.
import OpenAI, { BadRequestError, NotFoundError } from 'openai'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { json, startMockUpstream, type MockUpstream, type RecordedRequest, type Script } from '../helpers/mock-upstream.js'
import { oneBackend, startApp, type StartedApp } from '../helpers/start-app.js'
import { anthSse, anthText, anthThinking, anthTool, chatChunk, chatSse, chatToolArgs, chatToolStart, CREATED } from './conformance/fixtures.js'

type Json = Record<string, unknown>

type Kind = 'tool' | 'sunny' | 'rainy'
type Protocol = 'openai-chat' | 'anthropic'

const TOOLS = [{
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
}]
const ARGS = '{"city":"Paris"}'
const CHAT_CALL_ID = 'call_w1'
const ANTH_CALL_ID = 'toolu_w1'
const THINKING = 'Need the weather tool.'
const SIGNATURE = 'SIG-anthropic-1'
const TEXT: Record<Exclude<Kind, 'tool'>, string> = { sunny: 'Sunny.', rainy: 'Rainy.' }

function chatReply (kind: Kind, stream: boolean): Script {
  if (stream) {
    return kind === 'tool'
      ? chatSse([chatToolStart(0, CHAT_CALL_ID, 'get_weather'), chatToolArgs(0, ARGS), chatChunk({}, 'tool_calls')])
      : chatSse([chatChunk({ content: TEXT[kind] }), chatChunk({}, 'stop')])
  }
  const message = kind === 'tool'
    ? { role: 'assistant', content: null, tool_calls: [{ id: CHAT_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: ARGS } }] }
    : { role: 'assistant', content: TEXT[kind] }
  return json({
    id: 'chatcmpl-same', object: 'chat.completion', created: CREATED, model: 'up-model',
    choices: [{ index: 0, message, finish_reason: kind === 'tool' ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
  })
}

function anthReply (kind: Kind, stream: boolean): Script {
  if (stream) {
    return kind === 'tool'
      ? anthSse([...anthThinking(0, [THINKING], SIGNATURE), ...anthTool(1, ANTH_CALL_ID, 'get_weather', [ARGS])], 'tool_use')
      : anthSse(anthText(0, [TEXT[kind]]), 'end_turn')
  }
  const content = kind === 'tool'
    ? [{ type: 'thinking', thinking: THINKING, signature: SIGNATURE }, { type: 'tool_use', id: ANTH_CALL_ID, name: 'get_weather', input: { city: 'Paris' } }]
    : [{ type: 'text', text: TEXT[kind] }]
  return json({
    id: 'msg_same', type: 'message', role: 'assistant', model: 'up-model', content,
    stop_reason: kind === 'tool' ? 'tool_use' : 'end_turn', stop_sequence: null, usage: { input_tokens: 5, output_tokens: 5 },
  })
}

/** An upstream handler answering its n-th request with `kinds[n]`, streamed when asked to stream. */
function scripted (protocol: Protocol, kinds: readonly Kind[]): (r: RecordedRequest) => Script {
  let n = 0
  return r => {
    const stream = (JSON.parse(r.body.toString()) as Json).stream === true
    const kind = kinds[Math.min(n++, kinds.length - 1)]!
    return protocol === 'openai-chat' ? chatReply(kind, stream) : anthReply(kind, stream)
  }
}

function bodyOf (r: RecordedRequest | undefined): Json {
  if (r === undefined) throw new Error('the upstream got no such request')
  return JSON.parse(r.body.toString()) as Json
}

/** The SDK raises NotFoundError (a 404) for `promise`. */
async function notFound (t: Test, promise: Promise<unknown>, message: string): Promise<void> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof NotFoundError, message)
}

async function rig (t: Test, protocol: Protocol, kinds: readonly Kind[], rest: Json = {}): Promise<{ upstream: MockUpstream, app: StartedApp, client: OpenAI }> {
  const upstream = await startMockUpstream(t, scripted(protocol, kinds))
  const app = await startApp(t, oneBackend({ protocol, url: upstream.url + '/v1', apiKey: 'upstream-key' }, rest))
  return { upstream, app, client: new OpenAI({ baseURL: app.url + '/v1', apiKey: 'client-key', maxRetries: 0 }) }
}

type Params = Omit<OpenAI.Responses.ResponseCreateParamsNonStreaming, 'stream'>
/** One turn, streamed (the SDK's final response) or whole. */
async function turn (client: OpenAI, stream: boolean, params: Params): Promise<OpenAI.Responses.Response> {
  return stream ? await client.responses.stream(params).finalResponse() : await client.responses.create(params)
}

/** `store` is on the wire; this SDK's Response type does not declare it. */
const storeOf = (r: OpenAI.Responses.Response): unknown => (r as unknown as Json).store

const INSTRUCTIONS = 'You are a weather bot.'
const QUESTION = 'Weather in Paris?'

/** The upstream's turn-2 conversation: user question, assistant call, tool result — paired. */
function checkTurnTwo (t: Test, protocol: Protocol, body: Json): void {
  const messages = body.messages as Json[]
  if (protocol === 'openai-chat') {
    t.match(messages, [
      { role: 'system', content: INSTRUCTIONS },
      { role: 'user', content: QUESTION },
      { role: 'assistant', tool_calls: [{ id: CHAT_CALL_ID, type: 'function', function: { name: 'get_weather', arguments: ARGS } }] },
      { role: 'tool', tool_call_id: CHAT_CALL_ID, content: '18C' },
    ], 'full history, the call and its result paired by id')
    t.equal(messages.length, 4)
    return
  }
  t.match(JSON.stringify(body.system), INSTRUCTIONS, 'instructions sent as the system prompt')
  t.match(messages, [
    { role: 'user', content: [{ type: 'text', text: QUESTION }] },
    { role: 'assistant', content: [{ type: 'thinking', thinking: THINKING, signature: SIGNATURE }, { type: 'tool_use', id: ANTH_CALL_ID, name: 'get_weather', input: { city: 'Paris' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: ANTH_CALL_ID }] },
  ], 'full history: thinking replayed with its signature, tool_use paired with tool_result')
  t.equal(messages.length, 3)
}

for (const protocol of ['openai-chat', 'anthropic'] as const) {
  for (const stream of [true, false]) {
    t.test(`Codex-style turns over ${protocol}, ${stream ? 'streamed' : 'whole'}`, async t => {
      const { upstream, client } = await rig(t, protocol, ['tool', 'sunny', 'rainy'])
      const first = await turn(client, stream, { model: 'm', instructions: INSTRUCTIONS, input: QUESTION, tools: TOOLS })
      const call = first.output.find(i => i.type === 'function_call')
      t.match(call, { type: 'function_call', name: 'get_weather', arguments: ARGS }, 'turn 1: a function call')
      t.equal(storeOf(first), true, 'the reply says it is stored')
      t.match(first.id, /^resp_[0-9a-f]{24}$/, 'a minted id')

      const second = await turn(client, stream, {
        model: 'm', instructions: INSTRUCTIONS, previous_response_id: first.id, tools: TOOLS,
        input: [{ type: 'function_call_output', call_id: call?.call_id ?? '', output: '18C' }],
      })
      t.equal(second.output_text, 'Sunny.')
      t.equal(second.previous_response_id, first.id, 'previous_response_id echoed')
      t.not(second.id, first.id)
      checkTurnTwo(t, protocol, bodyOf(upstream.requests[1]))

      // No instructions this time: OpenAI's rule is that earlier instructions do not carry over.
      const third = await turn(client, stream, { model: 'm', previous_response_id: second.id, input: 'And tomorrow?', tools: TOOLS })
      t.equal(third.output_text, 'Rainy.')
      const body = bodyOf(upstream.requests[2])
      const messages = body.messages as Json[]
      t.same(messages.map(m => m.role), protocol === 'openai-chat'
        ? ['user', 'assistant', 'tool', 'assistant', 'user']
        : ['user', 'assistant', 'user', 'assistant', 'user'], 'turn 3: the whole conversation, the turn-2 answer included')
      t.equal(body.system, undefined, 'instructions did not carry over')
      t.notOk(messages.some(m => m.role === 'system'), 'no system message either')
      t.equal(upstream.requests.length, 3)
    })
  }
}

t.test('a client that resends its history with previous_response_id: the stored history wins, only the suffix is added', async t => {
  const { upstream, client } = await rig(t, 'anthropic', ['tool', 'sunny'])
  const first = await turn(client, true, { model: 'm', input: QUESTION, tools: TOOLS, reasoning: { effort: 'high', summary: 'auto' } })
  const call = first.output.find(i => i.type === 'function_call')
  t.ok(first.output.some(i => i.type === 'reasoning'), 'turn 1 shows reasoning (a summary, no signature: none was asked for)')
  // Codex sends everything again: the question, the output items as it received them, the result.
  await turn(client, true, {
    model: 'm', previous_response_id: first.id, tools: TOOLS,
    input: [{ role: 'user', content: QUESTION }, ...first.output as OpenAI.Responses.ResponseInputItem[], { type: 'function_call_output', call_id: call?.call_id ?? '', output: '18C' }],
  })
  const messages = bodyOf(upstream.requests[1]).messages as Json[]
  t.equal(messages.length, 3, 'no duplicated history')
  t.match(messages[1], { role: 'assistant', content: [{ type: 'thinking', signature: SIGNATURE }, { type: 'tool_use', id: ANTH_CALL_ID }] }, 'the stored form, signature included')
})

t.test('unknown previous_response_id: 404 previous_response_not_found (NotFoundError), nothing sent upstream', async t => {
  const { upstream, client } = await rig(t, 'openai-chat', ['sunny'])
  const err = await client.responses.create({ model: 'm', previous_response_id: 'resp_0123456789abcdef01234567', input: 'hi' }).catch((e: unknown) => e)
  t.ok(err instanceof NotFoundError, 'the SDK raises NotFoundError')
  t.match(err, { status: 404, code: 'previous_response_not_found', param: 'previous_response_id', type: 'invalid_request_error', message: /resp_0123456789abcdef01234567/ })
  t.equal(upstream.requests.length, 0)
  const raw = await request(`${(client.baseURL)}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', previous_response_id: 'resp_x', input: 'hi', stream: true }) })
  t.equal(raw.statusCode, 404, 'a streaming request too, before any stream starts')
  t.match(await raw.body.json(), { error: { code: 'previous_response_not_found' } })
})

t.test('store:false keeps nothing; GET returns a stored response; DELETE removes it', async t => {
  const { client } = await rig(t, 'openai-chat', ['sunny'])
  const unstored = await client.responses.create({ model: 'm', input: 'hi', store: false })
  t.equal(storeOf(unstored), false)
  await notFound(t, client.responses.retrieve(unstored.id), 'GET of a store:false response is 404')
  await notFound(t, client.responses.create({ model: 'm', input: 'more', previous_response_id: unstored.id }), 'continuing it is 404')

  const stored = await client.responses.stream({ model: 'm', input: 'hi' }).finalResponse()
  const got = await client.responses.retrieve(stored.id)
  t.equal(got.id, stored.id)
  t.equal(got.output_text, 'Sunny.')
  // The SDK's stream helper adds `parsed` to what it received; everything stored is what was sent.
  t.match(stored.output, got.output, 'the response object the client received')
  t.equal(got.output.length, stored.output.length)
  const del = await request(`${client.baseURL}/responses/${stored.id}`, { method: 'DELETE' })
  t.equal(del.statusCode, 200)
  t.same(await del.body.json(), { id: stored.id, object: 'response', deleted: true })
  await notFound(t, client.responses.retrieve(stored.id), 'gone after DELETE')
  await notFound(t, client.responses.delete(stored.id), 'a second DELETE is 404')
})

t.test('a conversation over the 4 MiB snapshot limit: the reply is whole, and continuing it says why it cannot be', async t => {
  const { upstream, client } = await rig(t, 'openai-chat', ['sunny'])
  const pasted = 'log line\n'.repeat(450_000)
  const big = await client.responses.stream({ model: 'm', input: pasted }).finalResponse()
  t.equal(big.output_text, 'Sunny.', 'the reply itself is untouched')
  const err = await client.responses.create({ model: 'm', input: 'and?', previous_response_id: big.id }).catch((e: unknown) => e)
  t.ok(err instanceof NotFoundError, 'the status and code a client already handles for a lost response')
  t.match(err, { status: 404, code: 'previous_response_not_found', param: 'previous_response_id', message: new RegExp(`${big.id}' was not stored: its conversation came to 45\\d{5} bytes, over the response store's limit of 4194304\\. Send the conversation as input`) })
  const got = await client.responses.retrieve(big.id).catch((e: unknown) => e)
  t.match(got, { status: 404, message: /was not stored: its conversation came to \d+ bytes/ }, 'GET says the same')
  const ref = await client.responses.create({ model: 'm', input: [{ type: 'item_reference', id: (big.output[0] as { id: string }).id }] }).catch((e: unknown) => e)
  t.ok(ref instanceof BadRequestError, 'an item_reference into it is unresolved, as an unknown one')
  t.equal(upstream.requests.length, 1, 'none of these went upstream')
  t.equal((await client.responses.delete(big.id).then(() => 'deleted', (e: unknown) => e)), 'deleted', 'DELETE removes the mark')
  await notFound(t, client.responses.retrieve(big.id), 'then it is unknown')
})

t.test('the memory store evicts the least recently used beyond responses.maxEntries', async t => {
  const { client } = await rig(t, 'openai-chat', ['sunny'], { responses: { maxEntries: 2 } })
  const a = await client.responses.create({ model: 'm', input: 'a' })
  const b = await client.responses.create({ model: 'm', input: 'b' })
  await client.responses.retrieve(a.id)
  const c = await client.responses.create({ model: 'm', input: 'c' })
  await notFound(t, client.responses.retrieve(b.id), 'b, least recently used, was evicted')
  t.equal((await client.responses.retrieve(a.id)).id, a.id)
  t.equal((await client.responses.retrieve(c.id)).id, c.id)
})

t.test('a stored response belongs to the client key that created it', async t => {
  const upstream = await startMockUpstream(t, scripted('openai-chat', ['sunny']))
  const keys = [{ name: 'team-a', key: 'key-team-a-123' }, { name: 'team-b', key: 'key-team-b-123' }]
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url + '/v1' }, { auth: { keys } }))
  const a = new OpenAI({ baseURL: app.url + '/v1', apiKey: 'key-team-a-123', maxRetries: 0 })
  const b = new OpenAI({ baseURL: app.url + '/v1', apiKey: 'key-team-b-123', maxRetries: 0 })
  const mine = await a.responses.create({ model: 'm', input: 'hi' })
  t.equal((await a.responses.retrieve(mine.id)).id, mine.id)
  await notFound(t, b.responses.retrieve(mine.id), 'another key cannot read it')
  await notFound(t, b.responses.create({ model: 'm', input: 'x', previous_response_id: mine.id }), 'nor continue it')
})

t.test('a Responses backend keeps its own state: requests pass through, nothing is stored here', async t => {
  const upstream = await startMockUpstream(t, (r: RecordedRequest) => r.method === 'GET'
    ? json({ error: { message: 'upstream says no', type: 'invalid_request_error', param: null, code: null } }, 404)
    : json({ id: 'resp_up', object: 'response', created_at: CREATED, status: 'completed', model: 'up', output: [], usage: null }))
  const app = await startApp(t, oneBackend({ protocol: 'openai-responses', url: upstream.url + '/v1' }))
  const client = new OpenAI({ baseURL: app.url + '/v1', apiKey: 'client-key', maxRetries: 0 })
  await client.responses.create({ model: 'm', input: 'hi', previous_response_id: 'resp_upstream_state' })
  t.equal(bodyOf(upstream.requests[0]).previous_response_id, 'resp_upstream_state', 'previous_response_id forwarded as is')
  await t.rejects(client.responses.retrieve('resp_up'), { status: 404, message: /upstream says no/ })
  t.match(upstream.requests[1], { method: 'GET', url: '/v1/responses/resp_up' }, 'GET passed through')
})
