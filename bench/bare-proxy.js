// Baseline: the least a Fastify + undici proxy can do (no routing, no header hygiene, no
// limits, no logging). Switchyard's overhead is read against this, measured in the same run.
import Fastify from 'fastify'
import { Pool } from 'undici'

const pool = new Pool(process.env.UPSTREAM)
const app = Fastify()
app.removeAllContentTypeParsers()
app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined))
app.all('/*', async (request, reply) => {
  const res = await pool.request({
    method: request.method, path: request.url, headers: { 'content-type': 'application/json' },
    body: request.method === 'GET' ? null : request.raw,
  })
  reply.code(res.statusCode).headers(res.headers)
  return reply.send(res.body)
})
const url = await app.listen({ port: 0, host: '127.0.0.1' })
process.send({ url })
process.on('disconnect', () => process.exit(0))
