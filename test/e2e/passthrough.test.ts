// Same-dialect passthrough against a real loopback upstream: what reaches the upstream, what
// comes back, and when.
import { once } from 'node:events'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import t from 'tap'
import { request } from 'undici'
import { json, startMockUpstream } from '../helpers/mock-upstream.js'
import { oneBackend, startApp } from '../helpers/start-app.js'

const UPSTREAM_KEY = 'sk-upstream-secret-7f3a9c'
const CHAT = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }

t.test('client credentials are stripped, the backend key is injected, hop-by-hop headers dropped', async t => {
  const upstream = await startMockUpstream(t, json({ ok: true }))
  const app = await startApp(t, oneBackend({
    protocol: 'openai-chat', url: upstream.url + '/v1', apiKey: UPSTREAM_KEY, headers: { 'OpenAI-Organization': 'org-1' },
  }))
  const res = await request(app.url + '/v1/chat/completions?key=client-gemini-key&keep=1', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer client-key',
      'x-api-key': 'client-anthropic-key',
      'x-goog-api-key': 'client-google-key',
      'x-custom': 'kept',
    },
    body: JSON.stringify(CHAT),
  })
  t.equal(res.statusCode, 200)
  t.same(await res.body.json(), { ok: true })
  const got = upstream.requests[0]!
  t.equal(got.url, '/v1/chat/completions?keep=1', 'path mapped onto the base URL; ?key= removed')
  t.equal(got.headers.authorization, 'Bearer ' + UPSTREAM_KEY)
  t.equal(got.headers['x-api-key'], undefined)
  t.equal(got.headers['x-goog-api-key'], undefined)
  t.equal(got.headers['openai-organization'], 'org-1', 'configured extra headers')
  t.equal(got.headers['x-custom'], 'kept')
  t.equal(got.headers.host, new URL(upstream.url).host, 'host is the upstream\'s')
  t.same(JSON.parse(got.body.toString()), CHAT, 'body forwarded unchanged')
  t.notOk(app.logText().includes(UPSTREAM_KEY), 'the backend key never reaches a log line')
  t.notOk(app.logText().includes('client-key'), 'client credentials are redacted')
})

t.test('headers named in Connection are hop-by-hop and never forwarded', async t => {
  const upstream = await startMockUpstream(t, json({ ok: true }))
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  // node:http, because undici writes its own Connection header.
  const req = httpRequest(app.url + '/v1/files', { headers: { connection: 'keep-alive, x-hop', 'x-hop': 'secret-hop', 'keep-alive': 'timeout=5', te: 'trailers', 'x-other': 'kept' } })
  req.end()
  const [res] = await once(req, 'response') as [IncomingMessage]
  res.resume()
  await once(res, 'end')
  t.equal(res.statusCode, 200)
  const got = upstream.requests[0]!
  t.equal(got.headers['x-hop'], undefined)
  t.equal(got.headers.te, undefined)
  t.equal(got.headers['keep-alive'], undefined)
  t.equal(got.headers['x-other'], 'kept')
})

t.test('anthropic backends get x-api-key and a default anthropic-version', async t => {
  const upstream = await startMockUpstream(t, json({ type: 'message' }))
  const app = await startApp(t, oneBackend({ protocol: 'anthropic', url: upstream.url + '/v1', apiKey: UPSTREAM_KEY }))
  const body = JSON.stringify({ model: 'claude', max_tokens: 5, messages: [] })
  await request(app.url + '/v1/messages?beta=true', { method: 'POST', headers: { 'x-api-key': 'client', 'content-type': 'application/json' }, body })
  await request(app.url + '/v1/messages', { method: 'POST', headers: { 'anthropic-version': '2099-01-01', 'content-type': 'application/json' }, body })
  t.equal(upstream.requests[0]!.url, '/v1/messages?beta=true')
  t.equal(upstream.requests[0]!.headers['x-api-key'], UPSTREAM_KEY)
  t.equal(upstream.requests[0]!.headers['anthropic-version'], '2023-06-01')
  t.equal(upstream.requests[1]!.headers['anthropic-version'], '2099-01-01', 'the client\'s version wins')
})

t.test('gemini backends get x-goog-api-key; ?key= is dropped, alt=sse kept; model aliases rewrite the path', async t => {
  const upstream = await startMockUpstream(t, json({ candidates: [] }))
  const app = await startApp(t, oneBackend({ protocol: 'gemini', url: upstream.url + '/v1beta', apiKey: UPSTREAM_KEY, models: { fast: 'gemini-2.5-flash' } }))
  await request(app.url + '/v1beta/models/fast:streamGenerateContent?alt=sse&key=client', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"contents":[]}',
  })
  const got = upstream.requests[0]!
  t.equal(got.url, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse')
  t.equal(got.headers['x-goog-api-key'], UPSTREAM_KEY)
  t.equal(got.body.toString(), '{"contents":[]}', 'the body is untouched')
})

t.test('model aliases and overrides rewrite the JSON body and nothing else', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const app = await startApp(t, { backends: [
    { name: 'alias', protocol: 'openai-chat', url: upstream.url, models: { fast: 'gpt-4.1-mini' }, match: { pathPrefix: '/a' } },
    { name: 'override', protocol: 'openai-chat', url: upstream.url, model: 'forced', match: { pathPrefix: '/o' } },
  ] })
  const send = (path: string, model: string) => request(app.url + path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...CHAT, model, temperature: 0.5 }),
  }).then(r => r.body.dump())
  await send('/a/v1/chat/completions', 'fast')
  await send('/a/v1/chat/completions', 'other')
  await send('/o/v1/chat/completions', 'anything')
  await send('/o/v1/embeddings', 'anything')
  const bodies = upstream.requests.map(r => JSON.parse(r.body.toString()) as Record<string, unknown>)
  t.equal(bodies[0]!.model, 'gpt-4.1-mini')
  t.equal(bodies[0]!.temperature, 0.5)
  t.equal(bodies[1]!.model, 'other', 'no alias: unchanged')
  t.equal(bodies[2]!.model, 'forced')
  t.equal(bodies[3]!.model, 'forced', 'non-dialect JSON paths are rewritten too')
  t.equal(upstream.requests[3]!.url, '/embeddings')
})

t.test('non-dialect paths pass through to the backend base path', async t => {
  const upstream = await startMockUpstream(t, json({ data: [] }))
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url + '/api/paas/v4' }))
  const res = await request(app.url + '/v1/files')
  t.equal(res.statusCode, 200)
  t.same(await res.body.json(), { data: [] })
  t.equal(upstream.requests[0]!.url, '/api/paas/v4/files')
  t.equal(upstream.requests[0]!.method, 'GET')
})

t.test('upstream error statuses and retry-after pass through unchanged', async t => {
  const upstream = await startMockUpstream(t, json({ error: { message: 'slow down', type: 'rate_limit_exceeded' } }, 429, { 'retry-after': '7' }))
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  const res = await request(app.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CHAT) })
  t.equal(res.statusCode, 429)
  t.equal(res.headers['retry-after'], '7')
  t.same(await res.body.json(), { error: { message: 'slow down', type: 'rate_limit_exceeded' } })
})

t.test('a stream reaches the client before the upstream finishes', async t => {
  const frames = ['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: [DONE]\n\n']
  const upstream = await startMockUpstream(t, { headers: { 'content-type': 'text/event-stream' }, frames, holdAfter: 1 })
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  const res = await request(app.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...CHAT, stream: true }) })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-accel-buffering'], 'no')
  const it = res.body[Symbol.asyncIterator]()
  const first = await it.next()
  t.equal(Buffer.from(first.value as Buffer).toString(), frames[0], 'first frame arrived while the upstream holds the rest')
  t.equal(upstream.requests.length, 1)
  upstream.release()
  let rest = ''
  for (let r = await it.next(); r.done !== true; r = await it.next()) rest += Buffer.from(r.value as Buffer).toString()
  t.equal(rest, frames[1]! + frames[2]!)
})

t.test('a client that disconnects aborts the upstream request at once', async t => {
  const upstream = await startMockUpstream(t, { headers: { 'content-type': 'text/event-stream' }, frames: ['data: 1\n\n', 'data: 2\n\n'], holdAfter: 1 })
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  const controller = new AbortController()
  const res = await request(app.url + '/v1/chat/completions', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...CHAT, stream: true }), signal: controller.signal,
  })
  await res.body[Symbol.asyncIterator]().next()
  controller.abort()
  t.equal(await upstream.closed(0), false, 'the upstream response was closed before it finished')
})

t.test('a client that disconnects before the upstream answers aborts it too', async t => {
  const upstream = await startMockUpstream(t, { silent: true })
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  const controller = new AbortController()
  const pending = request(app.url + '/v1/chat/completions', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CHAT), signal: controller.signal,
  }).catch(err => err as Error)
  await upstream.nextRequest()
  controller.abort()
  await pending
  t.equal(await upstream.closed(0), false)
})

t.test('413 for bodies over server.bodyLimit: declared, chunked, and read for conversion', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const app = await startApp(t, { server: { bodyLimit: 1000 }, backends: [
    { name: 'up', protocol: 'openai-chat', url: upstream.url, match: { pathPrefix: '/up' } },
    { name: 'mock', protocol: 'mock', match: { pathPrefix: '/mock' } },
  ] })
  const big = JSON.stringify({ ...CHAT, pad: 'x'.repeat(2000) })
  const declared = await request(app.url + '/up/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big })
  t.equal(declared.statusCode, 413)
  const err = await declared.body.json() as { error: { type: string, message: string } }
  t.match(err.error.message, /1000 bytes/)
  async function * chunked () { for (let i = 0; i < 4; i++) yield Buffer.alloc(400, 'x') }
  const streamed = await request(app.url + '/up/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Readable.from(chunked()) })
  t.equal(streamed.statusCode, 413, 'a chunked passthrough body is counted as it streams')
  await streamed.body.dump()
  const read = await request(app.url + '/mock/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Readable.from(chunked()) })
  t.equal(read.statusCode, 413)
  t.same(((await read.body.json()) as { type: string, error: { type: string } }).error.type, 'request_too_large', 'in the client\'s dialect')
})

t.test('502 when the backend is unreachable, in the client\'s dialect, naming the backend', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const deadUrl = upstream.url
  await upstream.close()
  const app = await startApp(t, { backends: [
    { name: 'dead-openai', protocol: 'openai-chat', url: deadUrl, apiKey: UPSTREAM_KEY, match: { pathPrefix: '/o' } },
    { name: 'dead-claude', protocol: 'anthropic', url: deadUrl, apiKey: UPSTREAM_KEY, match: { pathPrefix: '/a' } },
  ] })
  const o = await request(app.url + '/o/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CHAT) })
  t.equal(o.statusCode, 502)
  const oBody = await o.body.json() as { error: { message: string, type: string } }
  t.match(oBody.error.message, /dead-openai/)
  t.notMatch(oBody.error.message, UPSTREAM_KEY)
  const a = await request(app.url + '/a/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"c","max_tokens":1,"messages":[]}' })
  t.equal(a.statusCode, 502)
  const aBody = await a.body.json() as { type: string, error: { type: string, message: string } }
  t.equal(aBody.type, 'error')
  t.match(aBody.error.message, /dead-claude/)
})

t.test('504 when the backend does not answer within timeoutMs', async t => {
  const upstream = await startMockUpstream(t, { silent: true })
  const app = await startApp(t, oneBackend({ name: 'sleepy', protocol: 'gemini', url: upstream.url + '/v1beta', timeoutMs: 200 }))
  const res = await request(app.url + '/v1beta/models/g:generateContent', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"contents":[]}' })
  t.equal(res.statusCode, 504)
  const body = await res.body.json() as { error: { code: number, status: string, message: string } }
  t.equal(body.error.status, 'DEADLINE_EXCEEDED')
  t.match(body.error.message, /sleepy/)
})

t.test('504 when the whole-request deadline passes first', async t => {
  const upstream = await startMockUpstream(t, { silent: true })
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }, { server: { requestTimeoutMs: 200 } }))
  const res = await request(app.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CHAT) })
  t.equal(res.statusCode, 504)
})

t.test('x-request-id is kept or generated, echoed, and logged once with the request summary', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  const kept = await request(app.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc.1' }, body: JSON.stringify(CHAT) })
  await kept.body.dump()
  t.equal(kept.headers['x-request-id'], 'req-abc.1')
  t.equal(upstream.requests[0]!.headers['x-request-id'], 'req-abc.1', 'forwarded for tracing')
  const made = await request(app.url + '/v1/files', { headers: { 'x-request-id': 'bad id with spaces' } })
  await made.body.dump()
  t.match(made.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const lines = app.logs.filter(l => l.msg === 'request')
  t.equal(lines.length, 2, 'one line per request')
  t.match(lines[0], { reqId: 'req-abc.1', backend: 'b', dialect: 'openai-chat', status: 200, path: '/v1/chat/completions' })
  t.type(lines[0]!.durationMs, 'number')
})
