// Scenario e: STREAMS (512) slow streams open at once through one target. The mock writes one
// event every CHUNK_DELAY_MS (20) ms; this runner opens every stream at the same moment from one
// undici Pool sized for all of them, and records per stream the time from send to the first
// body byte (TTFB) and that it completed whole (200, every delta, the terminal event). Of the
// process under test: VmRSS just before the streams open (after start-up and warm-up), VmRSS
// sampled every 50 ms while they run (peak), and VmHWM at the end (which includes start-up). A warm-up of
// WARMUP (20) streams goes first and is not counted. The caller starts a fresh process per
// target, so no earlier scenario's heap counts. `openMs` > 0 spreads the opens evenly over that
// window instead (a ramp, not a burst: TTFB then measures the proxy under held streams rather
// than the queue of one simultaneous burst); `heldPeak` shows how many were open at once.
import { Pool } from 'undici'
import { DELTA, TERMINAL } from './fixtures.js'
import { PROXY_CPU } from './spawn.js'
import { listenOverflows, memory, proxyCpuWindow, sampleRss } from './proc.js'
import { percentile } from './stats.js'

/** Counts `needle` (a Buffer) across chunk boundaries, without decoding the stream. */
function counter (needle) {
  let carry = EMPTY
  let count = 0
  return {
    feed (chunk) {
      const b = carry.length === 0 ? chunk : Buffer.concat([carry, chunk])
      let last = -1
      for (let i = b.indexOf(needle); i !== -1; i = b.indexOf(needle, i + needle.length)) { count++; last = i }
      // Keep the bytes a needle cut by the boundary could start in (never a counted one).
      const keep = Math.max(0, b.length - (needle.length - 1), last === -1 ? 0 : last + needle.length)
      carry = keep === b.length ? EMPTY : Buffer.from(b.subarray(keep))
    },
    get count () { return count },
  }
}
const EMPTY = Buffer.alloc(0)
const held = { now: 0, peak: 0 }

/**
 * One stream through undici's raw dispatch API: chunks arrive as Buffers straight from the
 * parser, no Readable and no decoding, so this runner (which shares a CPU with the mock) spends
 * as little as it can per chunk and its own delay stays out of the TTFB it measures.
 */
function one (pool, path, spec, chunks, delayMs = 0) {
  return new Promise(resolve => {
    const r = { ttfb: NaN, ok: false, why: '' }
    const deltas = counter(Buffer.from(DELTA[spec.client]))
    const terminal = counter(Buffer.from(TERMINAL[spec.client]))
    let status = 0
    let t0 = 0
    const finish = why => {
      if (status !== 0) held.now--
      r.why = why
      r.ok = why === ''
      resolve(r)
    }
    const send = () => {
      t0 = performance.now()
      pool.dispatch({ method: 'POST', path, headers: spec.headers, body: spec.body }, {
        onRequestStart () {},
        onResponseStart (_controller, statusCode) {
          status = statusCode
          held.peak = Math.max(held.peak, ++held.now)
        },
        onResponseData (_controller, chunk) {
          if (Number.isNaN(r.ttfb)) r.ttfb = performance.now() - t0
          deltas.feed(chunk)
          terminal.feed(chunk)
        },
        onResponseEnd () {
          if (status !== 200) finish(`status ${status}`)
          else if (deltas.count !== chunks) finish(`${deltas.count} of ${chunks} deltas`)
          else if (terminal.count !== 1) finish('no terminal event')
          else finish('')
        },
        onResponseError (_controller, err) { finish(`${err.code ?? err.name}: ${err.message}`) },
      })
    }
    if (delayMs > 0) setTimeout(send, delayMs); else send()
  })
}

/**
 * target: { key, label, url, pid (undefined: direct) }; spec: slowRequests.* of scenarios.js.
 * Returns { ttfbP50, ttfbP99, ttfbMax, rssBeforeMB, rssPeakMB, hwmMB, completed, heldPeak, failures, overflows, seconds,
 * proxyCpuSeconds, otherOnProxyCpuPct }: the last two over the measured streams, as load.js reads
 * them (NaN for the mock, which is not on the proxy's CPU), so a slow round can be told from a
 * busy machine.
 */
export async function slowStreams (target, spec, { streams, chunks, warmup, openMs = 0 }) {
  const path = spec.paths[target.key]
  const pool = new Pool(target.url, { connections: streams, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000, connectTimeout: 30_000 })
  try {
    const warm = await Promise.all(Array.from({ length: warmup }, () => one(pool, path, spec, chunks)))
    const bad = warm.find(r => !r.ok)
    if (bad !== undefined) throw new Error(`${target.label}: warm-up stream failed: ${bad.why}`)
    const overflows0 = listenOverflows()
    const rssBefore = target.pid === undefined ? NaN : memory(target.pid).rss
    const rss = target.pid === undefined ? undefined : sampleRss(target.pid, 50)
    held.peak = 0
    const cpuWindow = proxyCpuWindow(target.pid, PROXY_CPU)
    const t0 = performance.now()
    const results = await Promise.all(Array.from({ length: streams }, (_, i) => one(pool, path, spec, chunks, openMs * i / streams)))
    const seconds = (performance.now() - t0) / 1000
    const cpu = cpuWindow.stop()
    const rssPeak = rss?.stop() ?? NaN
    const failures = {}
    for (const r of results) if (!r.ok) failures[r.why] = (failures[r.why] ?? 0) + 1
    const ttfb = results.map(r => r.ttfb)
    return {
      ttfbP50: percentile(ttfb, 50),
      ttfbP99: percentile(ttfb, 99),
      ttfbMax: percentile(ttfb, 100),
      rssBeforeMB: rssBefore / 1048576,
      rssPeakMB: rssPeak / 1048576,
      hwmMB: target.pid === undefined ? NaN : memory(target.pid).hwm / 1048576,
      completed: results.filter(r => r.ok).length,
      heldPeak: held.peak,
      failures,
      overflows: listenOverflows() - overflows0,
      seconds,
      proxyCpuSeconds: cpu.cpuSeconds,
      otherOnProxyCpuPct: target.pid === undefined ? NaN : cpu.otherPct,
    }
  } finally {
    await pool.destroy()
  }
}
