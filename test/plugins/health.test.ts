import t from 'tap'
import { once } from 'node:events'
import { connect } from 'node:net'
import { request } from 'undici'
import { startMockUpstream } from '../helpers/mock-upstream.js'
import { oneBackend, startApp } from '../helpers/start-app.js'

t.test('liveness and readiness answer 200 while running', async t => {
  const app = await startApp(t, oneBackend({ protocol: 'mock' }))
  const live = await request(app.url + '/health/live')
  t.same([live.statusCode, await live.body.json()], [200, { status: 'ok' }])
  const ready = await request(app.url + '/health/ready')
  t.same([ready.statusCode, await ready.body.json()], [200, { status: 'ready' }])
})

t.test('while draining, readiness is 503 and a kept-alive connection closes once it is idle', async t => {
  const upstream = await startMockUpstream(t, { headers: { 'content-type': 'text/event-stream' }, frames: ['data: 1\n\n', 'data: 2\n\n'], holdAfter: 1 })
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  const { port } = new URL(app.url)
  // One raw connection: a stream, then (once the drain has begun) a pipelined readiness probe.
  const socket = connect(Number(port), '127.0.0.1')
  t.teardown(() => socket.destroy())
  let received = ''
  socket.on('data', (c: Buffer) => { received += c.toString() })
  const body = '{"stream":true}'
  socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`)
  await upstream.nextRequest()
  while (!received.includes('data: 1')) await once(socket, 'data')

  const closing = app.app.close()
  socket.write('GET /health/ready HTTP/1.1\r\nhost: x\r\n\r\n')
  await new Promise(resolve => setImmediate(resolve))
  upstream.release()
  await once(socket, 'close')
  t.match(received, /data: 2\n\n[\s\S]*HTTP\/1\.1 503/, 'the probe behind the stream got 503')
  const started = process.hrtime.bigint()
  await closing
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  t.ok(ms < 2000, `close() finished ${Math.round(ms)} ms after the connection went idle, not at keep-alive expiry`)
})
