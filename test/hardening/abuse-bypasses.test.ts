// Issue 10, abuse: holes abuse.test.ts found, each fixed and kept closed by a test here (the
// `Fix:` comments name where). Over loopback, raw sockets (no HTTP client sends these targets).
// Fixed in plugins/context.ts + src/http/request-target.ts (1-3a: only plain origin-form paths
// are accepted, 400 otherwise) and plugins/auth-allowlist.ts + plugins/body.ts (3b).
//
// 1. Dot segments (`..`, `%2e%2e`) are forwarded verbatim: any upstream that normalises the
//    path (nginx, Google's and Cloudflare's front ends, WHATWG URL) resolves them outside the
//    backend's base path — with the backend's key. Two backends on one host (tenants, Azure
//    deployments) let a key allowed one reach the other's paths.
// 2. Non-origin-form request targets (absolute-form `http://evil/...`, `//evil/...`, `*`) reach
//    the upstream as its request-target when the backend URL has no base path. RFC 9112 §3.2.2:
//    an origin server MUST take the host from an absolute-form target and ignore Host — so the
//    client picks the virtual host the upstream serves.
// 3. The models allowlist is bypassed: (a) a Gemini path with a dot segment is no dialect
//    operation, so no model is read, and normalises upstream to a refused model; (b) a body
//    whose content type is missing, not JSON or `Application/JSON` (case!) is not read, so its
//    model is never checked — upstreams parse it anyway (OpenAI and FastAPI servers compare media
//    types case-insensitively, FastAPI parses a body without content type, Ollama ignores it).
import { once } from 'node:events'
import { connect } from 'node:net'
import t from 'tap'
import { json, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js'
import { startApp, type StartedApp } from '../helpers/start-app.js'

const KEY = 'sk-abuse-pending-0123456789abcdef'
const chatBody = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] })
const GEM_BODY = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })

async function raw (app: StartedApp, method: string, target: string, headers: Readonly<Record<string, string>>, body = ''): Promise<number> {
  const socket = connect(Number(new URL(app.url).port), '127.0.0.1')
  const timer = setTimeout(() => socket.destroy(), 5000)
  await once(socket, 'connect')
  const lines = Object.entries({ host: 'switchyard.local', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  socket.write(`${method} ${target} HTTP/1.1\r\n${lines}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  await once(socket, 'close')
  clearTimeout(timer)
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString())?.[1] ?? 0)
}

/** The path an upstream that normalises (WHATWG URL, nginx) serves for a recorded request-target. */
const served = (up: MockUpstream, target: string) => new URL(target, up.url + '/')

// Fix: reject, in the context plugin's onRequest (plugins/context.ts), before routing, any path
// with a `.`/`..` segment, raw or percent-encoded (`%2e`, any case), with a 400 in the client's
// dialect naming the path; and in src/upstream/target.ts upstreamPath() assert the result has
// no dot segment (defence in depth for paths built elsewhere).
t.test('dot segments never take a request outside its backend\'s base path', async t => {
  const up = await startMockUpstream(t, json({ object: 'list', data: [] }))
  const app = await startApp(t, {
    auth: { keys: [{ name: 'tenant-a', key: KEY, backends: ['a'] }] },
    backends: [
      { name: 'a', protocol: 'openai-chat', url: up.url + '/a/v1', apiKey: 'sk-up-tenant-a-0001', match: { pathPrefix: '/a' } },
      { name: 'b', protocol: 'openai-chat', url: up.url + '/b/v1', apiKey: 'sk-up-tenant-b-0001', match: { default: true } },
    ],
  })
  const targets = [
    '/a/v1/../../b/v1/files', '/a/v1/%2e%2e/%2e%2e/b/v1/files', '/a/v1/%2E%2E/%2E%2E/b/v1/files', '/a/v1/.%2e/.%2E/b/v1/files',
    '/a/v1/./../../b/v1/files', '/a/../../b/v1/files', '/a/v1/..', '/a/v1/models/../../../b/v1/chat/completions',
  ]
  for (const target of targets) {
    const status = await raw(app, 'GET', target, { 'x-api-key': KEY })
    t.equal(status, 400, `${target} -> 400`)
  }
  for (const r of up.requests) {
    const path = served(up, r.url).pathname
    t.ok(path.startsWith('/a/v1/'), `served under /a/v1/ (with tenant a's key): ${r.url} -> ${path}`)
  }
})

// Fix: in plugins/context.ts onRequest, answer 400 for any request.url that does not start
// with exactly one `/` (absolute-form, `//host`, `*`), before routing; Node's parser accepts
// them all. Today `*` even reaches undici as a path and comes back as a 502 blaming the backend.
t.test('only origin-form targets are forwarded: absolute-form, `//host` and `*` are a 400 and reach no upstream', async t => {
  const good = await startMockUpstream(t, json({ object: 'list', data: [] }))
  const evil = 'evil.example:8443'
  const app = await startApp(t, { backends: [{ name: 'root', protocol: 'openai-chat', url: good.url, apiKey: 'sk-up-root-0001', match: { default: true } }] })
  for (const target of [`http://${evil}/v1/chat/completions`, `https://${evil}/v1/files`, `//${evil}/v1/files`, `///${evil}/v1/files`, '*']) {
    const status = await raw(app, 'POST', target, { 'content-type': 'application/json' }, chatBody('m'))
    t.equal(status, 400, `${target} -> 400`)
  }
  for (const r of good.requests) {
    t.ok(r.url.startsWith('/') && !r.url.startsWith('//'), `origin-form request-target upstream: ${r.url}`)
    t.equal(served(good, r.url).host, new URL(good.url).host, `the upstream serves its own host: ${r.url}`)
  }
})

// Fix (a): the Gemini route matcher (src/dialects/gemini/routes.ts) already refuses a `/` in
// the model; with dot segments refused before routing (test 1), the path cannot name another
// model. Until then, plugins/auth-allowlist.ts should refuse a key with a `models` list any
// `/models/` path that is no dialect operation.
t.test('a key\'s models allowlist cannot be passed by a Gemini path with dot segments', async t => {
  const gem = await startMockUpstream(t, json({ candidates: [] }))
  const app = await startApp(t, {
    auth: { keys: [{ name: 'flash-only', key: KEY, models: ['gemini-1.5-flash'] }] },
    backends: [{ name: 'gem', protocol: 'gemini', url: gem.url + '/v1beta', apiKey: 'up-gem-0001', match: { default: true } }],
  })
  t.equal(await raw(app, 'POST', '/v1beta/models/gemini-2.5-pro:generateContent', { 'x-goog-api-key': KEY, 'content-type': 'application/json' }, GEM_BODY), 403, 'refused when asked plainly')
  for (const target of [
    '/v1beta/models/x/../gemini-2.5-pro:generateContent',
    '/v1beta/models/gemini-1.5-flash:generateContent/../gemini-2.5-pro:generateContent',
    '/v1beta/models/gemini-1.5-flash/%2e%2e/gemini-2.5-pro:streamGenerateContent?alt=sse',
  ]) {
    const status = await raw(app, 'POST', target, { 'x-goog-api-key': KEY, 'content-type': 'application/json' }, GEM_BODY)
    t.ok(status === 400 || status === 403, `${target} -> ${status}`)
  }
  for (const r of gem.requests) t.notMatch(served(gem, r.url).pathname, /gemini-2\.5-pro/, `the refused model was reached: ${r.url}`)
})

// Fix (b): plugins/auth-allowlist.ts:38 reads the body only when `content-type` includes the
// lower-case `json`. For a key with a `models` list, read every request body of a dialect
// operation (and of any request with a body) whatever its content type, and take the model from
// it when it parses as JSON; compare media types case-insensitively (plugins/body.ts:23 has the
// same case-sensitive test).
t.test('a key\'s models allowlist holds whatever the body\'s content type says', async t => {
  const up = await startMockUpstream(t, json({ id: 'c1', object: 'chat.completion', choices: [] }))
  const app = await startApp(t, {
    auth: { keys: [{ name: 'mini-only', key: KEY, models: ['gpt-4o-mini'] }] },
    backends: [
      { name: 'chat', protocol: 'openai-chat', url: up.url + '/v1', apiKey: 'sk-up-chat-0001', match: { default: true } },
      { name: 'retrying', protocol: 'openai-chat', url: up.url + '/v1', apiKey: 'sk-up-chat-0001', retries: 1, match: { pathPrefix: '/r' } },
    ],
  })
  const plain = await raw(app, 'POST', '/v1/chat/completions', { 'x-api-key': KEY, 'content-type': 'application/json' }, chatBody('gpt-5-expensive'))
  t.equal(plain, 403, 'refused when the body says application/json')
  for (const path of ['/v1/chat/completions', '/r/v1/chat/completions', '/v1/embeddings']) {
    for (const type of [undefined, 'text/plain', 'Application/JSON', 'APPLICATION/JSON; charset=utf-8', 'application/octet-stream']) {
      const status = await raw(app, 'POST', path, { 'x-api-key': KEY, ...(type === undefined ? {} : { 'content-type': type }) }, chatBody('gpt-5-expensive'))
      t.ok(status === 403 || status === 400 || status === 415, `${path}, content-type ${type ?? '(none)'} -> ${status}`)
    }
  }
  const reached = up.requests.filter(r => r.body.includes('gpt-5-expensive'))
  t.equal(reached.length, 0, `the refused model reached the upstream ${reached.length} times`)
})
