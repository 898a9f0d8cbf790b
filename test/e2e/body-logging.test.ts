// `logging.requestBodies`: each body logged once, bounded, secrets redacted — by field name in the
// bodies, and every configured key by value from every line. Checked on the captured log text.
import t, { type Test } from 'tap'
import { request } from 'undici'
import { isSecretName, redactSecrets, redactText, MAX_LOGGED_BODY_CHARS } from '../../src/log/bodies.js'
import { SMALL_BODY_BYTES } from '../../plugins/body.js'
import { json, startMockUpstream } from '../helpers/mock-upstream.js'
import { startApp, type StartedApp } from '../helpers/start-app.js'

const CLIENT_KEY = 'client-secret-key-5555'
const BACKEND_KEY = 'sk-backend-secret-9f8e7d'
const LEAK = 'upstream-leaked-value'

const CHAT_OK = {
  id: 'c1', object: 'chat.completion', created: 1, model: 'up', api_key: LEAK, extra: { token: LEAK },
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
}

function config (url: string, requestBodies = true, backend: Record<string, unknown> = {}): unknown {
  return {
    logging: { level: 'info', requestBodies },
    auth: { keys: [{ name: 'team', key: CLIENT_KEY }] },
    backends: [{ name: 'b', protocol: 'openai-chat', url, apiKey: BACKEND_KEY, ...backend }],
  }
}

const bodyLines = (app: StartedApp, msg: string) => app.logs.filter(l => l.msg === msg)

function post (app: StartedApp, path: string, body: unknown): Promise<string> {
  return request(app.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, authorization: 'Bearer ' + CLIENT_KEY },
    body: JSON.stringify(body),
  }).then(res => res.body.text())
}

function assertNoSecrets (t: Tap, app: StartedApp): void {
  const text = app.logText()
  t.notOk(text.includes(CLIENT_KEY), 'the client key appears in no log line')
  t.notOk(text.includes(BACKEND_KEY), 'the backend key appears in no log line')
  t.notOk(text.includes(LEAK), 'secret-named fields are redacted')
}
type Tap = Test

t.test('converted request: client body, upstream body and upstream reply, once each, redacted', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_OK))
  const app = await startApp(t, config(upstream.url))
  const ask = { model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: `my key is ${CLIENT_KEY} and ${BACKEND_KEY}` }] }
  const reply = await post(app, '/v1/messages', ask)
  t.match(JSON.parse(reply), { content: [{ text: 'hello' }] })
  const client = bodyLines(app, 'client request body')
  const sent = bodyLines(app, 'upstream request body')
  const got = bodyLines(app, 'upstream response body')
  t.same([client.length, sent.length, got.length], [1, 1, 1])
  t.match(JSON.parse(client[0]!.body as string), { model: 'claude-x', max_tokens: 64 })
  t.match(JSON.parse(sent[0]!.body as string), { model: 'claude-x', messages: [{ role: 'user' }] }, 'the converted (chat) body')
  t.match(JSON.parse(got[0]!.body as string), { api_key: '[REDACTED]', extra: { token: '[REDACTED]' }, choices: [{ message: { content: 'hello' } }] })
  t.equal(got[0]!.level, 30, 'at info')
  t.equal(got[0]!.backend, 'b')
  assertNoSecrets(t, app)
})

t.test('a streamed reply is logged as streamed, never buffered', async t => {
  const upstream = await startMockUpstream(t, {
    headers: { 'content-type': 'text/event-stream' },
    frames: [
      'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":null}]}\n\n',
      'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
      'data: [DONE]\n\n',
    ],
  })
  const app = await startApp(t, config(upstream.url))
  await post(app, '/v1/messages', { model: 'm', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'x' }] })
  const got = bodyLines(app, 'upstream response body')
  t.equal(got.length, 1)
  t.equal(got[0]!.streamed, true)
  t.equal(got[0]!.body, undefined)
  assertNoSecrets(t, app)
})

t.test('passthrough: a streamed request body is not logged; the whole reply is', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_OK))
  const app = await startApp(t, config(upstream.url + '/v1'))
  const reply = await post(app, '/v1/chat/completions', { model: 'gpt', messages: [{ role: 'user', content: 'x'.repeat(SMALL_BODY_BYTES) }] })
  t.same(JSON.parse(reply), CHAT_OK, 'the client still gets the reply unchanged')
  t.match(bodyLines(app, 'client request body'), [{ streamed: true }], 'over SMALL_BODY_BYTES: streamed to the upstream, unread')
  t.equal(bodyLines(app, 'upstream request body').length, 0, 'nothing converted')
  const got = bodyLines(app, 'upstream response body')
  t.equal(got.length, 1)
  t.match(JSON.parse(got[0]!.body as string), { api_key: '[REDACTED]', model: 'up' })
  assertNoSecrets(t, app)
})

t.test('passthrough: a small request body is read before it is sent (one write upstream), so it is logged, redacted', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_OK))
  const app = await startApp(t, config(upstream.url + '/v1'))
  const sent = { model: 'gpt', messages: [{ role: 'user', content: 'x' }], api_key: LEAK }
  await post(app, '/v1/chat/completions', sent)
  t.match(bodyLines(app, 'client request body'), [{ body: /"api_key":"\[REDACTED\]"/ }])
  t.same(JSON.parse(upstream.requests[0]!.body.toString()), sent, 'the upstream gets the bytes unchanged')
  assertNoSecrets(t, app)
})

t.test('a non-JSON reply: secret-looking pairs redacted in the text', async t => {
  const upstream = await startMockUpstream(t, { headers: { 'content-type': 'text/plain' }, frames: [`ok access_token=${LEAK}&scope=all`] })
  const app = await startApp(t, config(upstream.url + '/v1', true, { retries: 1 }))
  await post(app, '/v1/files', { purpose: 'x', password: LEAK })
  t.match(bodyLines(app, 'client request body'), [{ body: /"password":"\[REDACTED\]"/ }], 'read for retries, so logged')
  t.match(bodyLines(app, 'upstream response body'), [{ body: 'ok access_token=[REDACTED]&scope=all' }])
  assertNoSecrets(t, app)
})

t.test('bodies are bounded', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_OK))
  const app = await startApp(t, config(upstream.url))
  await post(app, '/v1/messages', { model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'y'.repeat(100_000) }] })
  const [line] = bodyLines(app, 'client request body')
  t.equal((line!.body as string).length, MAX_LOGGED_BODY_CHARS)
  t.ok((line!.truncated as number) > 30_000, 'says how much was left out')
})

t.test('off by default: no body is logged', async t => {
  const upstream = await startMockUpstream(t, json(CHAT_OK))
  const app = await startApp(t, config(upstream.url, false))
  await post(app, '/v1/messages', { model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
  t.notOk(app.logs.some(l => typeof l.msg === 'string' && l.msg.endsWith(' body')))
  assertNoSecrets(t, app)
})

t.test('which names are secrets', async t => {
  for (const name of ['api_key', 'apiKey', 'API-KEY', 'key', 'x-api-key', 'X-Goog-Api-Key', 'authorization', 'Authorization', 'password', 'client_secret', 'secret', 'token', 'access_token', 'accessToken', 'privateKey']) {
    t.ok(isSecretName(name), name)
  }
  for (const name of ['max_tokens', 'input_tokens', 'model', 'messages', 'keys', 'content', 'monkey', 'tokenizer']) {
    t.notOk(isSecretName(name), name)
  }
  t.same(redactSecrets({ a: [{ Authorization: 'x' }, 1], nested: { deep: { apiKey: { v: 1 } } }, max_tokens: 5 }),
    { a: [{ Authorization: '[REDACTED]' }, 1], nested: { deep: { apiKey: '[REDACTED]' } }, max_tokens: 5 })
  t.equal(redactText('{"api_key": "abc", "x": "y"} key=v&other=1'), '{"api_key": "[REDACTED]", "x": "y"} key=[REDACTED]&other=1')
})
