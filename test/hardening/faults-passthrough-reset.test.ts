// Issue 10, "Faults" (fixed in plugins/error-handler.ts: undici body failures are the backend's
// 502/504, and an error reply is JSON whatever headers the upstream had announced): a same-dialect (passthrough) backend that sends its 200 headers
// and then drops the connection before the first byte of the body. Nothing has reached the client
// yet, so it must get what a close before headers gets: a 502 in its own dialect naming the
// backend (JSON body, `application/json`), streaming or not.
//
// Before the fix: streaming, Fastify's own 500 body
// `{"statusCode":500,"code":"FST_ERR_REP_INVALID_PAYLOAD_TYPE",…}` — the error handler renders an
// object while the reply still carries the upstream's `text/event-stream` content type, so Fastify
// refuses to serialise it; whole, a 500 "internal error" logged as an unhandled error, because the
// undici body error (UND_ERR_SOCKET) is not classified as the backend's failure.
import t, { type Test } from 'tap'
import {
  clientRequest, errorBodyProblems, faultConfig, send, startFaultUpstream, WIRES,
} from '../helpers/fault-upstream.js'
import { startApp } from '../helpers/start-app.js'

t.test('passthrough: headers then a reset is a 502 in the client\'s dialect', async t => {
  const upstream = await startFaultUpstream(t)
  const app = await startApp(t, faultConfig(upstream.url, { timeoutMs: 2000 }))
  for (const stream of [true, false]) {
    await t.test(stream ? 'streaming' : 'whole', async (t: Test) => {
      for (const wire of WIRES) {
        const call = clientRequest(wire, wire, 'reset-after-headers', stream)
        const reply = await send(app.url, call.path, call.body)
        const problems = errorBodyProblems(wire, reply, 502)
        if (!reply.text.includes(`backend ${wire}`)) problems.push(`does not name the backend: ${reply.text.slice(0, 160)}`)
        t.same(problems, [], `${wire} client ← ${wire} backend`)
      }
    })
  }
})
