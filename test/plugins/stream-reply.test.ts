// Streams written to the client by hand (plugins/handlers/stream-reply.ts) keep backpressure end
// to end: a client that stops reading stops the upstream — passed through or translated — within
// what the sockets between them hold, and once it reads again, every byte arrives. An upstream
// here writes TOTAL_BYTES of SSE as fast as its socket takes them; without the pause, Switchyard
// would read all of it into memory while the client reads nothing.
import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startApp } from '../helpers/start-app.js'

const TOTAL_BYTES = 48 * 1024 * 1024
/**
 * What may be written while the client reads nothing: the kernel's loopback buffers (up to
 * ~4-6 MiB per socket with autotuning, four sockets on the way) and Node's own (64 KiB each).
 */
const STALLED_BOUND = 28 * 1024 * 1024
const STALL_MS = 1500

/** Each event's text ends in the stream's only `!`: counting them counts the events that arrived. */
const TEXT = 'y'.repeat(899) + '!'
const EVENT = 'data: ' + JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: TEXT }, finish_reason: null }] }) + '\n\n'
const LAST = 'data: ' + JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + '\n\ndata: [DONE]\n\n'
const EVENTS = Math.ceil(TOTAL_BYTES / Buffer.byteLength(EVENT))

/** A Chat Completions upstream that streams EVENTS events as fast as its socket accepts them. */
async function floodingUpstream (tap: Test): Promise<{ url: string, written: () => number }> {
  let written = 0
  const server = createServer((req, res: ServerResponse) => {
    req.resume()
    req.once('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      let sent = 0
      const pump = (): void => {
        while (sent < EVENTS) {
          sent++
          written += EVENT.length
          if (!res.write(EVENT)) { res.once('drain', pump); return }
        }
        res.end(LAST)
      }
      pump()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  tap.teardown(() => { server.closeAllConnections(); server.close() })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, written: () => written }
}

const CASES = [
  { name: 'passthrough (Chat client, Chat backend)', path: '/v1/chat/completions', body: { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }, last: 'data: [DONE]' },
  { name: 'translated (Anthropic client, Chat backend)', path: '/v1/messages', body: { model: 'm', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }, last: 'event: message_stop' },
]

for (const c of CASES) {
  t.test(`${c.name}: a client that stops reading stops the upstream; every byte arrives once it reads`, async t => {
    const upstream = await floodingUpstream(t)
    const app = await startApp(t, { logging: { level: 'warn' }, backends: [{ name: 'chat', protocol: 'openai-chat', url: upstream.url + '/v1', match: { default: true } }] })
    const res = await request(app.url + c.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.body) })
    t.equal(res.statusCode, 200)
    // Not reading: undici stops the socket once its own buffer is full.
    await new Promise(resolve => setTimeout(resolve, STALL_MS))
    const stalled = upstream.written()
    t.ok(stalled < STALLED_BOUND, `the upstream was held back: ${(stalled / 1048576).toFixed(1)} MiB written of ${(EVENTS * EVENT.length / 1048576).toFixed(1)} while the client read nothing`)
    let marks = 0
    let tail = ''
    for await (const chunk of res.body) {
      for (const byte of chunk as Buffer) if (byte === 0x21) marks++
      tail = (tail + (chunk as Buffer).toString('latin1')).slice(-200)
    }
    t.equal(upstream.written(), EVENTS * EVENT.length, 'the upstream wrote everything once the client read')
    t.equal(marks, EVENTS, 'every event\'s text arrived')
    t.ok(tail.includes(c.last), 'it ends with its last event')
  })
}
