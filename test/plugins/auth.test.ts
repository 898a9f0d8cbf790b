// Client auth and key allowlists over loopback: the four ways SDKs present a key, 401/403 in
// each client dialect (and as the official SDKs' error types), the key kept out of upstream
// requests, error bodies and logs.
import Anthropic from '@anthropic-ai/sdk'
import { ApiError, GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import t from 'tap'
import { request } from 'undici'
import { keyAllowsBackend, keyAllowsModel } from '../../src/auth/allowlist.js'
import { json, startMockUpstream } from '../helpers/mock-upstream.js'
import { startApp } from '../helpers/start-app.js'

const KEY_A = 'sk-team-a-0f9e8d7c6b5a'
const KEY_B = 'sk-team-b-1a2b3c4d5e6f'
const WRONG = 'sk-wrong-99887766554433'
const KEYS = [{ name: 'team-a', key: KEY_A }, { name: 'team-b', key: KEY_B }]
const MOCK = { name: 'mock', protocol: 'mock', match: { default: true } }

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }
const MESSAGES = { model: 'claude-x', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }
const GEMINI = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }
const CHAT_REPLY = { id: 'c1', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

t.test('401 in the client\'s dialect, before any upstream is called', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_REPLY))
  const app = await startApp(t, { auth: { keys: KEYS }, backends: [{ name: 'b', protocol: 'openai-chat', url: upstream.url, match: { default: true } }] })

  const chat = await post(app.url + '/v1/chat/completions', CHAT)
  t.equal(chat.statusCode, 401)
  t.match(await chat.body.json(), { error: { type: 'invalid_request_error', code: 'invalid_api_key', message: /^missing API key/ } }, 'OpenAI envelope')

  const anth = await post(app.url + '/v1/messages', MESSAGES, { 'x-api-key': WRONG })
  t.equal(anth.statusCode, 401)
  const anthText = await anth.body.text()
  t.match(JSON.parse(anthText), { type: 'error', error: { type: 'authentication_error', message: 'invalid API key' } }, 'Anthropic envelope')
  t.notOk(anthText.includes(WRONG), 'the presented key is never echoed')

  const gem = await post(app.url + '/v1beta/models/gemini-pro:generateContent?key=' + WRONG, GEMINI)
  t.equal(gem.statusCode, 401)
  t.same(await gem.body.json(), { error: { code: 401, message: 'invalid API key', status: 'UNAUTHENTICATED' } }, 'Gemini envelope')

  const prefixed = await post(app.url + '/v1beta/models/gemini-pro:streamGenerateContent?alt=sse', GEMINI, { authorization: 'Basic ' + KEY_A })
  t.equal(prefixed.statusCode, 401, 'a non-Bearer Authorization is no key')
  t.match(await prefixed.body.json(), { error: { status: 'UNAUTHENTICATED', message: /^missing API key/ } })

  t.equal(upstream.requests.length, 0, 'nothing reached the upstream')
  t.notOk(app.logText().includes(WRONG), 'a wrong key never reaches a log line')
})

t.test('each SDK\'s way of sending the key is accepted; the key never reaches the upstream', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_REPLY))
  const app = await startApp(t, { auth: { keys: KEYS }, backends: [{ name: 'b', protocol: 'openai-chat', url: upstream.url, match: { default: true } }] })
  const ways: [string, string, Record<string, string>][] = [
    ['Authorization: Bearer', '', { authorization: 'Bearer ' + KEY_A }],
    ['bearer, any case', '', { authorization: 'bearer ' + KEY_B }],
    ['x-api-key', '', { 'x-api-key': KEY_A }],
    ['x-goog-api-key', '', { 'x-goog-api-key': KEY_B }],
    ['api-key (Azure)', '', { 'api-key': KEY_A }],
    ['?key=', '?key=' + KEY_B + '&keep=1', {}],
    ['an ingress bearer next to x-api-key', '', { authorization: 'Bearer ingress-token', 'x-api-key': KEY_A }],
  ]
  for (const [name, query, headers] of ways) {
    const res = await post(app.url + '/v1/chat/completions' + query, CHAT, headers)
    t.equal(res.statusCode, 200, name)
    await res.body.dump()
  }
  t.equal(upstream.requests.length, ways.length)
  for (const got of upstream.requests) {
    const seen = got.url + JSON.stringify(got.headers) + got.body.toString()
    t.notOk(seen.includes(KEY_A) || seen.includes(KEY_B), `no client key upstream (${got.url})`)
  }
  t.equal(upstream.requests[5]!.url, '/chat/completions?keep=1', '?key= removed, other parameters kept')

  const lines = app.logs.filter(l => l.msg === 'request')
  t.same(lines.map(l => l.key), ['team-a', 'team-b', 'team-a', 'team-b', 'team-a', 'team-b', 'team-a'], 'the key name is on the request log line')
  t.notOk(app.logText().includes(KEY_A) || app.logText().includes(KEY_B), 'no key value in the log')
})

t.test('converted requests: the client key never reaches the upstream', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_REPLY))
  const app = await startApp(t, { auth: { keys: KEYS }, backends: [{ name: 'b', protocol: 'openai-chat', url: upstream.url, apiKey: 'sk-backend-xyz123', match: { default: true } }] })
  const anth = await post(app.url + '/v1/messages', MESSAGES, { 'x-api-key': KEY_A, authorization: 'Bearer ' + KEY_A })
  t.equal(anth.statusCode, 200)
  await anth.body.dump()
  const gem = await post(app.url + '/v1beta/models/gpt-4o:generateContent?key=' + KEY_B, GEMINI, { 'x-goog-api-key': KEY_B })
  t.equal(gem.statusCode, 200)
  await gem.body.dump()
  t.equal(upstream.requests.length, 2)
  for (const got of upstream.requests) {
    t.equal(got.url, '/chat/completions')
    t.equal(got.headers.authorization, 'Bearer sk-backend-xyz123', 'the backend\'s own key')
    const seen = JSON.stringify(got.headers) + got.body.toString()
    t.notOk(seen.includes(KEY_A) || seen.includes(KEY_B), 'no client key in headers or body')
  }
})

t.test('the official SDKs raise their 401 error types; a good key works with each', async t => {
  const app = await startApp(t, { auth: { keys: KEYS }, backends: [MOCK] })
  const openai = (apiKey: string) => new OpenAI({ baseURL: app.url + '/v1', apiKey, maxRetries: 0 })
  const anthropic = (apiKey: string) => new Anthropic({ baseURL: app.url, apiKey, maxRetries: 0 })
  const genai = (apiKey: string) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: app.url } })
  const messages = [{ role: 'user' as const, content: 'hi' }]

  const oerr = await openai(WRONG).chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e)
  t.ok(oerr instanceof OpenAI.AuthenticationError, 'openai: AuthenticationError')
  t.equal((oerr as InstanceType<typeof OpenAI.APIError>).status, 401)
  t.equal((await openai(KEY_A).chat.completions.create({ model: 'm', messages })).choices[0]!.message.content, 'hi')

  const aerr = await anthropic(WRONG).messages.create({ model: 'm', max_tokens: 8, messages }).catch((e: unknown) => e)
  t.ok(aerr instanceof Anthropic.AuthenticationError, 'anthropic: AuthenticationError')
  t.match((aerr as InstanceType<typeof Anthropic.APIError>).error, { type: 'error', error: { type: 'authentication_error' } })
  t.equal((await anthropic(KEY_B).messages.create({ model: 'm', max_tokens: 8, messages })).stop_reason, 'end_turn')

  const gerr = await genai(WRONG).models.generateContent({ model: 'gemini-x', contents: 'hi' }).catch((e: unknown) => e)
  t.ok(gerr instanceof ApiError, 'genai: ApiError')
  t.equal((gerr as ApiError).status, 401)
  t.equal((await genai(KEY_A).models.generateContent({ model: 'gemini-x', contents: 'hi' })).text, 'hi')
})

t.test('health and metrics are never behind auth; auth off lets everything through', async t => {
  const app = await startApp(t, { auth: { keys: KEYS }, backends: [MOCK] })
  for (const path of ['/health/live', '/health/ready']) {
    const res = await request(app.url + path)
    t.equal(res.statusCode, 200, path)
    await res.body.dump()
  }
  // /metrics is the metrics plugin's; whatever it answers, it is not a 401.
  const metrics = await request(app.url + '/metrics')
  t.not(metrics.statusCode, 401, '/metrics')
  await metrics.body.dump()
  const open = await startApp(t, { backends: [MOCK] })
  const res = await post(open.url + '/v1/chat/completions', CHAT)
  t.equal(res.statusCode, 200)
  await res.body.dump()
  const line = open.logs.find(l => l.msg === 'request')
  t.ok(line !== undefined && !('key' in line), 'no key name without auth')
})

t.test('backends allowlist: 403 naming the backend, in the client\'s dialect', async t => {
  const openai = await startMockUpstream(t, json(CHAT_REPLY))
  const claude = await startMockUpstream(t, json({}))
  const app = await startApp(t, {
    auth: { keys: [{ name: 'team-a', key: KEY_A, backends: ['openai'] }, { name: 'team-b', key: KEY_B }] },
    backends: [
      { name: 'claude', protocol: 'anthropic', url: claude.url, match: { models: ['claude-*'] } },
      { name: 'anth', protocol: 'anthropic', url: claude.url, match: { pathPrefix: '/anth' } },
      { name: 'openai', protocol: 'openai-chat', url: openai.url, match: { default: true } },
    ],
  })
  const byModel = await post(app.url + '/v1/messages', MESSAGES, { 'x-api-key': KEY_A })
  t.equal(byModel.statusCode, 403, 'routed by model, then refused')
  t.match(await byModel.body.json(), { type: 'error', error: { type: 'permission_error', message: 'key team-a may not use backend claude' } })

  const byPrefix = await post(app.url + '/anth/v1/chat/completions', CHAT, { authorization: 'Bearer ' + KEY_A })
  t.equal(byPrefix.statusCode, 403, 'routed by prefix, refused before the body is read')
  t.match(await byPrefix.body.json(), { error: { type: 'permission_error', code: 'permission_denied', message: 'key team-a may not use backend anth' } })

  const gem = await post(app.url + '/v1beta/models/claude-3:generateContent', GEMINI, { 'x-goog-api-key': KEY_A })
  t.equal(gem.statusCode, 403)
  t.same(await gem.body.json(), { error: { code: 403, message: 'key team-a may not use backend claude', status: 'PERMISSION_DENIED' } })
  t.equal(claude.requests.length, 0, 'a refused backend is never called')

  const allowed = await post(app.url + '/v1/chat/completions', CHAT, { authorization: 'Bearer ' + KEY_A })
  t.equal(allowed.statusCode, 200)
  await allowed.body.dump()
  const other = await post(app.url + '/v1/messages', MESSAGES, { 'x-api-key': KEY_B })
  t.equal(other.statusCode, 200, 'a key without a backends list may use any backend')
  await other.body.dump()
})

t.test('models allowlist: 403 naming the model, also on passthrough and in the Gemini path', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_REPLY))
  const gemini = await startMockUpstream(t, json({ candidates: [] }))
  const app = await startApp(t, {
    auth: { keys: [{ name: 'team-a', key: KEY_A, models: ['gpt-4*', 'text-embedding-?-small'] }] },
    backends: [
      { name: 'g', protocol: 'gemini', url: gemini.url, match: { pathPrefix: '/g' } },
      { name: 'b', protocol: 'openai-chat', url: upstream.url, match: { default: true } },
    ],
  })
  const auth = { authorization: 'Bearer ' + KEY_A }
  const refused = await post(app.url + '/v1/chat/completions', { ...CHAT, model: 'o3' }, auth)
  t.equal(refused.statusCode, 403, 'same-dialect passthrough reads the body to know the model')
  t.match(await refused.body.json(), { error: { type: 'permission_error', message: 'key team-a may not use model o3' } })

  const gem = await post(app.url + '/g/v1beta/models/gemini-pro:generateContent', GEMINI, { 'x-goog-api-key': KEY_A })
  t.equal(gem.statusCode, 403)
  t.match(await gem.body.json(), { error: { status: 'PERMISSION_DENIED', message: 'key team-a may not use model gemini-pro' } })

  const emb = await post(app.url + '/v1/embeddings', { model: 'text-embedding-3-large', input: 'x' }, auth)
  t.equal(emb.statusCode, 403, 'a non-dialect JSON body with a model is checked too')
  await emb.body.dump()
  t.equal(upstream.requests.length + gemini.requests.length, 0, 'refused requests never reach an upstream')

  const ok = await post(app.url + '/v1/chat/completions', { ...CHAT, model: 'gpt-4o-mini' }, auth)
  t.equal(ok.statusCode, 200, 'the glob matches')
  await ok.body.dump()
  t.same(JSON.parse(upstream.requests[0]!.body.toString()), { ...CHAT, model: 'gpt-4o-mini' }, 'the read body is forwarded unchanged')
  const embOk = await post(app.url + '/v1/embeddings', { model: 'text-embedding-3-small', input: 'x' }, auth)
  t.equal(embOk.statusCode, 200)
  await embOk.body.dump()
  const list = await request(app.url + '/v1/models', { headers: auth })
  t.equal(list.statusCode, 200, 'a request that names no model is not refused')
  await list.body.dump()
})

t.test('allowlist functions', async t => {
  const key = { name: 'k', key: KEY_A, backends: ['a'], models: ['gpt-*', 'meta/*'] }
  t.ok(keyAllowsBackend(null, 'x'), 'auth off: every backend')
  t.ok(keyAllowsBackend({ name: 'k', key: KEY_A }, 'x'), 'no list: every backend')
  t.ok(keyAllowsBackend(key, 'a'))
  t.notOk(keyAllowsBackend(key, 'b'))
  t.ok(keyAllowsModel(null, 'anything'))
  t.ok(keyAllowsModel(key, 'gpt-4o'))
  t.ok(keyAllowsModel(key, 'meta/llama-3'), 'the routing glob: * crosses /')
  t.notOk(keyAllowsModel(key, 'xgpt-4o'), 'globs are anchored')
})
