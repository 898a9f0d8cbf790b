// Issue 10, "Faults" — the whole-request deadline (`server.requestTimeoutMs`, 400 ms here) rather
// than the backend's `timeoutMs` (30 s here, never reached). An upstream that never answers, or
// stalls after its first events, is cut by the deadline for every client dialect × backend
// dialect, streaming and whole: a 504 in the client's dialect before the reply began; after it
// began, the dialect's error event and a clean end (converted) or a cut the client sees
// (passthrough streams; a whole passthrough reply of a declared length is read whole before it
// is sent, so it is a 504 too). Nothing outlives the deadline by more than 1 s, and nothing is left open.
import t, { type Test } from 'tap'
import {
  checkAfterwards, faultConfig, startFaultUpstream, type Expect, type Fault, type Wire,
} from '../helpers/fault-upstream.js'
import { checkPairs } from '../helpers/fault-pairs.js'
import { startApp } from '../helpers/start-app.js'

const DEADLINE_MS = 400
const BOUND_MS = DEADLINE_MS + 1000

function expected (fault: Fault, client: Wire, backend: Wire, stream: boolean): Expect {
  const gateway = `backend ${backend}`
  if (fault === 'silent') return { kind: 'http-error', status: 504, says: gateway + ' did not answer in time' }
  if (client === backend) return stream ? { kind: 'cut', stream } : { kind: 'http-error', status: 504, says: gateway + ' did not finish in time' }
  return stream ? { kind: 'stream-error', hel: true, says: gateway + ' did not finish in time' } : { kind: 'http-error', status: 504, says: gateway }
}

t.test('server.requestTimeoutMs cuts silent and stalled upstreams', async t => {
  const upstream = await startFaultUpstream(t)
  const app = await startApp(t, faultConfig(upstream.url, { timeoutMs: 30_000 }, { requestTimeoutMs: DEADLINE_MS }))
  let slowest = 0
  let fastest = Infinity
  let cases = 0
  for (const fault of ['silent', 'stall'] as const) {
    for (const stream of [true, false]) {
      await t.test(`${fault}, ${stream ? 'streaming' : 'whole'}`, async (t: Test) => {
        const replies = await checkPairs(t, app.url, { fault, stream, want: (client, backend) => expected(fault, client, backend, stream), batch: 16, boundMs: BOUND_MS })
        for (const { reply } of replies) {
          cases++
          slowest = Math.max(slowest, reply.ms)
          fastest = Math.min(fastest, reply.ms)
        }
      })
    }
  }
  t.ok(fastest >= DEADLINE_MS - 50, `no request was cut before the deadline (fastest ${Math.round(fastest)} ms)`)
  await t.test('afterwards: no stream open, every upstream response closed', async t => {
    await checkAfterwards(t, app, upstream)
  })
  t.comment(`deadline: ${cases} cases, ${Math.round(fastest)}–${Math.round(slowest)} ms for a ${DEADLINE_MS} ms deadline (bound ${BOUND_MS})`)
})
