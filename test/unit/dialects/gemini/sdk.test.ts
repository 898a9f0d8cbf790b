// The strongest check: @google/genai parses our alt=sse bytes over real HTTP (PROTOCOLS.md §4.3,
// §5.5), and the chat helper accepts every chunk as valid history.
import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai'
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { encodeModelList } from '../../../../src/dialects/gemini/client-models.js'
import { dialect } from '../../../../src/dialects/gemini/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'
import { encodeAll, ERROR, REASONING, rejection, REQUEST, START, TEXT, TEXT_RESPONSE, TOOL, TOOL_RESPONSE, TWO_TOOLS } from '../scenarios.js'
import { startServer, type Reply, type Teardown } from '../sse-server.js'

const client: ClientSide = dialect.client
const streamOf = (events: Parameters<typeof encodeAll>[1]): Reply => ({ frames: encodeAll(client.createStreamEncoder(REQUEST), events) })
const VISIBLE: CanonicalRequest = { ...REQUEST, reasoning: { mode: 'adaptive', visible: true } }
const params = { model: 'm1', contents: 'hi', config: { systemInstruction: 'Be brief.', temperature: 0.5, maxOutputTokens: 64 } }

async function sdk (t: Teardown, reply: Reply) {
  const server = await startServer(t, () => reply)
  return { server, genai: new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: server.url } }) }
}

async function collect (stream: AsyncGenerator<{ text?: string | undefined }>) {
  const chunks = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

t.test('stream (a): text, finishReason, usage; the SDK request decodes', async t => {
  const { server, genai } = await sdk(t, streamOf(TEXT))
  const chunks = await collect(await genai.models.generateContentStream(params))
  t.equal(chunks.map(c => c.text ?? '').join(''), 'Hello')
  const last = chunks.at(-1) as Awaited<ReturnType<typeof genai.models.generateContent>>
  t.equal(last.candidates?.[0]?.finishReason, 'STOP')
  t.match(last.usageMetadata, { promptTokenCount: 10, candidatesTokenCount: 2, totalTokenCount: 12 })
  t.equal(last.responseId, 'mock-abc')
  const received = server.requests[0]
  t.equal(received?.url, '/v1beta/models/m1:streamGenerateContent?alt=sse')
  const op = client.matchOperation('POST', received?.url.split('?')[0] ?? '')
  t.strictSame(op, { dialect: 'gemini', operation: 'stream-generate', pathModel: 'm1', pathStream: true })
  t.strictSame(client.decodeRequest(received?.body, op!), {
    model: 'm1', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
    stream: true, maxTokens: 64, temperature: 0.5,
  })
})

t.test('stream (b): one whole functionCall part with parsed args', async t => {
  const { genai } = await sdk(t, streamOf(TOOL))
  const chunks = await collect(await genai.models.generateContentStream(params)) as Array<Awaited<ReturnType<typeof genai.models.generateContent>>>
  const calls = chunks.flatMap(c => c.functionCalls ?? [])
  t.strictSame(calls, [{ id: 'call_a', name: 'get_weather', args: { city: 'Paris' } }])
  t.equal(chunks.at(-1)?.candidates?.[0]?.finishReason, 'STOP')
  t.match(chunks.at(-1)?.usageMetadata, { promptTokenCount: 10, cachedContentTokenCount: 4 })
})

t.test('stream (c): two calls; chat history accepts every chunk', async t => {
  const { server, genai } = await sdk(t, streamOf(TWO_TOOLS))
  const chat = genai.chats.create({ model: 'm1' })
  const chunks = await collect(await chat.sendMessageStream({ message: 'hi' })) as Array<Awaited<ReturnType<typeof genai.models.generateContent>>>
  t.strictSame(chunks.flatMap(c => c.functionCalls ?? []).map(c => c.name), ['get_weather', 'get_time'])
  // The curated history drops invalid model output; equal to the full one = every chunk valid.
  const history = chat.getHistory(true)
  t.strictSame(history, chat.getHistory(false))
  t.strictSame(history.map(c => c.role), ['user', 'model', 'model', 'model'])
  t.equal(server.requests.length, 1)
})

t.test('stream (d): thought parts then text with includeThoughts; MAX_TOKENS; thoughts counted apart', async t => {
  const { genai } = await sdk(t, { frames: encodeAll(client.createStreamEncoder(VISIBLE), REASONING) })
  const chunks = await collect(await genai.models.generateContentStream(params)) as Array<Awaited<ReturnType<typeof genai.models.generateContent>>>
  const parts = chunks.flatMap(c => c.candidates?.[0]?.content?.parts ?? [])
  t.equal(parts.filter(p => p.thought === true).map(p => p.text).join(''), 'Thinking')
  t.equal(chunks.map(c => c.text ?? '').join(''), 'Answer', 'text excludes thoughts')
  t.equal(chunks.at(-1)?.candidates?.[0]?.finishReason, 'MAX_TOKENS')
  t.match(chunks.at(-1)?.usageMetadata, { candidatesTokenCount: 3, thoughtsTokenCount: 3, totalTokenCount: 16 })
  const { genai: hidden } = await sdk(t, streamOf(REASONING))
  const plain = await collect(await hidden.models.generateContentStream(params)) as Array<Awaited<ReturnType<typeof genai.models.generateContent>>>
  t.notOk(plain.some(c => c.candidates?.[0]?.content?.parts?.some(p => p.thought === true)), 'no thoughts without includeThoughts')
  t.equal(plain.map(c => c.text ?? '').join(''), 'Answer')
})

t.test('stream (e): the SDK throws ApiError with our status', async t => {
  const { genai } = await sdk(t, streamOf(ERROR))
  const err = await rejection(collect(await genai.models.generateContentStream(params)))
  t.ok(err instanceof ApiError)
  t.match(err, { status: 503 })
})

t.test('non-streaming: the SDK reads encodeResponse', async t => {
  const { server, genai } = await sdk(t, { json: client.encodeResponse(TOOL_RESPONSE, REQUEST) })
  const response = await genai.models.generateContent(params)
  t.strictSame(response.functionCalls, [{ id: 'call_a', name: 'get_weather', args: { city: 'Paris' } }])
  t.match(response.usageMetadata, { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 2 })
  t.equal(server.requests[0]?.url, '/v1beta/models/m1:generateContent')
  const { genai: g2 } = await sdk(t, { json: client.encodeResponse(TEXT_RESPONSE, REQUEST) })
  t.equal((await g2.models.generateContent(params)).text, 'Hello')
})

t.test('pre-stream error: renderError becomes an ApiError', async t => {
  const rendered = client.renderError({ kind: 'rate_limit', status: 429, message: 'quota', retryAfter: '5' })
  const { genai } = await sdk(t, { json: rendered.body, status: rendered.status, headers: rendered.headers })
  const err = await rejection(genai.models.generateContent(params))
  t.ok(err instanceof ApiError)
  t.match(err, { status: 429, message: /RESOURCE_EXHAUSTED/ })
})

t.test('countTokens: the path and body the SDK sends decode', async t => {
  const { server, genai } = await sdk(t, { json: { totalTokens: 3 } })
  t.equal((await genai.models.countTokens({ model: 'm1', contents: 'hi there' })).totalTokens, 3)
  const received = server.requests[0]
  const op = client.matchOperation('POST', received?.url.split('?')[0] ?? '')
  t.match(op, { operation: 'count-tokens', pathModel: 'm1' })
  t.match(client.decodeRequest(received?.body, op!), { model: 'm1', stream: false, messages: [{ role: 'user', parts: [{ text: 'hi there' }] }] })
})

/** Anthropic thinking then two calls without Gemini ids, as a non-Gemini backend streams them. */
const THINK_AND_CALL: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'reasoning' },
  { type: 'reasoning-delta', index: 0, delta: 'Need weather.' },
  { type: 'signature', index: 0, signature: { family: 'anthropic', value: 'EqQBsig' } },
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather' },
  { type: 'tool-input-delta', index: 1, delta: '{"city":"Paris"}' },
  { type: 'block-end', index: 1 },
  { type: 'block-start', index: 2, kind: 'tool-call', toolCallId: 'toolu_2', toolName: 'get_weather' },
  { type: 'tool-input-delta', index: 2, delta: '{"city":"Rome"}' },
  { type: 'block-end', index: 2 },
  { type: 'message-end', finish: { reason: 'tool-calls' } },
]

t.test('chat round trip: hidden thinking and calls; the next turn restores the signed thinking and pairs the results', async t => {
  let turn = 0
  const server = await startServer(t, () => ++turn === 1 ? { frames: encodeAll(client.createStreamEncoder(REQUEST), THINK_AND_CALL) } : streamOf(TEXT))
  const genai = new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: server.url } })
  const chat = genai.chats.create({ model: 'm1' })
  const first = await collect(await chat.sendMessageStream({ message: 'weather?' })) as Array<Awaited<ReturnType<typeof genai.models.generateContent>>>
  const calls = first.flatMap(c => c.functionCalls ?? [])
  t.strictSame(calls.map(c => c.args), [{ city: 'Paris' }, { city: 'Rome' }])
  t.strictSame(chat.getHistory(true), chat.getHistory(false), 'every chunk is valid history')
  // One response echoes the id, the other relies on order and name (§6.5).
  await collect(await chat.sendMessageStream({
    message: [
      { functionResponse: { id: 'toolu_1', name: 'get_weather', response: { output: 'sunny' } } },
      { functionResponse: { name: 'get_weather', response: { output: 'rainy' } } },
    ],
  }))
  const op = client.matchOperation('POST', server.requests[1]?.url.split('?')[0] ?? '')!
  t.strictSame(client.decodeRequest(server.requests[1]?.body, op).messages.slice(1), [
    {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Need weather.', signature: { family: 'anthropic', value: 'EqQBsig' } },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool-result', toolCallId: 'toolu_1', name: 'get_weather', content: [{ type: 'text', text: 'sunny' }] },
        { type: 'tool-result', toolCallId: 'toolu_2', name: 'get_weather', content: [{ type: 'text', text: 'rainy' }] },
      ],
    },
  ])
})

t.test('tools, toolConfig and thinkingConfig as the SDK sends them decode', async t => {
  const { server, genai } = await sdk(t, { json: client.encodeResponse(TEXT_RESPONSE, REQUEST) })
  await genai.models.generateContent({
    model: 'm1',
    contents: 'hi',
    config: {
      tools: [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING, nullable: true } }, required: ['city'] } }] }, { googleSearch: {} }],
      toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['get_weather'] } },
      thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
      responseMimeType: 'application/json',
    },
  })
  const op = client.matchOperation('POST', server.requests[0]?.url.split('?')[0] ?? '')!
  t.match(client.decodeRequest(server.requests[0]?.body, op), {
    tools: [{ kind: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: ['string', 'null'] } }, required: ['city'] } }],
    toolChoice: { type: 'tool', name: 'get_weather' },
    reasoning: { mode: 'on', budgetTokens: 2048, visible: true },
    responseFormat: { type: 'json_object' },
    dropped: [{ path: 'tools[1].googleSearch' }],
  })
})

t.test('models.list() reads encodeModelList', async t => {
  const { server, genai } = await sdk(t, { json: encodeModelList([{ id: 'gemini-x', backend: 'b' }, { id: 'claude-y', backend: 'c' }]) })
  const names = []
  for await (const model of await genai.models.list()) names.push([model.name, model.displayName, model.supportedActions])
  const methods = ['generateContent', 'streamGenerateContent', 'countTokens']
  t.strictSame(names, [['models/gemini-x', 'gemini-x', methods], ['models/claude-y', 'claude-y', methods]])
  t.equal(server.requests[0]?.method, 'GET')
  t.strictSame(client.matchOperation('GET', server.requests[0]?.url.split('?')[0] ?? ''), { dialect: 'gemini', operation: 'models' })
})
