// Issue 10, "Faults" — streaming requests. Every client dialect (Chat, Anthropic, Responses,
// Gemini `alt=sse`) in front of every backend dialect: converted when they differ, passed through
// when they match, against a loopback upstream that misbehaves (test/helpers/fault-upstream.ts):
// drops mid-stream, resets after its headers, interleaves garbage lines, sends invalid JSON or an
// over-limit event, stalls after the first bytes, answers 429/500/529, sends its own error event
// after streaming began, closes before headers, never answers.
//
// For each case: before the stream began, an HTTP error in the client's dialect (the upstream's
// status kept, 529 → 503 outside Anthropic, `retry-after` kept); after it began, the dialect's
// error event last and a clean end — never a made-up finish or `[DONE]`; through passthrough, the
// upstream's bytes untouched, or a cut the client can see. No request outlives its backend
// timeout (300 ms) by more than 1 s (plus undici's timer ticks where that timeout ends it, and
// the transfer time of the 9 MiB event: helpers' boundMs); `switchyard_active_streams` returns
// to 0; every upstream response is closed after the run and no upstream socket survives the app.
//
// Known bugs are left out here and asserted in faults-*-pending.test.ts: passthrough of an
// upstream that resets right after its headers, and converted streams held open after their end.
import t, { type Test } from 'tap'
import {
  activeStreams, checkAfterwards, faultConfig, metricsText, settle, startFaultUpstream,
  statusExpect, streamFrames, type Expect, type Fault, type Wire, boundMs, HUGE_TRANSFER_MS,
  UNDICI_SLACK_MS,
} from '../helpers/fault-upstream.js'
import { checkPairs } from '../helpers/fault-pairs.js'
import { startApp } from '../helpers/start-app.js'

const TIMEOUT_MS = 300

/** What a streaming client of `client` must see when the backend speaking `backend` has `fault`; undefined: pending. */
function expected (fault: Fault, client: Wire, backend: Wire): Expect | undefined {
  const same = client === backend
  const gateway = `backend ${backend}`
  switch (fault) {
    case 'none':
    case 'garbage':
      return same ? { kind: 'bytes', bytes: Buffer.concat(streamFrames(backend, fault).map(f => Buffer.from(f))) } : { kind: 'complete' }
    case 'bad-json':
    case 'huge':
    case 'error-event':
      if (same) return { kind: 'bytes', bytes: Buffer.concat(streamFrames(backend, fault).map(f => Buffer.from(f))) }
      return { kind: 'stream-error', hel: true, says: fault === 'error-event' ? 'upstream overloaded mid-stream' : gateway + ' sent an invalid stream' }
    case 'drop': return same ? { kind: 'cut', stream: true } : { kind: 'stream-error', hel: true, says: gateway + ' closed the stream before it was complete' }
    case 'stall': return same ? { kind: 'cut', stream: true } : { kind: 'stream-error', hel: true, says: gateway + ' did not finish in time' }
    case 'reset-after-headers': return same ? undefined : { kind: 'stream-error', hel: false, says: gateway + ' closed the stream' }
    case 'status-429': return statusExpect(429, client, backend)
    case 'status-500': return statusExpect(500, client, backend)
    case 'status-529': return statusExpect(529, client, backend)
    case 'close-early': return { kind: 'http-error', status: 502, says: gateway }
    case 'silent': return { kind: 'http-error', status: 504, says: gateway + ' did not answer in time' }
    default: return undefined
  }
}

const STREAM_FAULTS: readonly Fault[] = [
  'none', 'garbage', 'drop', 'reset-after-headers', 'bad-json', 'stall', 'error-event', 'huge',
  'status-429', 'status-500', 'status-529', 'close-early', 'silent',
]

t.test('streaming faults × client dialect × backend dialect', async t => {
  const upstream = await startFaultUpstream(t)
  const app = await startApp(t, faultConfig(upstream.url, { timeoutMs: TIMEOUT_MS }))
  let cases = 0
  let slowest = 0
  const slowestBy: Record<string, number> = {}

  for (const fault of STREAM_FAULTS) {
    await t.test(fault, async (t: Test) => {
      const replies = await checkPairs(t, app.url, { fault, stream: true, want: (client, backend) => expected(fault, client, backend), batch: fault === 'huge' ? 4 : 16, boundMs: boundMs(fault, TIMEOUT_MS) })
      for (const { reply } of replies) {
        cases++
        slowest = Math.max(slowest, reply.ms)
        slowestBy[fault] = Math.max(slowestBy[fault] ?? 0, Math.round(reply.ms))
      }
    })
  }

  await t.test('afterwards: no stream open, every upstream response closed', async t => {
    await settle(2000, async () => Object.values(activeStreams(await metricsText(app))).every(v => v === 0))
    t.same(activeStreams(await metricsText(app)), { 'openai-chat': 0, anthropic: 0, 'openai-responses': 0, gemini: 0 }, 'every backend streamed, none is open')
    await checkAfterwards(t, app, upstream)
  })

  t.comment(`streaming: ${cases} cases (${STREAM_FAULTS.length} faults × 16 client/backend pairs, less pending), slowest ${Math.round(slowest)} ms (bound: timeout ${TIMEOUT_MS} ms + 1 s, + ${UNDICI_SLACK_MS} ms for undici's timer ticks on stall/silent, + ${HUGE_TRANSFER_MS} ms transfer for huge); by fault ${JSON.stringify(slowestBy)}`)
})
