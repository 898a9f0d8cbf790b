// Load shedding over loopback: a blocked event loop makes client requests fail fast with a 503
// in their own dialect (before auth), while the health endpoints keep answering.
// under-pressure samples the event-loop delay once a second, so the test blocks the loop for
// longer than one window and then polls (bounded) until the sample shows the stall.
import { setTimeout as delay } from 'node:timers/promises'
import t from 'tap'
import { request } from 'undici'
import { startApp } from '../helpers/start-app.js'

const MOCK = { name: 'mock', protocol: 'mock', match: { default: true } }
const KEY = 'sk-shed-test-123456'
/** Longer than under-pressure's 1 s sampling window, so a sample is dominated by the stall. */
const BLOCK_MS = 1100
const DEADLINE_MS = 5000
/** Recovery is polled gently: back-to-back requests would themselves keep the mean delay up. */
const RECOVERY_POLL_MS = 100

function blockEventLoop (ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) { /* busy: this is the stall under test */ }
}

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, body: unknown }

async function send (url: string, path: string, body?: unknown): Promise<Answer> {
  const res = await request(url + path, body === undefined
    ? {}
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text }
}

t.test('a saturated event loop: 503 early in each dialect, health unaffected, then recovery', async t => {
  // Auth on: a shed request is answered before auth would refuse it (no key is sent).
  const app = await startApp(t, { server: { maxEventLoopDelayMs: 5 }, auth: { keys: [{ name: 'k', key: KEY }] }, backends: [MOCK] })
  const round = () => Promise.all([
    send(app.url, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    send(app.url, '/v1/messages', { model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    send(app.url, '/v1beta/models/m:generateContent', { contents: [{ parts: [{ text: 'hi' }] }] }),
    send(app.url, '/health/live'),
    send(app.url, '/health/ready'),
  ])

  blockEventLoop(BLOCK_MS)
  const until = performance.now() + DEADLINE_MS
  let shed: Answer[] | undefined
  while (shed === undefined && performance.now() < until) {
    const answers = await round()
    // All three client requests in one round, so they saw the same sample.
    if (answers.slice(0, 3).every(a => a.status !== 401)) shed = answers
  }
  if (shed === undefined) { t.fail('no request was shed after the event loop stalled'); return }
  const [chat, messages, gemini, live, ready] = shed as [Answer, Answer, Answer, Answer, Answer]
  t.equal(chat.status, 503)
  t.match(chat.body, { error: { type: 'server_error', code: 'server_overloaded', message: /overloaded/ } }, 'OpenAI envelope')
  t.equal(messages.status, 529, 'Anthropic clients get overloaded as 529')
  t.match(messages.body, { type: 'error', error: { type: 'overloaded_error' } })
  t.equal(gemini.status, 503)
  t.match(gemini.body, { error: { code: 503, status: 'UNAVAILABLE' } })
  for (const a of [chat, messages, gemini]) t.equal(a.headers['retry-after'], '2', 'retry-after on a shed request')
  t.equal(live.status, 200, '/health/live is never shed')
  t.equal(ready.status, 200, '/health/ready is never shed')

  let recovered = false
  while (!recovered && performance.now() < until + DEADLINE_MS) {
    await delay(RECOVERY_POLL_MS)
    const answer = await send(app.url, '/v1/chat/completions', { model: 'm', messages: [] })
    recovered = answer.status === 401
  }
  t.ok(recovered, 'once the loop is idle again, requests reach auth again')
})
