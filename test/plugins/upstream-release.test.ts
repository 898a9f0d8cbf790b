// A translated stream's reply can be over before the upstream's body is: a Chat backend sends
// its usage chunk, then `[DONE]` and the body's end a moment later. The client's reply ends at
// once, and the rest of the upstream body is drained (for at most RELEASE_MS) so the upstream
// connection goes back to the pool — not destroyed, which would cost a new connection (and an
// abort error) on every request. Also when the client is slow to read, so that the translated
// reply's end still waits in the socket when the reply is over.
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startApp } from '../helpers/start-app.js'

/** Within RELEASE_MS (20 ms): the rest of the body is worth waiting for. */
const DONE_AFTER_MS = 5

const chunk = (choice: object | null, extra: object = {}): string =>
  'data: ' + JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: choice === null ? [] : [choice], ...extra }) + '\n\n'

/** A Chat upstream whose `[DONE]` follows the usage chunk a few milliseconds later; it counts its connections. */
async function lateDoneUpstream (tap: Test, text: string): Promise<{ url: string, connections: () => number }> {
  let connections = 0
  const server = createServer((req, res) => {
    req.resume()
    req.once('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(chunk({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }))
      // One write: the reply is over within the read that brings the text.
      res.write(chunk({ index: 0, delta: { content: text }, finish_reason: null }) + chunk({ index: 0, delta: {}, finish_reason: 'stop' }) +
        chunk(null, { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }))
      setTimeout(() => res.end('data: [DONE]\n\n'), DONE_AFTER_MS)
    })
  })
  server.on('connection', () => { connections++ })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  tap.teardown(() => { server.closeAllConnections(); server.close() })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections }
}

const CASES = [
  { client: 'Anthropic', path: '/v1/messages', body: { model: 'm', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }, last: 'event: message_stop' },
  { client: 'Responses', path: '/v1/responses', body: { model: 'm', stream: true, store: false, input: 'hi' }, last: 'event: response.completed' },
]

for (const c of CASES) {
  for (const readerDelayMs of [0, 100]) {
    const reader = readerDelayMs === 0 ? 'a prompt client' : `a client that waits ${readerDelayMs} ms before reading`
    t.test(`${c.client} client ← Chat backend, ${reader}: the upstream connection is kept across replies`, async t => {
      // Big enough that the translated reply's end overfills the sockets to the idle client.
      const text = readerDelayMs === 0 ? 'Hello' : 'x'.repeat(2 * 1024 * 1024)
      const upstream = await lateDoneUpstream(t, text)
      const app = await startApp(t, { logging: { level: 'warn' }, backends: [{ name: 'chat', protocol: 'openai-chat', url: upstream.url + '/v1', match: { default: true } }] })
      for (let i = 0; i < 4; i++) {
        const res = await request(app.url + c.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.body) })
        t.equal(res.statusCode, 200)
        if (readerDelayMs > 0) await new Promise(resolve => setTimeout(resolve, readerDelayMs))
        const reply = await res.body.text()
        t.ok(reply.includes(c.last), `reply ${i} is complete`)
        // The upstream's [DONE] is due DONE_AFTER_MS after the reply ended: let it arrive.
        await new Promise(resolve => setTimeout(resolve, DONE_AFTER_MS * 4))
      }
      t.equal(upstream.connections(), 1, 'one upstream connection served every reply')
    })
  }
}
