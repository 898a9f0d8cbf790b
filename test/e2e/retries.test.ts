// Retries and key rotation against a fault-injecting loopback upstream: what the upstream saw
// (how many attempts, which key, which bytes), what the client got, and what was reported to
// the metrics Recorder. The proxy is composed here as app.ts composes it, with a Recorder that
// writes down every call.
import t, { type Test } from 'tap'
import Fastify from 'fastify'
import { once } from 'node:events'
import { request } from 'undici'
import bodyPlugin from '../../plugins/body.js'
import contextPlugin from '../../plugins/context.js'
import errorHandlerPlugin from '../../plugins/error-handler.js'
import proxyPlugin from '../../plugins/proxy.js'
import routerPlugin from '../../plugins/router.js'
import { validateConfig } from '../../src/config/validate.js'
import type { Recorder } from '../../src/metrics/recorder.js'
import { compileRoutes } from '../../src/routing/compile.js'
import { declaredModels } from '../../src/routing/models.js'
import { createBackend } from '../../src/upstream/backend.js'
import { closedPort, json, startMockUpstream, type MockUpstream, type Script } from '../helpers/mock-upstream.js'

type Tap = Test

interface Recorded { readonly url: string, readonly calls: string[] }

async function startRecorded (t: Tap, backend: Record<string, unknown>, server: Record<string, unknown> = {}): Promise<Recorded> {
  const config = validateConfig({ logging: { level: 'silent' }, server, backends: [{ name: 'b', ...backend }] })
  const calls: string[] = []
  const recorder: Recorder = {
    upstreamError: (b, kind) => { calls.push(`error:${b}:${kind}`) },
    retry: b => { calls.push(`retry:${b}`) },
    rateLimited: () => {},
    tokens: (b, model, u) => { calls.push(`tokens:${b}:${model}:${u.input}/${u.output}`) },
    streamOpened: b => { calls.push(`open:${b}`) },
    streamClosed: b => { calls.push(`close:${b}`) },
  }
  const backends = new Map(config.backends.map(b => [b.name, createBackend(b)]))
  const app = Fastify({ exposeHeadRoutes: false, forceCloseConnections: true })
  app.addHook('onClose', async () => { await Promise.all([...backends.values()].map(b => b.pool?.close())) })
  await app.register(contextPlugin, { requestTimeoutMs: config.server.requestTimeoutMs })
  await app.register(errorHandlerPlugin)
  await app.register(async api => {
    await api.register(routerPlugin, { table: compileRoutes(config.backends), backends })
    await api.register(bodyPlugin, { bodyLimit: config.server.bodyLimit })
    await api.register(proxyPlugin, {
      bodyLimit: config.server.bodyLimit, keepaliveMs: 15_000, models: declaredModels(config.backends), recorder, backends, logBodies: false,
    })
  })
  t.teardown(() => app.close())
  return { url: await app.listen({ host: '127.0.0.1', port: 0 }), calls }
}

/** An upstream answering its Nth request with `scripts[N]` (the last one from then on). */
function scripted (t: Tap, scripts: readonly Script[]): Promise<MockUpstream> {
  let n = 0
  return startMockUpstream(t, () => scripts[Math.min(n++, scripts.length - 1)])
}


const CHAT_OK = {
  id: 'c1', object: 'chat.completion', created: 1, model: 'up',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
}
const chatError = (status: number, headers: Record<string, string> = {}): Script =>
  json({ error: { message: `upstream says ${status}`, type: 'server_error', code: null } }, status, headers)
const chatChunk = (delta: object) =>
  'data: ' + JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [{ index: 0, delta, finish_reason: null }] }) + '\n\n'

const ANTH = JSON.stringify({ model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
const post = (url: string, body = ANTH, signal?: AbortSignal) =>
  request(url + '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...(signal === undefined ? {} : { signal }) })

t.test('5xx twice, then success: one answer, identical bytes each attempt, each retry counted', async t => {
  const upstream = await scripted(t, [chatError(500), chatError(503), json(CHAT_OK)])
  const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 2 })
  const res = await post(app.url)
  t.equal(res.statusCode, 200)
  t.match(await res.body.json(), { type: 'message', content: [{ type: 'text', text: 'hello' }] })
  t.equal(upstream.requests.length, 3)
  t.same(upstream.requests[2]!.body, upstream.requests[0]!.body, 'the retry resends the same request')
  t.same(app.calls, ['error:b:status', 'retry:b', 'error:b:status', 'retry:b', 'tokens:b:claude-x:3/2'])
})

t.test('retry-after is honoured: the next attempt waits at least that long', async t => {
  const arrivals: number[] = []
  let n = 0
  const upstream = await startMockUpstream(t, () => {
    arrivals.push(performance.now())
    return n++ === 0 ? chatError(429, { 'retry-after': '1' }) : json(CHAT_OK)
  })
  const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 1 })
  const res = await post(app.url)
  t.equal(res.statusCode, 200)
  await res.body.dump()
  const gap = arrivals[1]! - arrivals[0]!
  t.ok(gap >= 990, `waited ${Math.round(gap)} ms`)
  t.ok(gap < 2000, 'and not much more than asked (no backoff on top)')
})

t.test('retries exhausted: the client gets the last error, in its dialect, with the upstream status', async t => {
  const upstream = await scripted(t, [chatError(503, { 'retry-after': '0' }), chatError(502)])
  const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 1 })
  const res = await post(app.url)
  t.equal(res.statusCode, 502)
  t.match(await res.body.json(), { type: 'error', error: { type: 'api_error', message: /upstream says 502/ } })
  t.equal(upstream.requests.length, 2)
})

t.test('4xx is the request\'s fault: never retried', async t => {
  const upstream = await scripted(t, [json({ error: { message: 'bad field', type: 'invalid_request_error' } }, 400)])
  const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 3 })
  const res = await post(app.url)
  t.equal(res.statusCode, 400)
  t.match(await res.body.json(), { type: 'error', error: { type: 'invalid_request_error' } })
  t.equal(upstream.requests.length, 1)
  t.same(app.calls, ['error:b:status'])
})

t.test('once the stream started there is no retry: a drop mid-stream is an in-stream error', async t => {
  const upstream = await scripted(t, [{ headers: { 'content-type': 'text/event-stream' }, frames: [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'par' }), chatChunk({ content: 'tial' })], frameDelayMs: 30, destroyAfter: 3 }])
  const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 3 })
  const res = await post(app.url, JSON.stringify({ ...JSON.parse(ANTH), stream: true }))
  t.equal(res.statusCode, 200)
  const text = await res.body.text()
  t.match(text, /"text":"par"/)
  t.match(text, /event: error\ndata: \{"type":"error","error":\{"type":"api_error"/)
  t.equal(upstream.requests.length, 1, 'one upstream request')
  for (let i = 0; i < 50 && !app.calls.includes('close:b'); i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.same(app.calls, ['open:b', 'error:b:connect', 'close:b'], 'the drop is counted, the stream closed once, no retry')
})

t.test('connect refused: retried with backoff, then a 502 in the client\'s dialect', async t => {
  const port = await closedPort()
  const app = await startRecorded(t, { protocol: 'openai-chat', url: `http://127.0.0.1:${port}`, retries: 2 })
  const res = await post(app.url)
  t.equal(res.statusCode, 502)
  t.match(await res.body.json(), { type: 'error', error: { type: 'api_error', message: /backend b is unreachable/ } })
  t.same(app.calls, ['error:b:connect', 'retry:b', 'error:b:connect', 'retry:b', 'error:b:connect'])
})

t.test('a first byte slower than timeoutMs is a timeout, and retried', async t => {
  const upstream = await scripted(t, [{ silent: true }, json(CHAT_OK)])
  const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 1, timeoutMs: 300 })
  const started = performance.now()
  const res = await post(app.url)
  t.equal(res.statusCode, 200)
  await res.body.dump()
  t.ok(performance.now() - started >= 300, 'the first attempt was given its timeoutMs')
  t.equal(upstream.requests.length, 2)
  t.same(app.calls.slice(0, 2), ['error:b:timeout', 'retry:b'])
})

t.test('waiting is cancelled by the request\'s signal', async t => {
  t.test('client gone during a retry-after: no further attempt', async t => {
    const upstream = await scripted(t, [chatError(429, { 'retry-after': '20' }), json(CHAT_OK)])
    const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 1 })
    const ac = new AbortController()
    const pending = post(app.url, ANTH, ac.signal).catch((err: Error) => err)
    await upstream.nextRequest()
    await new Promise(resolve => setTimeout(resolve, 50))
    ac.abort()
    t.ok(await pending instanceof Error, 'the client gave up')
    await new Promise(resolve => setTimeout(resolve, 200))
    t.equal(upstream.requests.length, 1)
    t.same(app.calls, ['error:b:status'], 'no retry counted')
  })

  t.test('request deadline during a retry-after: a timeout at the deadline, not 20 s later', async t => {
    const upstream = await scripted(t, [chatError(429, { 'retry-after': '20' }), json(CHAT_OK)])
    const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 1 }, { requestTimeoutMs: 400 })
    const started = performance.now()
    const res = await post(app.url)
    t.equal(res.statusCode, 504)
    t.match(await res.body.json(), { type: 'error', error: { message: /did not answer in time/ } })
    t.ok(performance.now() - started < 2000)
    t.equal(upstream.requests.length, 1)
  })
})

t.test('passthrough retries: the read body is resent byte for byte', async t => {
  const raw = '{"model":"gpt",   "messages":[{"role":"user","content":"hi"}]}'
  const upstream = await scripted(t, [chatError(502), json(CHAT_OK)])
  const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url + '/v1', retries: 1, apiKey: 'sk-pass-1234' })
  const res = await request(app.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw })
  t.equal(res.statusCode, 200)
  t.same(await res.body.json(), CHAT_OK)
  t.equal(upstream.requests.length, 2)
  for (const r of upstream.requests) {
    t.equal(r.body.toString(), raw)
    t.equal(r.headers['content-length'], String(Buffer.byteLength(raw)))
    t.equal(r.headers.authorization, 'Bearer sk-pass-1234')
  }
})

t.test('key rotation: a key answered 429 cools down while the other serves', async t => {
  const upstream = await startMockUpstream(t, req =>
    req.headers.authorization === 'Bearer key-one-aaaa' ? chatError(429, { 'retry-after': '5' }) : json(CHAT_OK))
  const app = await startRecorded(t, { protocol: 'openai-chat', url: upstream.url, retries: 1, apiKey: ['key-one-aaaa', 'key-two-bbbb'] })
  const started = performance.now()
  for (let i = 0; i < 3; i++) {
    const res = await post(app.url)
    t.equal(res.statusCode, 200)
    await res.body.dump()
  }
  t.ok(performance.now() - started < 1500, 'the retry went to the other key at once, not after retry-after')
  t.same(upstream.requests.map(r => r.headers.authorization?.slice(7)), ['key-one-aaaa', 'key-two-bbbb', 'key-two-bbbb', 'key-two-bbbb'],
    'the 429 key is not tried again during its cooldown')
  t.equal(app.calls.filter(c => c === 'retry:b').length, 1)
})

t.test('without retries, keys still rotate across requests', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_OK))
  const app = await startRecorded(t, { protocol: 'anthropic', url: upstream.url, apiKey: ['ka-1111', 'kb-2222'] })
  for (let i = 0; i < 4; i++) {
    const res = await request(app.url + '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ANTH })
    await res.body.dump()
  }
  t.same(upstream.requests.map(r => r.headers['x-api-key']), ['ka-1111', 'kb-2222', 'ka-1111', 'kb-2222'], 'passthrough too')
})
