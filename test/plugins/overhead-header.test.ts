// `x-switchyard-overhead-ms` (issue 8): on every reply that went upstream, Switchyard's own time
// — before the upstream request went out, and after the upstream's reply was in hand — never the
// time spent waiting on the upstream. The upstream here holds each reply's second half back by
// HOLD_MS, so a header that counted upstream time would read above it.
import t from 'tap'
import { request } from 'undici'
import { startMockUpstream, type Script } from '../helpers/mock-upstream.js'
import { startApp } from '../helpers/start-app.js'

const HOLD_MS = 300
const FORMAT = /^\d+\.\d{3}$/

const CHAT_REPLY = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
})
const chatChunk = (delta: object, finish: string | null = null): string =>
  'data: ' + JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] }) + '\n\n'
const CHAT_SSE = [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'streamed' }), chatChunk({}, 'stop'), 'data: [DONE]\n\n']

/** A whole reply in two halves HOLD_MS apart; with its Content-Length, or chunked. */
function whole (withLength: boolean): Script {
  const half = CHAT_REPLY.length >> 1
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (withLength) headers['content-length'] = String(Buffer.byteLength(CHAT_REPLY))
  return { headers, frames: [CHAT_REPLY.slice(0, half), CHAT_REPLY.slice(half)], frameDelayMs: HOLD_MS }
}

t.test('overhead excludes the upstream, whole and streamed, passed through and converted', async t => {
  const upstream = await startMockUpstream(t, req => {
    const body = req.body.toString()
    if (body.includes('"stream":true')) return { headers: { 'content-type': 'text/event-stream' }, frames: CHAT_SSE, frameDelayMs: HOLD_MS / 3 }
    return whole(!body.includes('chunked-reply'))
  })
  const app = await startApp(t, {
    backends: [
      { name: 'chat', protocol: 'openai-chat', url: upstream.url, match: { default: true } },
      { name: 'mock', protocol: 'mock', match: { pathPrefix: '/mock' } },
    ],
  })
  const chat = (extra: object) => JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra })
  const anthropic = (extra: object) => JSON.stringify({ model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...extra })
  const cases = [
    { name: 'passthrough, whole, read whole (Content-Length)', path: '/v1/chat/completions', body: chat({}) },
    { name: 'passthrough, whole, relayed as it comes (chunked)', path: '/v1/chat/completions', body: chat({ user: 'chunked-reply' }) },
    { name: 'passthrough, streamed', path: '/v1/chat/completions', body: chat({ stream: true }) },
    { name: 'converted (Anthropic client), whole', path: '/v1/messages', body: anthropic({}) },
    { name: 'converted (Anthropic client), streamed', path: '/v1/messages', body: anthropic({ stream: true }) },
  ]
  for (const c of cases) {
    const started = performance.now()
    const res = await request(app.url + c.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: c.body })
    await res.body.text()
    const elapsed = performance.now() - started
    t.equal(res.statusCode, 200, c.name)
    const header = res.headers['x-switchyard-overhead-ms']
    t.match(header, FORMAT, `${c.name}: milliseconds, three decimals`)
    t.ok(elapsed >= HOLD_MS * 0.9, `${c.name}: the upstream held the reply (${Math.round(elapsed)} ms)`)
    t.ok(Number(header) < HOLD_MS / 2, `${c.name}: ${String(header)} ms excludes the upstream's ${HOLD_MS} ms`)
  }

  // Nothing went upstream: no header.
  const local = await request(app.url + '/mock/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: chat({}) })
  await local.body.text()
  t.equal(local.statusCode, 200)
  t.equal(local.headers['x-switchyard-overhead-ms'], undefined, 'answered in process: no header')
  const refused = await request(app.url + '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
  await refused.body.text()
  t.equal(refused.statusCode, 400)
  t.equal(refused.headers['x-switchyard-overhead-ms'], undefined, 'refused before any upstream call: no header')
  const live = await request(app.url + '/health/live')
  await live.body.text()
  t.equal(live.headers['x-switchyard-overhead-ms'], undefined, 'health: no header')
})

t.test('an upstream error reply carries the header too', async t => {
  const upstream = await startMockUpstream(t, { status: 400, headers: { 'content-type': 'application/json' }, frames: [JSON.stringify({ error: { message: 'bad', type: 'invalid_request_error' } })] })
  const app = await startApp(t, { backends: [{ name: 'chat', protocol: 'openai-chat', url: upstream.url, match: { default: true } }] })
  for (const path of ['/v1/chat/completions', '/v1/messages']) {
    const res = await request(app.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }) })
    await res.body.text()
    t.equal(res.statusCode, 400, path)
    t.match(res.headers['x-switchyard-overhead-ms'], FORMAT, `${path}: header on the relayed error`)
  }
})
