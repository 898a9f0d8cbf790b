import t from 'tap'
import { request } from 'undici'
import { startMockUpstream } from '../helpers/mock-upstream.js'
import { oneBackend, startApp } from '../helpers/start-app.js'

t.test('readiness is 503 as soon as shutdown starts; liveness stays 200 until then', async t => {
  const upstream = await startMockUpstream(t, { headers: { 'content-type': 'text/event-stream' }, frames: ['data: 1\n\n', 'data: 2\n\n'], holdAfter: 1 })
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  t.equal((await app.app.inject('/health/ready')).statusCode, 200)
  const res = await request(app.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stream":true}' })
  await res.body[Symbol.asyncIterator]().next()
  const closing = app.app.close()
  const ready = await app.app.inject('/health/ready')
  t.equal(ready.statusCode, 503, 'draining')
  upstream.release()
  await res.body.dump()
  await closing
})
