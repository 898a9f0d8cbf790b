// Issue 10, "Faults" — nothing leaks. A few hundred faulted requests (every client × backend
// dialect, streaming and whole: drops, resets, invalid JSON, error events, garbage, error statuses,
// closes before headers, stalls cut by a 300 ms backend timeout) after one warm-up round, then:
// - timers: every Timeout created during the measured rounds (async_hooks sees unref'd ones too,
//   which process.getActiveResourcesInfo() does not — the converted stream's keep-alive interval is
//   one) is gone once the client pool, the app and the upstream are closed;
// - sockets and handles: process.getActiveResourcesInfo() is back to what it was before the app
//   started; every upstream response was closed and no upstream socket survives the app;
// - streams: switchyard_active_streams is 0 for every backend;
// - memory: heap growth after GC, over the measured rounds, stays under HEAP_BOUND_MB (RSS and heap
//   figures go to the TAP comments).
import { createHook } from 'node:async_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { Agent } from 'undici'
import {
  activeStreams, clientRequest, faultConfig, inBatches, metricsText, send, settle, startFaultUpstream, UNDICI_SLACK_MS, WIRES, type Fault,
} from '../helpers/fault-upstream.js'
import { startApp } from '../helpers/start-app.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const WARM_UP_ROUNDS = 2
const ROUNDS = 2
/** The stalls' 300 ms timeout + 1 s, plus undici's timer ticks (see UNDICI_SLACK_MS). */
const BOUND_MS = 300 + 1000 + UNDICI_SLACK_MS
const HEAP_BOUND_MB = 4

const STREAM_FAULTS: readonly Fault[] = ['drop', 'reset-after-headers', 'bad-json', 'error-event', 'garbage', 'status-500', 'close-early', 'stall']
const WHOLE_FAULTS: readonly Fault[] = ['drop', 'bad-json', 'status-429', 'close-early', 'stall']

/** One round: every fault for every client × backend pair (the pending passthrough reset left out). */
function round (): Array<{ readonly path: string, readonly body: unknown }> {
  const calls: Array<{ path: string, body: unknown }> = []
  for (const client of WIRES) {
    for (const backend of WIRES) {
      for (const fault of STREAM_FAULTS) if (!(fault === 'reset-after-headers' && client === backend)) calls.push(clientRequest(client, backend, fault, true))
      for (const fault of WHOLE_FAULTS) calls.push(clientRequest(client, backend, fault, false))
    }
  }
  return calls
}

function countTypes (names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const n of names) out[n] = (out[n] ?? 0) + 1
  return out
}

function heapMb (): { heap: number, rss: number } {
  gc(); gc()
  const m = process.memoryUsage()
  return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 }
}

t.test('a few hundred faulted requests leave no timer, socket, stream or memory behind', async t => {
  const resourcesBefore = countTypes(process.getActiveResourcesInfo())
  const upstream = await startFaultUpstream(t)
  const app = await startApp(t, faultConfig(upstream.url, { timeoutMs: 300 }))
  const agent = new Agent()
  t.teardown(() => agent.destroyed ? undefined : agent.close())
  // The upstream's record of requests is the test's own memory, not the gateway's: counted, then cleared.
  let upstreamCalls = 0
  /** One round; its slowest request, ms. */
  const run = async (): Promise<number> => {
    const calls = round()
    const replies = await inBatches(16, calls.map(c => () => send(app.url, c.path, c.body, agent)))
    upstreamCalls += upstream.requests.length
    upstream.requests.length = 0
    return Math.max(...replies.map(r => r.ms))
  }

  for (let i = 0; i < WARM_UP_ROUNDS; i++) await run()
  await settle(2000, async () => Object.values(activeStreams(await metricsText(app))).every(v => v === 0))
  const start = heapMb()

  // Timeouts created from here on by the gateway (or undici), until they are cleared or fire;
  // the test's own waits are not counted.
  const live = new Map<number, string>()
  const hook = createHook({
    init (id, type) {
      if (type !== 'Timeout') return
      const stack = new Error().stack ?? ''
      if (!/\/test\/(hardening|helpers)\//.test(stack)) live.set(id, stack)
    },
    destroy (id) { live.delete(id) },
  }).enable()
  t.teardown(() => hook.disable())

  let requests = 0
  let slowest = 0
  for (let i = 0; i < ROUNDS; i++) {
    requests += round().length
    slowest = Math.max(slowest, await run())
  }
  t.ok(await settle(2000, async () => Object.values(activeStreams(await metricsText(app))).every(v => v === 0)), 'switchyard_active_streams back to 0')
  const closed = Promise.all(Array.from({ length: upstreamCalls }, (_, i) => upstream.closed(i)))
  const giveUp = new AbortController()
  t.ok(await Promise.race([closed.then(() => true), sleep(2000, false, { signal: giveUp.signal }).catch(() => false)]), `all ${upstreamCalls} upstream responses closed`)
  giveUp.abort()
  const end = heapMb()
  t.ok(slowest <= BOUND_MS, `every request settled within ${BOUND_MS} ms (slowest ${Math.round(slowest)} ms)`)

  await agent.close()
  await app.app.close()
  t.ok(await settle(1000, () => upstream.sockets.size === 0), 'no upstream socket outlives the app')
  await upstream.close()
  // Destroy hooks run after the handles close; give them a turn.
  await settle(1000, () => live.size === 0)
  hook.disable()
  t.same([...live.values()].map(s => s.split('\n').slice(5, 14).map(l => l.trim()).join(' | ')), [], 'every timer created during the run was cleared')

  await sleep(50)
  const resourcesAfter = countTypes(process.getActiveResourcesInfo())
  const grown = Object.entries(resourcesAfter).filter(([type, n]) => n > (resourcesBefore[type] ?? 0))
  t.same(grown, [], `active resources back to the start: ${JSON.stringify(resourcesAfter)}`)

  const growth = end.heap - start.heap
  t.ok(growth < HEAP_BOUND_MB, `heap growth ${growth.toFixed(2)} MiB over ${requests} faulted requests (bound ${HEAP_BOUND_MB} MiB)`)
  t.comment(`leaks: ${requests} measured faulted requests (${ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up); heap ${start.heap.toFixed(1)} → ${end.heap.toFixed(1)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(2)}), rss ${start.rss.toFixed(0)} → ${end.rss.toFixed(0)} MiB (${(end.rss - start.rss).toFixed(0)})`)
})
