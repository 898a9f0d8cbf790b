// CORS and helmet over loopback: preflights answered before auth, CORS only when configured,
// API-minded security headers on JSON and on SSE replies (which keep their streaming headers).
import t from 'tap'
import { request } from 'undici'
import { json, startMockUpstream } from '../helpers/mock-upstream.js'
import { startApp } from '../helpers/start-app.js'

const KEY = 'sk-cors-test-123456'
const ORIGIN = 'https://app.example'
const MOCK = { name: 'mock', protocol: 'mock', match: { default: true } }
const CHAT = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }

const chatChunk = (delta: object, finish: string | null = null) =>
  'data: ' + JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] }) + '\n\n'
const CHAT_SSE = [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'streamed' }), chatChunk({}, 'stop'), 'data: [DONE]\n\n']

const preflight = (url: string, origin: string, requestHeaders: string) => request(url, {
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
})

t.test('CORS preflight: answered before auth, for the configured origins only', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const app = await startApp(t, {
    auth: { keys: [{ name: 'k', key: KEY }] },
    cors: { origins: [ORIGIN] },
    backends: [{ name: 'b', protocol: 'openai-chat', url: upstream.url, match: { default: true } }],
  })
  const asked = 'authorization, x-api-key, x-goog-api-key, anthropic-version, anthropic-beta, content-type, x-request-id, openai-beta, x-stainless-os'
  const res = await preflight(app.url + '/v1/chat/completions', ORIGIN, asked)
  t.equal(res.statusCode, 204, 'no key, yet no 401')
  await res.body.dump()
  t.equal(res.headers['access-control-allow-origin'], ORIGIN)
  t.same(String(res.headers['access-control-allow-methods']).split(', ').sort(), ['DELETE', 'GET', 'OPTIONS', 'POST'])
  const allowed = String(res.headers['access-control-allow-headers']).split(/,\s*/)
  for (const name of asked.split(', ')) t.ok(allowed.includes(name), `allows ${name}`)
  t.equal(res.headers['access-control-max-age'], '600')

  for (const path of ['/v1/messages', '/v1beta/models/m:streamGenerateContent', '/health/ready']) {
    const other = await preflight(app.url + path, ORIGIN, 'x-api-key')
    t.equal(other.statusCode, 204, `preflight ${path}`)
    await other.body.dump()
  }
  const stranger = await preflight(app.url + '/v1/chat/completions', 'https://evil.example', 'authorization')
  await stranger.body.dump()
  t.equal(stranger.headers['access-control-allow-origin'], undefined, 'an origin not configured is not allowed')
  t.equal(upstream.requests.length, 0, 'preflights never reach a backend')
})

t.test('CORS on actual requests: allow-origin, exposed headers, errors readable by the page', async t => {
  const app = await startApp(t, { auth: { keys: [{ name: 'k', key: KEY }] }, cors: { origins: ['*'] }, backends: [MOCK] })
  const ok = await request(app.url + '/v1/chat/completions', {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json', authorization: 'Bearer ' + KEY },
    body: JSON.stringify(CHAT),
  })
  t.equal(ok.statusCode, 200)
  await ok.body.dump()
  t.equal(ok.headers['access-control-allow-origin'], '*')
  const exposed = String(ok.headers['access-control-expose-headers']).split(', ')
  for (const name of ['x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) t.ok(exposed.includes(name), `exposes ${name}`)
  t.equal(ok.headers['cross-origin-resource-policy'], 'cross-origin', 'CORP lets other origins read the API')

  const denied = await request(app.url + '/v1/messages', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{}' })
  t.equal(denied.statusCode, 401)
  t.match(await denied.body.json(), { type: 'error', error: { type: 'authentication_error' } })
  t.equal(denied.headers['access-control-allow-origin'], '*', 'a 401 carries CORS headers, so the page can read it')
})

t.test('no cors in config: no CORS headers, OPTIONS is ordinary traffic', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const app = await startApp(t, { backends: [{ name: 'b', protocol: 'openai-chat', url: upstream.url, match: { default: true } }] })
  const res = await preflight(app.url + '/v1/files', ORIGIN, 'authorization')
  await res.body.dump()
  t.equal(res.headers['access-control-allow-origin'], undefined)
  t.equal(res.headers['access-control-allow-methods'], undefined)
  t.equal(upstream.requests[0]?.method, 'OPTIONS', 'passed through to the backend like any request')
})

t.test('helmet: API headers on JSON replies, nothing for documents', async t => {
  const app = await startApp(t, { backends: [MOCK] })
  for (const path of ['/v1/chat/completions', '/health/live']) {
    const res = await request(app.url + path, path === '/health/live' ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CHAT) })
    await res.body.dump()
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^application\/json/, `${path}: content-type kept`)
    t.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    t.equal(res.headers['x-frame-options'], 'DENY')
    t.equal(res.headers['referrer-policy'], 'no-referrer')
    t.equal(res.headers['cross-origin-resource-policy'], 'same-origin', 'no CORS configured: same-origin')
    for (const absent of ['strict-transport-security', 'x-xss-protection', 'cross-origin-opener-policy', 'origin-agent-cluster', 'x-download-options', 'access-control-allow-origin']) {
      t.equal(res.headers[absent], undefined, `${path}: no ${absent}`)
    }
  }
})

t.test('helmet leaves SSE streams intact: passthrough and converted', async t => {
  const upstream = await startMockUpstream(t, { status: 200, headers: { 'content-type': 'text/event-stream' }, frames: CHAT_SSE })
  const app = await startApp(t, { cors: { origins: [ORIGIN] }, backends: [{ name: 'b', protocol: 'openai-chat', url: upstream.url, match: { default: true } }] })
  const cases: [string, string, unknown, RegExp][] = [
    ['passthrough', '/v1/chat/completions', { ...CHAT, stream: true }, /streamed[\s\S]*\[DONE\]/],
    ['converted', '/v1/messages', { model: 'm', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'hi' }] }, /streamed[\s\S]*message_stop/],
  ]
  for (const [name, path, body, expected] of cases) {
    const res = await request(app.url + path, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    t.equal(res.statusCode, 200, name)
    t.match(res.headers['content-type'], /^text\/event-stream/, `${name}: still an event stream`)
    t.equal(res.headers['x-accel-buffering'], 'no', `${name}: still unbuffered`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${name}: helmet headers on the stream too`)
    t.equal(res.headers['access-control-allow-origin'], ORIGIN, `${name}: CORS on the stream too`)
    t.match(await res.body.text(), expected, `${name}: the whole stream arrives`)
  }
})
