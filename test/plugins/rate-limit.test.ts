// The rate-limit plugin in process (no Redis): limits per client address and per client key,
// per-key overrides, the x-ratelimit-* and retry-after headers, the 429 in each client dialect
// (and each official SDK's RateLimitError), trustProxy, and the operational endpoints never
// limited. The fleet-wide (Redis) behaviour is test/e2e/fleet-rate-limit.test.ts.
import Anthropic from '@anthropic-ai/sdk'
import { ApiError, GoogleGenAI } from '@google/genai'
import Fastify from 'fastify'
import OpenAI from 'openai'
import t from 'tap'
import { request } from 'undici'
import contextPlugin from '../../plugins/context.js'
import errorHandlerPlugin from '../../plugins/error-handler.js'
import rateLimitPlugin from '../../plugins/rate-limit.js'
import { NO_METRICS } from '../../src/metrics/recorder.js'
import { compileLimit, parseTimeWindow } from '../../src/rate-limit/limits.js'
import { oneBackend, startApp } from '../helpers/start-app.js'

const CHAT = '/v1/chat/completions'
const chatBody = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
const JSON_HEADERS = { 'content-type': 'application/json' }

async function chat (url: string, headers: Record<string, string> = {}) {
  const res = await request(url + CHAT, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: chatBody })
  const body = await res.body.json() as Record<string, unknown>
  return { status: res.statusCode, headers: res.headers, body }
}

const limited = (max: number, rest: Record<string, unknown> = {}) =>
  oneBackend({ protocol: 'mock' }, { rateLimit: { max, timeWindow: '1 minute' }, ...rest })

t.test('per client address: headers count down, then 429 in the OpenAI dialect with retry-after', async t => {
  const app = await startApp(t, limited(3))
  const seen: unknown[] = []
  for (let i = 0; i < 3; i++) {
    const res = await chat(app.url)
    t.equal(res.status, 200)
    seen.push([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']])
    const reset = Number(res.headers['x-ratelimit-reset'])
    t.ok(reset > 0 && reset <= 60, `x-ratelimit-reset is within the window (${reset})`)
  }
  t.same(seen, [['3', '2'], ['3', '1'], ['3', '0']])

  const refused = await chat(app.url)
  t.equal(refused.status, 429)
  t.same([refused.headers['x-ratelimit-limit'], refused.headers['x-ratelimit-remaining']], ['3', '0'])
  const retryAfter = Number(refused.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 60, `retry-after is the time left in the window (${retryAfter})`)
  t.same(refused.body, { error: {
    message: 'rate limit of 3 requests per 1 minute exceeded for this client address',
    type: 'rate_limit_error',
    param: null,
    code: 'rate_limit_exceeded',
  } })
})

t.test('health and metrics are never limited', async t => {
  const app = await startApp(t, limited(1))
  t.equal((await chat(app.url)).status, 200)
  t.equal((await chat(app.url)).status, 429)
  for (const path of ['/health/live', '/health/ready', '/metrics', '/health/live']) {
    const res = await request(app.url + path)
    await res.body.dump()
    t.not(res.statusCode, 429, `${path} is not limited`)
    t.equal(res.headers['x-ratelimit-limit'], undefined, `${path} is not counted`)
  }
})

t.test('each dialect gets its own 429 envelope', async t => {
  const app = await startApp(t, limited(1))
  t.equal((await chat(app.url)).status, 200, 'the one allowed request')

  const anthropic = await request(app.url + '/v1/messages', {
    method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
  })
  t.equal(anthropic.statusCode, 429)
  t.ok(Number(anthropic.headers['retry-after']) > 0)
  t.match(await anthropic.body.json(), { type: 'error', error: { type: 'rate_limit_error', message: /^rate limit of 1 request per 1 minute exceeded/ } })

  const gemini = await request(app.url + '/v1beta/models/m:generateContent', {
    method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  })
  t.equal(gemini.statusCode, 429)
  t.ok(Number(gemini.headers['retry-after']) > 0)
  t.match(await gemini.body.json(), { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: /^rate limit of 1 request/ } })
})

t.test('the official SDKs raise their rate-limit errors', async t => {
  const app = await startApp(t, limited(1))
  t.equal((await chat(app.url)).status, 200)

  const openai = new OpenAI({ baseURL: app.url + '/v1', apiKey: 'unused', maxRetries: 0 })
  const openaiErr = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
  t.ok(openaiErr instanceof OpenAI.RateLimitError, 'openai: RateLimitError')
  t.equal((openaiErr as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after') !== null, true)

  const anthropic = new Anthropic({ baseURL: app.url, apiKey: 'unused', maxRetries: 0 })
  const anthropicErr = await anthropic.messages.create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
  t.ok(anthropicErr instanceof Anthropic.RateLimitError, 'anthropic: RateLimitError')

  const genai = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: app.url, retryOptions: { attempts: 1 } } })
  const geminiErr = await genai.models.generateContent({ model: 'm', contents: 'hi' }).catch((e: unknown) => e)
  t.ok(geminiErr instanceof ApiError, 'genai: ApiError')
  t.equal((geminiErr as ApiError).status, 429)
})

t.test('X-Forwarded-For is the client address only with server.trustProxy', async t => {
  t.test('trustProxy off: every forwarded address shares the peer address limit', async t => {
    const app = await startApp(t, limited(1))
    t.equal((await chat(app.url, { 'x-forwarded-for': '203.0.113.1' })).status, 200)
    t.equal((await chat(app.url, { 'x-forwarded-for': '203.0.113.2' })).status, 429)
  })
  t.test('trustProxy on: each forwarded address has its own limit', async t => {
    const app = await startApp(t, limited(1, { server: { trustProxy: true } }))
    t.equal((await chat(app.url, { 'x-forwarded-for': '203.0.113.1' })).status, 200)
    t.equal((await chat(app.url, { 'x-forwarded-for': '203.0.113.2' })).status, 200)
    t.equal((await chat(app.url, { 'x-forwarded-for': '203.0.113.1' })).status, 429)
    t.equal((await chat(app.url, { 'x-forwarded-for': '203.0.113.2, 10.0.0.1' })).status, 429, 'every hop trusted: the left-most address is the client')
  })
  t.test('trustProxy naming the ingress: the first untrusted hop from the right is the client', async t => {
    const app = await startApp(t, limited(1, { server: { trustProxy: '127.0.0.1' } }))
    t.equal((await chat(app.url, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).status, 200)
    t.equal((await chat(app.url, { 'x-forwarded-for': '198.51.100.8, 203.0.113.1' })).status, 429, 'a spoofed left-most hop does not escape the limit')
    t.equal((await chat(app.url, { 'x-forwarded-for': '203.0.113.2' })).status, 200)
  })
})

t.test('with auth: limited per key name, with per-key overrides', async t => {
  const app = await startApp(t, limited(3, {
    auth: { keys: [
      { name: 'team-a', key: 'sk-team-a-0123456789', rateLimit: { max: 2, timeWindow: 60000 } },
      { name: 'team-b', key: 'sk-team-b-0123456789' },
    ] },
  }))
  const asA = { authorization: 'Bearer sk-team-a-0123456789' }
  const asB = { authorization: 'Bearer sk-team-b-0123456789' }
  t.same((await chat(app.url, asA)).headers['x-ratelimit-limit'], '2', 'team-a has its override')
  t.equal((await chat(app.url, asA)).status, 200)
  const refused = await chat(app.url, asA)
  t.equal(refused.status, 429)
  t.match(refused.body, { error: { message: 'rate limit of 2 requests per 60000 ms exceeded for key team-a' } })
  for (let i = 0; i < 3; i++) {
    const res = await chat(app.url, asB)
    t.same([res.status, res.headers['x-ratelimit-limit']], [200, '3'], 'team-b has its own counter and the global limit')
  }
  t.equal((await chat(app.url, asB)).status, 429)
  t.equal((await chat(app.url, asB)).status, 429)
  t.notOk(app.logText().includes('sk-team-'), 'no key in the logs')
  const metrics = await (await request(app.url + '/metrics')).body.text()
  t.match(metrics, /^switchyard_rate_limited_total\{key="team-a"\} 1$/m, 'refusals counted by key name')
  t.match(metrics, /^switchyard_rate_limited_total\{key="team-b"\} 2$/m)
  t.notOk(metrics.includes('sk-team-'), 'no key in the metrics')
})

// The plugin alone, behind a stand-in for the auth plugin (it only sets ctx.clientKey), to see
// what it reports to the metrics recorder: key names, or `ip` — never an address.
t.test('each refusal is reported to the recorder by key name, or as `ip`', async t => {
  const counted: string[] = []
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(contextPlugin, { requestTimeoutMs: 10_000 })
  await app.register(errorHandlerPlugin)
  await app.register(async api => {
    const keys = [{ name: 'team-a', key: 'sk-team-a-0123456789' }]
    api.addHook('onRequest', async request => {
      const ctx = request.switchyard
      if (ctx !== null) ctx.clientKey = keys.find(k => k.name === request.headers['x-key-name']) ?? null
    })
    await api.register(rateLimitPlugin, { limit: { max: 1, timeWindow: '1 minute' }, keys, recorder: { ...NO_METRICS, rateLimited: key => counted.push(key) } })
    api.post(CHAT, async () => ({ ok: true }))
  })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const statuses: number[] = []
  const asIp: Record<string, string> = {}
  const asA = { 'x-key-name': 'team-a' }
  for (const headers of [asIp, asIp, asIp, asA, asA]) statuses.push((await chat(url, headers)).status)
  t.same(statuses, [200, 429, 429, 200, 429])
  t.same(counted, ['ip', 'ip', 'team-a'])
})

t.test('time windows: milliseconds or a duration, as the config schema allows', async t => {
  t.same([parseTimeWindow(1500), parseTimeWindow('1 minute'), parseTimeWindow('30s'), parseTimeWindow('500ms'), parseTimeWindow(' 1.5 hours '), parseTimeWindow('2d'), parseTimeWindow('250')],
    [1500, 60_000, 30_000, 500, 5_400_000, 172_800_000, 250])
  t.throws(() => parseTimeWindow('1 fortnight'))
  t.same(compileLimit({ max: 5, timeWindow: '10 seconds' }), { max: 5, windowMs: 10_000, windowText: '10 seconds' })
})
