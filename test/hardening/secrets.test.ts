// No key in any output (issue 10, abuse): one run of mixed traffic with KNOWN client and backend
// keys, then a grep of everything it produced — every log line (body logging on), every status,
// header and body a client got, and the /metrics exposition — for each key in its raw,
// URL-encoded, base64 and base64url forms and for any 16-character piece of it (a key cut in
// half by a truncation is still a leak). Keys carry `+ / = ~` so their encoded forms differ.
//
// The traffic: passthrough and converted in every direction the backends allow, streamed and
// whole; upstream 500/503/429/401, retries and key rotation over a key list, a fallback; 401,
// 403 and 429 refusals; the client key in `?key=`. The upstreams are hostile: their error bodies,
// in-stream errors and a response header echo the credentials and URL they were called with.
// What reaches the client of those echoes is checked in secrets-pending.test.ts (they leak
// backend keys today), as are a key configured as a backend header (Azure `api-key`), a key cut
// by the body-log bound and a key sent as a model name; here: no client key anywhere (it never
// reaches an upstream, so no echo can carry it), no key at all in logs and metrics, no key in
// any other response.
import t from 'tap'
import { request } from 'undici'
import { json, startMockUpstream, type RecordedRequest, type Script } from '../helpers/mock-upstream.js'
import { startApp } from '../helpers/start-app.js'

const CLIENT_KEYS = {
  all: 'sk-cli-A+7f3/9Qz=Lm~2pXv8Rt5Ww1Kb4Nc6Hd',
  chatOnly: 'sk-cli-B+Hq2/Zx=8Yt~Vb3nM5kJ9wP1sD4fGe',
  slow: 'sk-cli-C+Lr4/Mn=Q1w~Ez7xTc2vBn8kP5jHs3a',
  gem: 'gem-cli-D+Ab9/Cd=Ef3~Gh7Ij1Kl5Mn2Op8Qr',
} as const
const BACKEND_KEYS = {
  chat1: 'sk-up-chat1+Xk8/Pq=Rs4~Tu7Vw2Yz5Ab9Cd3',
  chat2: 'sk-up-chat2+Mn6/Op=Qr1~St4Uv8Wx3Yz7Ab2',
  claude: 'sk-ant-up+Ef5/Gh=Ij8~Kl2Mn6Op9Qr3St7Uv',
  gem: 'AIza-up-gem+Wx4/Yz=Ab7~Cd1Ef5Gh8Ij2Kl6',
  flaky: 'sk-up-flaky+Op3/Qr=St6~Uv9Wx2Yz5Ab8Cd1',
} as const

/** Every form of a key that would give it away. */
function forms (key: string): string[] {
  const pieces: string[] = []
  for (let i = 0; i + 16 <= key.length; i++) pieces.push(key.slice(i, i + 16))
  return [key, encodeURIComponent(key), Buffer.from(key).toString('base64'), Buffer.from(key).toString('base64url'), ...pieces]
}

/** Which of `keys` (by name) show in `text`, in any form. */
function leaked (text: string, keys: Readonly<Record<string, string>>): string[] {
  return Object.entries(keys).filter(([, key]) => forms(key).some(f => text.includes(f))).map(([name]) => name)
}

/** What a hostile upstream reflects: the credentials and URL it was called with. */
function echo (r: RecordedRequest): string {
  const h = r.headers
  return `authorization=${String(h.authorization)} x-api-key=${String(h['x-api-key'])} x-goog-api-key=${String(h['x-goog-api-key'])} api-key=${String(h['api-key'])} url=${r.url}`
}

const EVENT_STREAM = { 'content-type': 'text/event-stream' }
const sse = (data: unknown, event?: string) => (event === undefined ? '' : `event: ${event}\n`) + `data: ${JSON.stringify(data)}\n\n`
const chatChunk = (delta: Record<string, unknown>, finish: string | null = null) => sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [{ index: 0, delta, finish_reason: finish }] })
const CHAT_STREAM: Script = { headers: EVENT_STREAM, frames: [chatChunk({ role: 'assistant', content: 'ok' }), chatChunk({}, 'stop'), sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'up', choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }), 'data: [DONE]\n\n'] }
const anthEvent = (data: { type: string } & Record<string, unknown>) => sse(data, data.type)
const ANTH_STREAM: Script = {
  headers: EVENT_STREAM,
  frames: [
    anthEvent({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'up', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } }),
    anthEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    anthEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } }),
    anthEvent({ type: 'content_block_stop', index: 0 }),
    anthEvent({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }),
    anthEvent({ type: 'message_stop' }),
  ],
}
const CHAT_OK = { id: 'c1', object: 'chat.completion', created: 1, model: 'up', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }
const ANTH_OK = { id: 'msg_1', type: 'message', role: 'assistant', model: 'up', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } }
const GEM_OK = { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 } }
const GEM_STREAM: Script = { headers: EVENT_STREAM, frames: [sse(GEM_OK)] }

/** A Chat Completions upstream: the model name says what to do; every failure echoes. */
function chatUpstream (r: RecordedRequest): Script {
  const body = r.body.toString()
  const e = echo(r)
  if (body.includes('boom')) return { status: 500, headers: { 'content-type': 'application/json', 'x-upstream-debug': e }, frames: [JSON.stringify({ error: { message: 'upstream failed: ' + e, type: 'server_error' } })] }
  if (body.includes('always503')) return json({ error: { message: 'overloaded: ' + e, type: 'server_error' } }, 503)
  if (body.includes('unauth')) return json({ error: { message: 'Incorrect API key provided: ' + e, type: 'invalid_request_error', code: 'invalid_api_key' } }, 401)
  if (body.includes('ratelimit')) return json({ error: { message: 'Rate limit reached for ' + e, type: 'requests' } }, 429, { 'retry-after': '0' })
  if (body.includes('midstream')) return { headers: EVENT_STREAM, frames: [chatChunk({ role: 'assistant', content: 'par' }), 'data: ' + JSON.stringify({ error: { message: 'stream broke: ' + e, type: 'server_error' } }) + '\n\n'] }
  if (body.includes('"stream":true')) return CHAT_STREAM
  return json(CHAT_OK)
}

function anthropicUpstream (r: RecordedRequest): Script {
  const body = r.body.toString()
  if (body.includes('boom')) return json({ type: 'error', error: { type: 'api_error', message: 'failed: ' + echo(r) } }, 500)
  if (body.includes('"stream":true')) return ANTH_STREAM
  return json(ANTH_OK)
}

function geminiUpstream (r: RecordedRequest): Script {
  if (r.url.includes('boom')) return json({ error: { code: 500, message: 'failed: ' + echo(r), status: 'INTERNAL' } }, 500)
  if (r.url.includes(':streamGenerateContent')) return GEM_STREAM
  return json(GEM_OK)
}

interface Call {
  readonly what: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  readonly status: number
  /** The upstream echoes its credentials into what the client gets. */
  readonly echoes?: true
}

const bearer = (key: string) => ({ authorization: 'Bearer ' + key })
const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra })
const anth = (model: string, extra: Record<string, unknown> = {}) => ({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...extra })
const GEM = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }
const A = CLIENT_KEYS.all

/** The run: each call with the status it must get (so the traffic is what it claims to be). */
const CALLS: readonly Call[] = [
  { what: 'chat passthrough', path: '/v1/chat/completions', headers: bearer(A), body: chat('gpt-ok'), status: 200 },
  { what: 'chat passthrough, streamed', path: '/v1/chat/completions', headers: bearer(A), body: chat('gpt-ok', { stream: true }), status: 200 },
  { what: 'chat passthrough, upstream 500 (retried) echoing', path: '/v1/chat/completions', headers: bearer(A), body: chat('gpt-boom'), status: 500, echoes: true },
  { what: 'chat passthrough, 429 on both keys (rotated) echoing', path: '/v1/chat/completions', headers: bearer(A), body: chat('gpt-ratelimit'), status: 429, echoes: true },
  { what: 'key in ?key=, upstream echoes its URL', path: '/v1/chat/completions?key=' + encodeURIComponent(A) + '&x=1', headers: {}, body: chat('gpt-boom'), status: 500, echoes: true },
  { what: 'chat -> anthropic converted', path: '/v1/chat/completions', headers: bearer(A), body: chat('claude-ok'), status: 200 },
  { what: 'chat -> anthropic converted, streamed', path: '/v1/chat/completions', headers: bearer(A), body: chat('claude-ok', { stream: true }), status: 200 },
  { what: 'chat -> anthropic converted, 500 echoing', path: '/v1/chat/completions', headers: bearer(A), body: chat('claude-boom'), status: 500, echoes: true },
  { what: 'chat -> gemini converted', path: '/v1/chat/completions', headers: bearer(A), body: chat('gemini-ok'), status: 200 },
  { what: 'chat -> gemini converted, streamed', path: '/v1/chat/completions', headers: bearer(A), body: chat('gemini-ok', { stream: true }), status: 200 },
  { what: 'chat -> gemini converted, 500 echoing', path: '/v1/chat/completions', headers: bearer(A), body: chat('gemini-boom'), status: 500, echoes: true },
  { what: 'fallback: 503 echoing, then anthropic answers', path: '/flaky/v1/chat/completions', headers: bearer(A), body: chat('claude-ok-always503'), status: 200 },
  { what: 'fallback: 503, then anthropic 500 echoing', path: '/flaky/v1/chat/completions', headers: bearer(A), body: chat('claude-boom-always503'), status: 500, echoes: true },
  { what: 'anthropic passthrough', path: '/v1/messages', headers: { 'x-api-key': A }, body: anth('claude-ok'), status: 200 },
  { what: 'anthropic passthrough, streamed', path: '/v1/messages', headers: { 'x-api-key': A }, body: anth('claude-ok', { stream: true }), status: 200 },
  { what: 'anthropic passthrough, 500 echoing', path: '/v1/messages', headers: { 'x-api-key': A }, body: anth('claude-boom'), status: 500, echoes: true },
  { what: 'anthropic -> chat converted', path: '/v1/messages', headers: { 'x-api-key': A }, body: anth('gpt-ok'), status: 200 },
  { what: 'anthropic -> chat converted, streamed', path: '/v1/messages', headers: { 'x-api-key': A }, body: anth('gpt-ok', { stream: true }), status: 200 },
  { what: 'anthropic -> chat converted, 500 echoing', path: '/v1/messages', headers: { 'x-api-key': A }, body: anth('gpt-boom'), status: 500, echoes: true },
  { what: 'anthropic -> chat streamed, in-stream error echoing', path: '/v1/messages', headers: { 'x-api-key': A }, body: anth('gpt-midstream', { stream: true }), status: 200, echoes: true },
  { what: 'gemini passthrough, ?key=', path: '/v1beta/models/gemini-ok:generateContent?key=' + encodeURIComponent(CLIENT_KEYS.gem), headers: {}, body: GEM, status: 200 },
  { what: 'gemini passthrough streamed, ?key=', path: '/v1beta/models/gemini-ok:streamGenerateContent?alt=sse&key=' + encodeURIComponent(CLIENT_KEYS.gem), headers: {}, body: GEM, status: 200 },
  { what: 'gemini passthrough, ?key=, 500 echoing its URL', path: '/v1beta/models/gemini-boom:generateContent?key=' + encodeURIComponent(CLIENT_KEYS.gem) + '&alt=json', headers: {}, body: GEM, status: 500, echoes: true },
  { what: 'gemini passthrough, x-goog-api-key, 500 echoing', path: '/v1beta/models/gemini-boom:generateContent', headers: { 'x-goog-api-key': CLIENT_KEYS.gem }, body: GEM, status: 500, echoes: true },
  { what: 'secrets in the client body (logged redacted)', path: '/v1/chat/completions', headers: bearer(A), body: chat('gpt-ok', { user: A, metadata: { api_key: A, note: 'key ' + A } }), status: 200 },
  { what: '401: no key', path: '/v1/chat/completions', headers: {}, body: chat('gpt-ok'), status: 401 },
  { what: '401: a near miss', path: '/v1/chat/completions', headers: bearer(A.slice(0, -1) + 'X'), body: chat('gpt-ok'), status: 401 },
  { what: '401: the key as Basic', path: '/v1/messages', headers: { authorization: 'Basic ' + Buffer.from(A).toString('base64') }, body: anth('claude-ok'), status: 401 },
  { what: '401: the key URL-encoded in a header', path: '/v1/messages', headers: { 'x-api-key': encodeURIComponent(A) }, body: anth('claude-ok'), status: 401 },
  { what: '403: backend outside the allowlist', path: '/v1/messages', headers: { 'x-api-key': CLIENT_KEYS.chatOnly }, body: anth('claude-ok'), status: 403 },
  { what: 'rate limit 1/2', path: '/v1/chat/completions', headers: bearer(CLIENT_KEYS.slow), body: chat('gpt-ok'), status: 200 },
  { what: 'rate limit 2/2', path: '/v1/chat/completions', headers: bearer(CLIENT_KEYS.slow), body: chat('gpt-ok'), status: 200 },
  { what: '429: rate limited', path: '/v1/chat/completions', headers: bearer(CLIENT_KEYS.slow), body: chat('gpt-ok'), status: 429 },
  // Last on the chat backend: a 401 parks both of its keys.
  { what: 'chat passthrough, upstream 401 on both keys echoing', path: '/v1/chat/completions', headers: bearer(A), body: chat('gpt-unauth'), status: 401, echoes: true },
]

interface Upstreams { readonly chat: string, readonly claude: string, readonly gem: string }

function secretsConfig (u: Upstreams): unknown {
  return {
    logging: { level: 'info', requestBodies: true },
    auth: {
      keys: [
        { name: 'all', key: CLIENT_KEYS.all },
        { name: 'chat-only', key: CLIENT_KEYS.chatOnly, backends: ['chat'] },
        { name: 'slow', key: CLIENT_KEYS.slow, rateLimit: { max: 2, timeWindow: '1 minute' } },
        { name: 'gem', key: CLIENT_KEYS.gem },
      ],
    },
    rateLimit: { max: 1000, timeWindow: '1 minute' },
    backends: [
      { name: 'flaky', protocol: 'openai-chat', url: u.chat + '/v1', apiKey: BACKEND_KEYS.flaky, fallback: ['claude'], match: { pathPrefix: '/flaky' } },
      { name: 'claude', protocol: 'anthropic', url: u.claude + '/v1', apiKey: BACKEND_KEYS.claude, match: { models: ['claude-*'] } },
      { name: 'gem', protocol: 'gemini', url: u.gem + '/v1beta', apiKey: BACKEND_KEYS.gem, match: { models: ['gemini-*'] } },
      { name: 'chat', protocol: 'openai-chat', url: u.chat + '/v1', apiKey: [BACKEND_KEYS.chat1, BACKEND_KEYS.chat2], retries: 1, match: { default: true } },
    ],
  }
}

interface Answer { readonly call: Call, readonly status: number, readonly text: string }

/** Send one call and keep all of what the client got: status line, headers, body. */
async function send (url: string, call: Call): Promise<Answer> {
  const res = await request(url + call.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...call.headers },
    body: JSON.stringify(call.body),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  })
  const body = await res.body.text()
  return { call, status: res.statusCode, text: `${res.statusCode}\n${JSON.stringify(res.headers)}\n${body}` }
}

t.test('a run with known keys: no key in any log line, metric or response', async t => {
  const chatUp = await startMockUpstream(t, chatUpstream)
  const claudeUp = await startMockUpstream(t, anthropicUpstream)
  const gemUp = await startMockUpstream(t, geminiUpstream)
  const app = await startApp(t, secretsConfig({ chat: chatUp.url, claude: claudeUp.url, gem: gemUp.url }))

  const answers: Answer[] = []
  for (const call of CALLS) {
    const answer = await send(app.url, call)
    t.equal(answer.status, call.status, `${call.what} -> ${call.status}`)
    answers.push(answer)
  }
  const metricsRes = await request(app.url + '/metrics')
  const metrics = await metricsRes.body.text()

  // The run did what it claims: backend keys went up (so echoes carried them), rotation used
  // both chat keys, body logging and retries happened, the echoes were logged.
  const sentUp = [...chatUp.requests, ...claudeUp.requests, ...gemUp.requests].map(r => JSON.stringify(r.headers)).join('\n')
  t.same(leaked(sentUp, BACKEND_KEYS).sort(), Object.keys(BACKEND_KEYS).sort(), 'every backend key was sent to its upstream')
  const logs = app.logText()
  t.ok(app.logs.some(l => l.msg === 'upstream response body'), 'bodies were logged')
  t.ok(app.logs.some(l => l.msg === 'upstream attempt failed, retrying'), 'retries happened')
  t.ok(app.logs.some(l => l.msg === 'backend failed, trying its fallback'), 'a fallback happened')
  t.match(metrics, /switchyard_rate_limited_total\{key="slow"\} 1/, 'the rate-limit metric names the key')

  // Client keys never reach an upstream, so no upstream can echo them.
  const upstreamSaw = [...chatUp.requests, ...claudeUp.requests, ...gemUp.requests].map(r => r.url + JSON.stringify(r.headers) + r.body.toString().replace(/"(user|api_key|note)":"[^"]*"/g, '')).join('\n')
  t.same(leaked(upstreamSaw, CLIENT_KEYS), [], 'no client key in any upstream request line or header')

  t.same(leaked(logs, { ...CLIENT_KEYS, ...BACKEND_KEYS }), [], `no key in ${app.logs.length} log lines`)
  t.same(leaked(metrics, { ...CLIENT_KEYS, ...BACKEND_KEYS }), [], 'no key in /metrics')
  for (const a of answers) {
    // The body-secrets call gets its own key back only if the upstream echoed the body: it does not.
    t.same(leaked(a.text, CLIENT_KEYS), [], `no client key in what the client got: ${a.call.what}`)
    if (a.call.echoes !== true) t.same(leaked(a.text, BACKEND_KEYS), [], `no backend key in what the client got: ${a.call.what}`)
  }
  t.ok(logs.includes('[REDACTED]'), 'the echoes reached the log, scrubbed')
})
