// Abuse (issue 10): no client input chooses where Switchyard connects, a key cannot reach a
// backend outside its allowlist, and key lookup is constant-time. Over loopback, with a second
// "evil" upstream that must never receive a byte: every attacker-controlled value below names it.
//
// - Headers: Host, X-Forwarded-Host/-Proto/-Port, Forwarded, X-Original-URL and a dozen
//   backend-URL-like headers, alone and together, with `trustProxy` on (the worst case), on
//   passthrough, converted and non-dialect requests. The configured upstream must get each
//   request with its own Host.
// - Request targets over a raw socket (what no HTTP client would send): absolute-form naming the
//   evil host, `//host`, encoded slashes and dots, backslashes. Where they land inside the
//   configured upstream's path space is abuse-pending.test.ts (dot segments escape the base path).
// - Model names (URLs, `../`, `@host`, `:`, `/`, encoded forms) sent to a Gemini backend, where
//   the model becomes a path segment: 400, or exactly one segment under the backend's base path.
// - Coze ids (`x-bot-id`, `x-workflow-id`, `x-conversation-id`, management paths) with URLs and
//   path characters: refused before Coze is called.
// - Allowlist: fallback targets, alias names, `match.headers`, and path prefix variations
//   (`/Claude`, `/claude/../open`, `//claude`, `/%63laude`) never reach a refused backend.
// - Timing: see the last test for why it inspects findKey's work rather than measuring time.
import { once } from 'node:events'
import { connect } from 'node:net'
import t from 'tap'
import { createKeyIndex, findKey, type KeyIndex } from '../../src/auth/keys.js'
import type { ClientKeyConfig } from '../../src/config/schema.js'
import { COZE_TOKEN, startCozeUpstream } from '../helpers/coze-upstream.js'
import { json, startMockUpstream, type MockUpstream, type RecordedRequest, type Script } from '../helpers/mock-upstream.js'
import { startApp, type StartedApp } from '../helpers/start-app.js'

const KEY = 'sk-abuse-client-0123456789abcdef'
const CHAT_OK = { id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }
const ANTH_OK = { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }
const GEM_OK = { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 } }
const chatBody = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] })
const anthBody = (model: string) => JSON.stringify({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
const GEM_BODY = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })

/** Answers in the dialect its path asks for; `fail` in the body makes it a 503. */
function dialectReply (r: RecordedRequest): Script {
  if (r.body.includes('"fail"')) return json({ error: { message: 'down', type: 'server_error' } }, 503)
  if (r.url.includes('/messages')) return json(ANTH_OK)
  if (r.url.includes(':generateContent')) return json(GEM_OK)
  if (r.url.includes('/chat/completions')) return json(CHAT_OK)
  return json({ object: 'list', data: [] })
}

interface RawReply { readonly status: number, readonly text: string }

/**
 * One request written byte for byte over a fresh socket (`Connection: close`), so the request
 * target and Host are exactly what an attacker chooses. Bounded: 5 s, then the socket is cut.
 */
async function raw (app: StartedApp, method: string, target: string, headers: Readonly<Record<string, string>>, body = ''): Promise<RawReply> {
  const { port } = new URL(app.url)
  const socket = connect(Number(port), '127.0.0.1')
  const timer = setTimeout(() => socket.destroy(), 5000)
  await once(socket, 'connect')
  const lines = Object.entries({ host: 'switchyard.local', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  socket.write(`${method} ${target} HTTP/1.1\r\n${lines}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  await once(socket, 'close')
  clearTimeout(timer)
  const text = Buffer.concat(chunks).toString()
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }
}

const hostOf = (m: MockUpstream) => new URL(m.url).host

t.test('headers never choose the upstream: every request reaches the configured one, with its Host', async t => {
  const good = await startMockUpstream(t, dialectReply)
  const evil = await startMockUpstream(t, json({ pwned: true }))
  const e = hostOf(evil)
  const app = await startApp(t, {
    server: { trustProxy: true },
    auth: { keys: [{ name: 'a', key: KEY }] },
    backends: [
      { name: 'claude', protocol: 'anthropic', url: good.url + '/anth/v1', apiKey: 'sk-up-anth-0001', match: { pathPrefix: '/claude' } },
      { name: 'gem', protocol: 'gemini', url: good.url + '/gem/v1beta', apiKey: 'up-gem-0001', match: { models: ['gemini-*'] } },
      { name: 'chat', protocol: 'openai-chat', url: good.url + '/v1', apiKey: 'sk-up-chat-0001', match: { default: true } },
    ],
  })
  const hostile: Record<string, string>[] = [
    { host: e }, { 'x-forwarded-host': e }, { 'x-forwarded-host': e, 'x-forwarded-proto': 'https', 'x-forwarded-port': e.split(':')[1] as string },
    { forwarded: `for=10.0.0.1;host=${e};proto=http` }, { 'x-original-url': `http://${e}/v1/chat/completions` },
    { 'x-rewrite-url': `//${e}/v1/chat/completions` }, { 'x-backend-url': `http://${e}/v1` }, { 'x-upstream-url': `http://${e}/v1` },
    { 'x-target-url': `http://${e}/` }, { 'x-proxy-url': `http://${e}/` }, { 'x-base-url': `http://${e}/v1` },
    { 'x-forwarded-server': e }, { 'x-host': e }, { 'x-http-destinationurl': `http://${e}/` }, { destination: `http://${e}/` },
    { 'x-backend': 'evil', 'x-model-type': 'workflow', 'x-bot-id': `http://${e}/` },
  ]
  const all = Object.assign({}, ...hostile) as Record<string, string>
  const auth = { 'x-api-key': KEY, 'content-type': 'application/json' }
  // [method, target, body, status]: passthrough, converted (anthropic → chat), a prefixed
  // passthrough, converted to Gemini (model in the path), and a non-dialect path.
  const requests: [string, string, string, number][] = [
    ['POST', '/v1/chat/completions', chatBody('gpt-x'), 200],
    ['POST', '/v1/messages', anthBody('gpt-x'), 200],
    ['POST', '/claude/v1/messages', anthBody('claude-x'), 200],
    ['POST', '/v1/chat/completions', chatBody('gemini-x'), 200],
    ['POST', '/v1/embeddings', JSON.stringify({ model: 'e', input: 'x' }), 200],
  ]
  let sent = 0
  for (const headers of hostile) {
    const res = await raw(app, 'POST', '/v1/chat/completions', { ...auth, ...headers }, chatBody('gpt-x'))
    t.equal(res.status, 200, `answered from the configured upstream: ${Object.keys(headers).join(', ')}`)
    sent++
  }
  for (const [method, target, body, status] of requests) {
    const res = await raw(app, method, target, { ...auth, ...all }, body)
    t.equal(res.status, status, `${target} with every hostile header at once`)
    t.notMatch(res.text, /pwned/)
    sent++
  }
  t.equal(evil.requests.length, 0, 'the evil upstream received nothing')
  t.equal(evil.sockets.size, 0, 'not even a connection')
  t.equal(good.requests.length, sent, 'every request reached the configured upstream, once')
  for (const r of good.requests) {
    t.equal(r.headers.host, hostOf(good), `Host is the configured upstream's (${r.url})`)
    t.ok(['/v1/', '/anth/v1/', '/gem/v1beta/'].some(base => r.url.startsWith(base)), `under a configured base path: ${r.url}`)
  }
})

t.test('hostile request targets over a raw socket: nothing connects anywhere but the configured upstream, no crash', async t => {
  const good = await startMockUpstream(t, dialectReply)
  const evil = await startMockUpstream(t, json({ pwned: true }))
  const e = hostOf(evil)
  // Base path `/`: the client path is appended to nothing, the worst case for a target.
  const app = await startApp(t, { backends: [{ name: 'chat', protocol: 'openai-chat', url: good.url, apiKey: 'sk-up-chat-0001', match: { default: true } }] })
  const targets = [
    `http://${e}/v1/chat/completions`, `https://${e}/v1/chat/completions`, `//${e}/v1/chat/completions`, `///${e}/x`,
    `/%2F%2F${e}/x`, `/%2f%2f${e}%2fx`, `/v1/%2F%2F${e}/x`, `/\\\\${e}/x`, `/v1/..\\..\\${e}`, `/@${e}/x`, `@${e}/x`,
    `/v1/chat/completions?url=http://${e}/`, `/v1/chat/completions#http://${e}/`, `*`, `${e}:80`, `/v1/%00/x`, `/v1/%E0%80%AF/x`,
  ]
  for (const target of targets) {
    const res = await raw(app, 'POST', target, { 'content-type': 'application/json' }, chatBody('gpt-x'))
    // Answered (what status is abuse-pending's question), never an unhandled 500.
    t.ok(res.status >= 200 && res.status !== 500, `${target} -> ${res.status}`)
    t.notMatch(res.text, /pwned/)
  }
  const connect = await raw(app, 'CONNECT', e, {})
  t.ok(connect.status >= 400 || connect.status === 0, `CONNECT ${e} is refused (${connect.status})`)
  t.equal(evil.requests.length, 0, 'the evil upstream received nothing')
  t.equal(evil.sockets.size, 0, 'not even a connection')
  for (const r of good.requests) t.equal(r.headers.host, hostOf(good), `Host is the configured upstream's (${r.url})`)
  const live = await raw(app, 'GET', '/health/live', {})
  t.equal(live.status, 200, 'the process is still up')
})

t.test('model names cannot reach another endpoint: a Gemini backend gets one segment under its base, or the client a 400', async t => {
  const gem = await startMockUpstream(t, dialectReply)
  const evil = await startMockUpstream(t, json({ pwned: true }))
  const e = hostOf(evil)
  const app = await startApp(t, {
    backends: [
      // An alias maps a name to an upstream model the operator chose; a client name that is no
      // alias goes up as it is, and must still be encoded or refused.
      { name: 'aliased', protocol: 'gemini', url: gem.url + '/base/v1beta', apiKey: 'up-gem-0001', models: { safe: 'gemini-ok' }, match: { pathPrefix: '/al' } },
      { name: 'gem', protocol: 'gemini', url: gem.url + '/base/v1beta', apiKey: 'up-gem-0001', match: { default: true } },
    ],
  })
  const models = [
    'gemini-ok', '../../evil', '..', '.', 'models/../../x', 'models/', 'x/y', 'x/../../y', `http://${e}/`, `//${e}/x`, `@${e}`,
    `gemini@${e}`, 'a:b', 'gemini-pro:generateContent?key=x#', 'gemini%2F..%2F..%2Fx', '%2e%2e', '%2e%2e%2fx', 'a\\..\\b', 'a?b=c', 'a#b',
    'a b', 'a\r\nHost: evil', 'ünïcödé', 'x'.repeat(300),
  ]
  const segment = /^\/base\/v1beta\/models\/([^/?#]+):generateContent$/
  let forwarded = 0
  for (const model of [...models, 'safe']) {
    for (const [prefix, m] of [['', model], ['/al', model]] as const) {
      const before = gem.requests.length
      const res = await raw(app, 'POST', prefix + '/v1/chat/completions', { 'content-type': 'application/json' }, chatBody(m))
      t.ok(res.status === 200 || res.status === 400, `${JSON.stringify(m)} via ${prefix || '/'} -> ${res.status}`)
      if (gem.requests.length === before) continue
      forwarded++
      const url = gem.requests.at(-1)!.url
      const seg = segment.exec(url)?.[1]
      t.ok(seg !== undefined, `one path segment: ${url}`)
      const decoded = decodeURIComponent(seg ?? '/')
      t.notOk(decoded.includes('/') || decoded.split(':')[0] === '..', `the segment decodes to no path: ${decoded.slice(0, 40)}`)
      t.equal(new URL(url, gem.url).pathname, url.split('?')[0], 'normalising the path changes nothing')
    }
  }
  t.ok(forwarded > 0, 'harmless names are forwarded')
  // The Gemini client's own path model, passed through to the Gemini backend.
  for (const model of ['..', '.', '%2e%2e', '..%2F..%2Fx', `%2F%2F${e}`, 'a%3Ab', '%40evil']) {
    const res = await raw(app, 'POST', `/v1beta/models/${model}:generateContent`, { 'content-type': 'application/json' }, GEM_BODY)
    t.ok(res.status < 500, `path model ${model} -> ${res.status}`)
  }
  t.equal(evil.requests.length + evil.sockets.size, 0, 'the evil upstream received nothing')
})

t.test('coze ids from headers and paths are plain tokens: URLs and path characters are refused before Coze is called', async t => {
  const coze = await startCozeUpstream(t, { chat: () => ({ answer: ['ok'] }), workflow: () => ({ messages: ['ok'] }) })
  const app = await startApp(t, {
    // `owner` may override the bot and workflow (its allowlist names the backend): the strongest key.
    auth: { keys: [{ name: 'owner', key: KEY, backends: ['bot'] }] },
    backends: [{ name: 'bot', protocol: 'coze', url: coze.url, apiKey: COZE_TOKEN, coze: { botId: '7350000000000000001', workflowId: '7360000000000000001' }, match: { default: true } }],
  })
  const hostile = ['http://evil.example/', '../../v3/chat', '1/../2', '123?bot_id=9', '123#x', '%2F..%2F', '123 456', '..', '7350000000000000001/../../v1/workflow/run', '123&conversation_id=9']
  const h = { 'x-api-key': KEY, 'content-type': 'application/json' }
  let refused = 0
  for (const id of hostile) {
    const variants: Record<string, string>[] = [{ 'x-bot-id': id }, { 'x-model-type': 'workflow', 'x-workflow-id': id }, { 'x-model-type': 'workflow', 'x-bot-id': id }, { 'x-model-type': 'conversation', 'x-conversation-id': id }]
    for (const headers of variants) {
      const res = await raw(app, 'POST', '/v1/chat/completions', { ...h, ...headers }, chatBody('bot'))
      t.equal(res.status, 400, `${JSON.stringify(headers)} -> 400`)
      refused++
    }
  }
  for (const path of ['/v1/conversations/..%2F..%2Fv3%2Fchat/messages', '/v1/conversations/../../v3/chat/messages', '/v1/conversations/1%2F2', '/v1/conversations/http:%2F%2Fevil/messages']) {
    const res = await raw(app, path.endsWith('messages') ? 'GET' : 'DELETE', path, h)
    t.ok(res.status === 400 || res.status === 404, `${path} -> ${res.status}`)
    refused++
  }
  for (const path of ['/v3/chat', '/v1/../v3/chat', '/v1/workflow/stream_run', '/v1/conversation/create']) {
    const res = await raw(app, 'POST', path, h, '{}')
    t.ok(res.status === 404 || res.status === 400, `${path}: Coze's own paths are not passed through (${res.status})`)
    refused++
  }
  t.equal(coze.received.length, 0, `Coze received none of ${refused} hostile requests`)
  const ok = await raw(app, 'POST', '/v1/chat/completions', { ...h, 'x-bot-id': '7350000000000000999' }, chatBody('bot'))
  t.equal(ok.status, 200, 'a plain id is honoured for this key')
  t.same(coze.received.map(r => r.path), ['/v3/chat'])
})

t.test('a key cannot reach a backend outside its allowlist through fallback, aliases, header routing or path tricks', async t => {
  const open = await startMockUpstream(t, dialectReply)
  const secret = await startMockUpstream(t, dialectReply)
  const config = {
    auth: { keys: [{ name: 'limited', key: KEY, backends: ['open', 'def'] }] },
    backends: [
      { name: 'open', protocol: 'openai-chat', url: open.url + '/v1', match: { pathPrefix: '/open' }, fallback: ['hdr', 'def'] },
      { name: 'hdr', protocol: 'anthropic', url: secret.url + '/v1', match: { headers: { 'x-team': 'secret' } } },
      { name: 'claude', protocol: 'anthropic', url: secret.url + '/v1', match: { pathPrefix: '/claude' } },
      { name: 'aliased', protocol: 'openai-chat', url: secret.url + '/v1', models: { cheap: 'secret-model' }, match: { models: ['cheap', 'secret-*'] }, fallback: ['def'] },
      { name: 'def', protocol: 'openai-chat', url: open.url + '/v1', match: { default: true }, fallback: ['aliased', 'claude'] },
    ],
  }
  const app = await startApp(t, config)
  const h = { 'x-api-key': KEY, 'content-type': 'application/json' }
  // [target, method, extra headers, body, expected status]
  const cases: [string, string, Record<string, string>, string, number][] = [
    // Fallback: the allowed backend fails; its fallbacks outside the allowlist are skipped.
    ['/open/v1/chat/completions', 'POST', {}, chatBody('fail'), 503],
    ['/v1/chat/completions', 'POST', {}, chatBody('fail'), 503],
    ['/v1/messages', 'POST', {}, anthBody('fail'), 529],
    // Alias names and globs that route to a refused backend.
    ['/v1/chat/completions', 'POST', {}, chatBody('cheap'), 403],
    ['/v1/chat/completions', 'POST', {}, chatBody('secret-model'), 403],
    ['/open/v1/chat/completions', 'POST', {}, chatBody('cheap'), 200],
    // Header routing: exact names (any case) route there and are refused; other values do not.
    ['/v1/messages', 'POST', { 'x-team': 'secret' }, anthBody('m'), 403],
    ['/v1/messages', 'POST', { 'X-TEAM': 'secret' }, anthBody('m'), 403],
    ['/open/v1/messages', 'POST', { 'x-team': 'secret' }, anthBody('m'), 200],
    ['/v1/messages', 'POST', { 'x-team': 'Secret' }, anthBody('m'), 200],
    ['/v1/messages', 'POST', { 'x-team': 'secret ' }, anthBody('m'), 403],
    // Path prefix variations.
    ['/claude/v1/messages', 'POST', {}, anthBody('m'), 403],
    ['/claude', 'GET', {}, '', 403],
    // Dot segments, `//` and encoded separators are refused before routing (400).
    ['/claude/../open/v1/chat/completions', 'POST', {}, chatBody('m'), 400],
    ['/claude/%2e%2e/open/v1/chat/completions', 'POST', {}, chatBody('m'), 400],
    ['/Claude/v1/messages', 'POST', {}, anthBody('m'), 200],
    ['/CLAUDE/v1/messages', 'POST', {}, anthBody('m'), 200],
    ['//claude/v1/messages', 'POST', {}, anthBody('m'), 400],
    ['/%63laude/v1/messages', 'POST', {}, anthBody('m'), 200],
    ['/claude%2Fv1/messages', 'POST', {}, anthBody('m'), 400],
    ['/claudex/v1/messages', 'POST', {}, anthBody('m'), 200],
    ['/./claude/v1/messages', 'POST', {}, anthBody('m'), 400],
    ['/open/../claude/v1/messages', 'POST', {}, anthBody('m'), 400],
  ]
  for (const [target, method, extra, body, status] of cases) {
    const res = await raw(app, method, target, { ...h, ...extra }, body)
    t.equal(res.status, status, `${method} ${target} ${JSON.stringify(extra)} -> ${status}`)
  }
  t.equal(secret.requests.length, 0, 'the refused backends\' upstream received nothing')
  t.ok(open.requests.length > 0)
  t.ok(open.requests.every(r => r.headers['x-api-key'] === undefined && !JSON.stringify(r.headers).includes(KEY)), 'the client key went nowhere')
  // The same requests with a key allowed everywhere do reach the secret upstream: the refusals
  // above were the allowlist's, not a routing accident.
  const free = await startApp(t, { ...config, auth: { keys: [{ name: 'free', key: KEY }] } })
  for (const [target, body] of [['/claude/v1/messages', anthBody('m')], ['/v1/chat/completions', chatBody('cheap')]] as const) {
    const res = await raw(free, 'POST', target, h, body)
    t.equal(res.status, 200, `${target} is allowed without the allowlist`)
  }
  const viaHeader = await raw(free, 'POST', '/v1/messages', { ...h, 'x-team': 'secret' }, anthBody('m'))
  t.equal(viaHeader.status, 200)
  t.equal(secret.requests.length, 3)
})

// Why not a timing measurement: a statistical test over loopback is either flaky or too slow
// to resolve a 32-byte comparison. What makes the check constant-time is structural, and can be
// observed without mocking anything: findKey must touch EVERY configured entry, whatever the
// presented key and wherever (or whether) it matches, and compare with `timingSafeEqual`. The
// index is a plain data structure, so the test builds one whose entries count every read of
// their digest, and one whose last digest has the wrong length — `timingSafeEqual` (alone among
// comparisons) throws ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH on it, so the throw proves the last
// entry was compared that way even after the first one matched.
t.test('key lookup compares the presented key with every configured key, with timingSafeEqual, no early exit', async t => {
  const keys: ClientKeyConfig[] = Array.from({ length: 8 }, (_, i) => ({ name: `k${i}`, key: `sk-${'x'.repeat(i * 7)}-${i}` }))
  const real = createKeyIndex(keys)
  t.ok(real.entries.every(e => e.digest.length === 32), 'every key is hashed to 32 bytes: lengths never show')
  const reads = new Array<number>(keys.length).fill(0)
  const counted: KeyIndex = {
    entries: real.entries.map((entry, i) => ({ key: entry.key, get digest () { reads[i] = (reads[i] ?? 0) + 1; return entry.digest } })),
  }
  for (const presented of [keys[0]!.key, keys[3]!.key, keys[7]!.key, 'sk-nope', '', keys[0]!.key.slice(0, -1), 'x'.repeat(10_000)]) {
    reads.fill(0)
    const found = findKey(counted, presented)
    t.equal(found?.name, keys.find(k => k.key === presented)?.name, `lookup of ${JSON.stringify(presented.slice(0, 12))}`)
    t.same(reads, new Array(keys.length).fill(1), 'every entry compared exactly once')
  }
  const poisoned: KeyIndex = { entries: [...real.entries, { key: { name: 'odd', key: 'odd' }, digest: Buffer.alloc(31) }] }
  t.throws(() => findKey(poisoned, keys[0]!.key), { code: 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH' }, 'the entry after a match is still compared, by timingSafeEqual')
})
