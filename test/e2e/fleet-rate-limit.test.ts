// Two Switchyard instances on one real redis-server: the rate limit holds for the combined
// traffic (counted once, not once per instance). Then Redis stops: requests pass promptly (fail
// open), the outage is logged at warn once rather than per request, and readiness answers 503.
import t from 'tap'
import { request } from 'undici'
import { startRedis } from '../helpers/redis.js'
import { oneBackend, startApp, type StartedApp } from '../helpers/start-app.js'

const MAX = 4
/** A request against a dead Redis must not wait on it (client: no offline queue, 200 ms timeout). */
const PROMPT_MS = 1000
const WARN = 40

async function chat (app: StartedApp): Promise<{ status: number, remaining: unknown, ms: number }> {
  const started = performance.now()
  const res = await request(app.url + '/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
  })
  await res.body.dump()
  return { status: res.statusCode, remaining: res.headers['x-ratelimit-remaining'], ms: performance.now() - started }
}

async function ready (app: StartedApp): Promise<{ status: number, ms: number }> {
  const started = performance.now()
  const res = await request(app.url + '/health/ready')
  await res.body.dump()
  return { status: res.statusCode, ms: performance.now() - started }
}

t.test('two instances share one limit through Redis, and fail open when it goes away', async t => {
  const redis = await startRedis(t)
  const config = oneBackend({ protocol: 'mock' }, { rateLimit: { max: MAX, timeWindow: '1 minute' }, redis: { url: redis.url } })
  const a = await startApp(t, config)
  const b = await startApp(t, config)
  t.same([(await ready(a)).status, (await ready(b)).status], [200, 200], 'both ready with Redis up')

  const answers = []
  for (let i = 0; i < MAX; i++) answers.push(await chat(i % 2 === 0 ? a : b))
  t.same(answers.map(r => [r.status, r.remaining]), [[200, '3'], [200, '2'], [200, '1'], [200, '0']],
    'requests spread over both instances count down one shared counter')
  t.same([(await chat(a)).status, (await chat(b)).status], [429, 429], 'the next request is refused on either instance')

  // A Redis that holds the connection but answers nothing (blackholed, paused): the command
  // times out (200 ms in createRedis) instead of holding the request.
  redis.pause()
  const frozen = await chat(a)
  const frozenReady = await ready(a)
  redis.resume()
  t.equal(frozen.status, 200, 'Redis silent: the request passes (fail open)')
  t.ok(frozen.ms < PROMPT_MS, `… after the command timeout, not a hang (${Math.round(frozen.ms)} ms)`)
  t.same([frozenReady.status, frozenReady.ms < PROMPT_MS], [503, true], 'readiness 503 promptly while Redis is silent')
  t.equal((await chat(a)).status, 429, 'Redis answering again: the shared limit holds again')
  t.match(a.logs.filter(l => l.msg === 'rate-limit store available again'), [{ letThrough: 1 }], 'the end of the outage is logged with its count')

  await redis.stop()
  const during = []
  for (let i = 0; i < 6; i++) during.push(await chat(i % 2 === 0 ? a : b))
  t.same(during.map(r => r.status), [200, 200, 200, 200, 200, 200], 'Redis down: requests pass (fail open)')
  const slowest = Math.max(...during.map(r => r.ms))
  t.ok(slowest < PROMPT_MS, `each request answered promptly (slowest ${Math.round(slowest)} ms)`)

  // a saw two outages (the pause, then the stop), b one; three requests each during the stop.
  for (const [app, outages] of [[a, 2], [b, 1]] as const) {
    const warns = app.logs.filter(l => l.level === WARN && typeof l.msg === 'string' && l.msg.startsWith('rate-limit store'))
    t.equal(warns.length, outages, 'one warn line per outage, not one per request')
    t.match(warns.at(-1), { msg: 'rate-limit store unavailable: failing open', letThrough: 1, reason: String })
    t.notOk(app.logText().includes(redis.url), 'the Redis URL is not logged')
  }

  for (const app of [a, b]) {
    const probe = await ready(app)
    t.equal(probe.status, 503, 'not ready without Redis')
    t.ok(probe.ms < PROMPT_MS, `readiness answered promptly (${Math.round(probe.ms)} ms)`)
  }
})

t.test('Redis down at boot: the instance starts, serves unlimited and is not ready', async t => {
  const redis = await startRedis(t)
  await redis.stop()
  const started = performance.now()
  const app = await startApp(t, oneBackend({ protocol: 'mock' }, { rateLimit: { max: 1, timeWindow: '1 minute' }, redis: { url: redis.url } }))
  const bootMs = performance.now() - started
  t.ok(bootMs < 3000, `boot did not wait on Redis beyond its bound (${Math.round(bootMs)} ms)`)
  t.same([(await chat(app)).status, (await chat(app)).status], [200, 200], 'fail open from the first request')
  t.equal((await ready(app)).status, 503)
  t.ok(app.logs.some(l => l.level === WARN && l.msg === 'redis is not reachable at boot: rate limits fail open until it answers'))
})
