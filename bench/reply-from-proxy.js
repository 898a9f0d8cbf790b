// The floor: a minimal Fastify + @fastify/reply-from passthrough, configured as its README
// shows and no further: `base` at the mock upstream (undici, the plugin's default client), one
// catch-all route `reply.from(request.url)`, no logger. The body is never parsed: every content
// type parser is removed and a catch-all one hands reply-from the raw request stream, as its
// README does for bodies it must not parse ("Proxying specific content types without
// parsing"). A Buffer body would be wrong here: reply-from JSON.stringify()s any non-stream body
// sent as application/json. `undici.connections` (a documented option, default 128 per origin)
// is raised to BENCH_RF_CONNECTIONS (default 1024) so the 512-slow-stream scenario is not queued
// behind 128 upstream sockets; Switchyard's upstream pool has no such cap.
import Fastify from 'fastify'
import replyFrom from '@fastify/reply-from'

const app = Fastify({ logger: false })
app.removeAllContentTypeParsers()
app.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
await app.register(replyFrom, {
  base: process.env.UPSTREAM,
  undici: { connections: Number(process.env.BENCH_RF_CONNECTIONS ?? 1024) },
})
app.all('/*', (request, reply) => reply.from(request.url))
const url = await app.listen({ port: 0, host: '127.0.0.1' })
process.send({ url })
process.on('disconnect', () => { app.close().then(() => process.exit(0)) })
