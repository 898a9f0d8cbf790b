// Issue 10, "Faults" — non-streaming requests. Every client dialect in front of every backend
// dialect (converted when they differ, passed through when they match) against the fault
// upstream (test/helpers/fault-upstream.ts): half a body then a dropped socket, a reset right
// after the headers, a body that is not JSON, a stall after the first byte, a body over the
// 32 MiB reply limit, 429/500/529, a close before headers, no answer at all.
//
// A converted reply must be read whole before it is sent, so every fault is an HTTP error in the
// client's dialect naming the backend (502, or 504 for time), with the upstream's status and
// `retry-after` kept for error statuses. Passthrough relays what the upstream sent, untouched;
// a reply of a small declared length is read whole before it is sent (issue 8), so a body cut
// or stalled mid-way is a 502 or 504 in the client's dialect too, never a half-sent reply. No
// request outlives the backend timeout (300 ms) by more than 1 s (plus undici's timer ticks,
// and the 33 MiB transfer: helpers' boundMs); no stream stays open; nothing is left behind.
import t, { type Test } from 'tap'
import {
  checkAfterwards, faultConfig, startFaultUpstream, statusExpect, wholeBody, WIRES, type Expect,
  type Fault, type Wire, boundMs, HUGE_TRANSFER_MS, UNDICI_SLACK_MS,
} from '../helpers/fault-upstream.js'
import { checkPairs } from '../helpers/fault-pairs.js'
import { startApp } from '../helpers/start-app.js'

const TIMEOUT_MS = 300

/** What a client of `client` asking for a whole reply must see; undefined: not run (pending, or covered once). */
function expected (fault: Fault, client: Wire, backend: Wire): Expect | undefined {
  const same = client === backend
  const gateway = `backend ${backend}`
  switch (fault) {
    case 'none': return same ? { kind: 'bytes', bytes: Buffer.from(wholeBody(backend, 'none')) } : { kind: 'whole-ok' }
    case 'garbage':
    case 'bad-json':
      return same ? { kind: 'bytes', bytes: Buffer.from(wholeBody(backend, fault)) } : { kind: 'http-error', status: 502, says: gateway + ' sent an invalid response: reply is not JSON' }
    case 'drop': return { kind: 'http-error', status: 502, says: same ? gateway + ' closed the reply before it was complete' : gateway }
    case 'reset-after-headers': return { kind: 'http-error', status: 502, says: gateway }
    case 'stall': return { kind: 'http-error', status: 504, says: gateway + (same ? ' did not finish in time' : ' did not answer in time') }
    // 33 MiB a reply: once per client dialect (the limit is one read shared by every backend dialect).
    case 'huge': return WIRES[(WIRES.indexOf(client) + 1) % WIRES.length] === backend ? { kind: 'http-error', status: 502, says: gateway + ' sent an invalid response: reply larger than' } : undefined
    case 'status-429': return statusExpect(429, client, backend)
    case 'status-500': return statusExpect(500, client, backend)
    case 'status-529': return statusExpect(529, client, backend)
    case 'close-early': return { kind: 'http-error', status: 502, says: gateway }
    case 'silent': return { kind: 'http-error', status: 504, says: gateway + ' did not answer in time' }
    default: return undefined
  }
}

const WHOLE_FAULTS: readonly Fault[] = [
  'none', 'garbage', 'bad-json', 'drop', 'reset-after-headers', 'stall', 'huge', 'status-429', 'status-500', 'status-529', 'close-early', 'silent',
]

t.test('whole-reply faults × client dialect × backend dialect', async t => {
  const upstream = await startFaultUpstream(t)
  const app = await startApp(t, faultConfig(upstream.url, { timeoutMs: TIMEOUT_MS }))
  let cases = 0
  let slowest = 0

  for (const fault of WHOLE_FAULTS) {
    await t.test(fault, async (t: Test) => {
      const replies = await checkPairs(t, app.url, { fault, stream: false, want: (client, backend) => expected(fault, client, backend), batch: fault === 'huge' ? 1 : 16, boundMs: boundMs(fault, TIMEOUT_MS) })
      for (const { reply } of replies) {
        cases++
        slowest = Math.max(slowest, reply.ms)
      }
    })
  }

  await t.test('afterwards: no stream open, every upstream response closed', async t => {
    await checkAfterwards(t, app, upstream)
  })
  t.comment(`whole replies: ${cases} cases over ${WHOLE_FAULTS.length} faults, slowest ${Math.round(slowest)} ms (bound: timeout ${TIMEOUT_MS} ms + 1 s, + ${UNDICI_SLACK_MS} ms for undici's timer ticks on stall/silent, + ${HUGE_TRANSFER_MS} ms transfer for huge)`)
})
