// Load run (issue 10, "Load and long runs"): STREAMS (default 5000) concurrent slow streams held
// by one Switchyard instance. Half are converted (Anthropic Messages client -> Chat Completions
// backend, POST /chat/v1/messages), half pass through (Chat client -> Chat backend). The upstream
// (bench/slow-upstream.js) writes one event every CHUNK_DELAY_MS (20) ms, BENCH_CHUNKS (50)
// deltas a stream, and pauses every stream after its first event until all STREAMS are open,
// so all of them are provably held at once (HOLD=0: no pause). Three processes: this load
// generator (a raw undici Pool sized for every stream, at most OPEN_CONCURRENCY=256 being
// opened at a time), the proxy (bench/switchyard-child.js) and the upstream: no shared loop.
//
// Measures, per stream: time to the response headers and to the first body byte (TTFB, from the
// moment the request is sent), and that it completed whole (status 200, every delta, the
// terminal event; passthrough bytes counted exactly). Of the proxy: peak RSS (VmRSS sampled every
// 100 ms from /proc, and VmHWM), heapUsed after a GC before and after, CPU time over the run,
// event-loop delay, switchyard_active_streams (peak, 1 s samples; 0 at the end) and the
// upstream's responses left open (0). WARMUP (50) streams go first and are not counted.
// Bounded: HARD_TIMEOUT_S (default 240) kills every process and fails the run. Exit 0 only
// when every stream completed whole and nothing was left open.
// Run: `npm run build && STREAMS=5000 node bench/slow-streams.js` (see test/soak/README.md).
import { fork, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { Pool } from 'undici'

const STREAMS = Number(process.env.STREAMS ?? 5000)
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 50)
const DELAY = Number(process.env.CHUNK_DELAY_MS ?? 20)
const HARD_TIMEOUT_S = Number(process.env.HARD_TIMEOUT_S ?? 240)
/** 0 turns load shedding off; unset keeps Switchyard's default (1000 ms). */
const SHED_MS = process.env.SHED_MS === undefined ? undefined : Number(process.env.SHED_MS)

const started = Date.now()
const children = []
function killAll () { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL') }
const hardTimer = setTimeout(() => {
  console.error(`FAIL: hard timeout of ${HARD_TIMEOUT_S} s reached; ${done} of ${STREAMS} streams completed`)
  killAll()
  process.exit(1)
}, HARD_TIMEOUT_S * 1000)
process.on('exit', killAll)

const fdLimit = (() => { try { return Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim()) } catch { return NaN } })()
// The proxy holds two sockets a stream (client side, upstream side); this process and the
// upstream one each. Headroom for pools, pipes and files.
if (fdLimit < STREAMS * 2 + 512) {
  console.error(`FAIL: ulimit -n is ${fdLimit}; ${STREAMS} streams need ${STREAMS * 2 + 512} in the proxy. Raise it (ulimit -n ${STREAMS * 2 + 1024}).`)
  process.exit(1)
}

const env = { ...process.env, BENCH_CHUNKS: String(CHUNKS), CHUNK_DELAY_MS: String(DELAY) }
const upstreamProc = fork(new URL('./slow-upstream.js', import.meta.url), { env })
children.push(upstreamProc)
const [{ port }] = await once(upstreamProc, 'message')
const upstream = `http://127.0.0.1:${port}`

const config = {
  logging: { level: process.env.BENCH_LOG_LEVEL ?? 'warn' },
  ...(SHED_MS === undefined ? {} : { server: { maxEventLoopDelayMs: SHED_MS } }),
  backends: [{ name: 'chat', protocol: 'openai-chat', url: upstream + '/v1', match: { pathPrefix: '/chat', default: true } }],
}
const proxy = fork(new URL('./switchyard-child.js', import.meta.url), { env: { ...env, SWY_CONFIG: JSON.stringify(config) }, execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
children.push(proxy)
let logLines = 0
const lastLogs = []
for (const s of [proxy.stdout, proxy.stderr]) {
  s.setEncoding('utf8')
  s.on('data', d => {
    for (const line of d.split('\n')) {
      if (line === '') continue
      logLines++
      if (lastLogs.length < 5) lastLogs.push(line.slice(0, 300))
    }
  })
}
const [{ url }] = await once(proxy, 'message')

/** Stats calls go one at a time: replies carry no id. */
let statsQueue = Promise.resolve()
function stats (proc, gc = false) {
  const next = statsQueue.then(async () => {
    proc.send({ stats: true, gc })
    const [m] = await once(proc, 'message')
    return m.stats
  })
  statsQueue = next.catch(() => {})
  return next
}
function procStatus (pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = key => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN)
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 }
}

/** Open sockets of a process, from its fd table (idle keep-alive sockets included). */
function socketFds (pid) {
  let n = 0
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try { if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++ } catch {}
  }
  return n
}

/** Machine-wide TcpExt ListenOverflows (accept queue full): other work on the host adds to it. */
function listenOverflows () {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter(l => l.startsWith('TcpExt:'))
    const names = lines[0].split(' ')
    const values = lines[1].split(' ')
    return Number(values[names.indexOf('ListenOverflows')])
  } catch { return NaN }
}

const messages = [{ role: 'user', content: 'hello' }]
const chatBody = JSON.stringify({ model: 'slow', messages, stream: true })
const anthropicBody = JSON.stringify({ model: 'slow', max_tokens: 256, messages, stream: true })
// Exact bytes of a passthrough stream: what the upstream sends is what the client must get.
const passthroughBytes = (() => {
  const chunk = delta => `data: {"id":"chatcmpl-slow","object":"chat.completion.chunk","created":1,"model":"slow","choices":[{"index":0,"delta":${delta},"finish_reason":null}]}\n\n`
  let n = Buffer.byteLength(chunk('{"role":"assistant","content":""}'))
  for (let i = 0; i < CHUNKS; i++) n += Buffer.byteLength(chunk(`{"content":"token${i} "}`))
  n += Buffer.byteLength('data: {"id":"chatcmpl-slow","object":"chat.completion.chunk","created":1,"model":"slow","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n')
  n += Buffer.byteLength(`data: {"id":"chatcmpl-slow","object":"chat.completion.chunk","created":1,"model":"slow","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":${CHUNKS},"total_tokens":${CHUNKS + 10}}}\n\n`)
  return n + Buffer.byteLength('data: [DONE]\n\n')
})()

/** Counts `needle` across chunk boundaries. */
function counter (needle) {
  let carry = ''
  let count = 0
  return {
    feed (text) {
      const s = carry + text
      for (let i = s.indexOf(needle); i !== -1; i = s.indexOf(needle, i + needle.length)) count++
      carry = s.slice(-(needle.length - 1))
    },
    get count () { return count },
  }
}

const newClient = () => new Pool(url, { connections: STREAMS, pipelining: 1, headersTimeout: 0, bodyTimeout: 0, connectTimeout: 60_000 })
let client = newClient()
const results = []
let open = 0
let peakOpen = 0
let done = 0

// Streams being opened (sent, headers not back yet) are capped at OPEN_CONCURRENCY (default 256,
// under Node's default listen backlog of 511): a connect storm of thousands of SYNs at once
// overflows the accept queue and measures the kernel's SYN retransmit timers, not the proxy
// (OPEN_CONCURRENCY=$STREAMS shows that). An ingress in front of a fleet paces new connections
// the same way. Each stream's times start when it is sent, not when it was queued here.
const OPEN_CONCURRENCY = Number(process.env.OPEN_CONCURRENCY ?? 256)
const WARMUP = Number(process.env.WARMUP ?? 50)
let opening = 0
const openQueue = []
const acquire = () => opening < OPEN_CONCURRENCY ? (opening++, Promise.resolve()) : new Promise(resolve => openQueue.push(resolve))
const release = () => {
  const next = openQueue.shift()
  if (next !== undefined) next(); else opening--
  // Every stream has its headers or has failed: none is still coming for the upstream to wait for.
  if (++settled % STREAMS === 0) upstreamProc.send({ release: true })
}
let settled = 0

async function one (i) {
  const converted = i % 2 === 0
  const r = { converted, ttfh: NaN, ttfb: NaN, total: NaN, ok: false, why: '' }
  await acquire()
  const t0 = performance.now()
  let released = false
  try {
    const res = await client.request({
      method: 'POST',
      path: converted ? '/chat/v1/messages' : '/chat/v1/chat/completions',
      headers: { 'content-type': 'application/json', ...(converted ? { 'anthropic-version': '2023-06-01' } : {}) },
      body: converted ? anthropicBody : chatBody,
    })
    r.ttfh = performance.now() - t0
    r.openedAt = performance.now()
    released = true
    release()
    open++
    if (open > peakOpen) peakOpen = open
    const deltas = counter(converted ? '"text_delta"' : '"content":"token')
    const terminal = counter(converted ? 'event: message_stop' : 'data: [DONE]')
    let bytes = 0
    try {
      for await (const chunk of res.body) {
        if (bytes === 0) r.ttfb = performance.now() - t0
        bytes += chunk.length
        const text = chunk.toString('latin1')
        deltas.feed(text)
        terminal.feed(text)
      }
    } finally { open-- }
    r.total = performance.now() - t0
    if (res.statusCode !== 200) r.why = `status ${res.statusCode}`
    else if (deltas.count !== CHUNKS) r.why = `${deltas.count} of ${CHUNKS} deltas`
    else if (terminal.count !== 1) r.why = 'no terminal event'
    else if (!converted && bytes !== passthroughBytes) r.why = `${bytes} of ${passthroughBytes} bytes`
    else r.ok = true
  } catch (err) {
    r.why = `${err.code ?? err.name}: ${err.message}`
  }
  if (!released) release()
  done++
  results.push(r)
}

// Warm-up (WARMUP streams, default 50, not counted): JIT and the first pool connections.
await Promise.all(Array.from({ length: WARMUP }, (_, i) => one(i)))
settled = 0
const warm = results.splice(0)
if (warm.some(r => !r.ok)) console.log(`warm-up: ${warm.filter(r => !r.ok).length} of ${WARMUP} failed`)
done = 0
peakOpen = 0

// From here the upstream pauses every stream after its first event until all STREAMS are open,
// so the figures below are for STREAMS streams held at once (HOLD_MAX_MS, default 120000, caps
// the wait; HOLD=0 turns it off and streams simply overlap as they may).
if (process.env.HOLD !== '0') {
  upstreamProc.send({ hold: STREAMS, maxMs: Number(process.env.HOLD_MAX_MS ?? 120_000) })
  await once(upstreamProc, 'message')
}
const overflowsBefore = listenOverflows()

// Sampling: proxy RSS every 100 ms from /proc (no IPC on the hot path), active streams every 1 s.
const baseline = { ...procStatus(proxy.pid), ...(await stats(proxy, true)) }
let peakRss = baseline.rss
let peakActive = 0
let loopMax = 0
const rssTimer = setInterval(() => {
  try { peakRss = Math.max(peakRss, procStatus(proxy.pid).rss) } catch {}
}, 100)
const activeTimer = setInterval(() => {
  stats(proxy).then(s => {
    peakActive = Math.max(peakActive, s.activeStreams)
    loopMax = Math.max(loopMax, s.loop.max)
  }, () => {})
}, 1000)

console.log(`${STREAMS} streams (${STREAMS / 2} converted, ${STREAMS / 2} passthrough), ${CHUNKS} deltas ${DELAY} ms apart, at most ${OPEN_CONCURRENCY} opening at once; ulimit -n ${fdLimit}`)
const tStart = performance.now()
await Promise.all(Array.from({ length: STREAMS }, (_, i) => one(i)))
const wall = performance.now() - tStart
const openPhase = Math.max(...results.map(r => r.openedAt ?? tStart)) - tStart
clearInterval(rssTimer)
clearInterval(activeTimer)

// After the run: the proxy must have closed every stream; the upstream every response.
await client.close()
let end
for (let i = 0; i < 50; i++) {
  end = await stats(proxy)
  if (end.activeStreams === 0) break
  await new Promise(resolve => setTimeout(resolve, 100))
}
const endStatus = procStatus(proxy.pid)
const afterGc = await stats(proxy, true)
const socketsPoolOpen = socketFds(proxy.pid)
// The proxy's upstream pool keeps its STREAMS connections alive (the upstream's keep-alive is
// 60 s): close them from the upstream's side, then measure again, to tell them from a leak.
upstreamProc.send({ closeIdle: true })
await once(upstreamProc, 'message')
await new Promise(resolve => setTimeout(resolve, 1000))
const afterPool = await stats(proxy, true)
const socketsPoolClosed = socketFds(proxy.pid)
upstreamProc.send({ stats: true })
const [{ stats: up }] = await once(upstreamProc, 'message')

// ROUNDS (default 1) > 1: the same load again, to show whether what the heap keeps after a
// round plateaus (state bounded by peak concurrency) or climbs round after round (a leak).
const ROUNDS = Number(process.env.ROUNDS ?? 1)
const roundHeaps = [afterPool.memory.heapUsed]
let extraFailed = 0
for (let round = 2; round <= ROUNDS; round++) {
  client = newClient()
  if (process.env.HOLD !== '0') {
    upstreamProc.send({ hold: STREAMS, maxMs: Number(process.env.HOLD_MAX_MS ?? 120_000) })
    await once(upstreamProc, 'message')
  }
  const before = results.length
  await Promise.all(Array.from({ length: STREAMS }, (_, i) => one(i)))
  extraFailed += results.splice(before).filter(r => !r.ok).length
  await client.close()
  upstreamProc.send({ closeIdle: true })
  await once(upstreamProc, 'message')
  await new Promise(resolve => setTimeout(resolve, 1000))
  roundHeaps.push((await stats(proxy, true)).memory.heapUsed)
}
if (ROUNDS > 1) console.log(`heapUsed after GC after each round (MB): ${roundHeaps.map(h => (h / 1048576).toFixed(1)).join(' -> ')}; streams failed in rounds 2..${ROUNDS}: ${extraFailed}`)

const pct = (values, p) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (v.length === 0) return NaN
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)]
}
const mb = n => (n / 1048576).toFixed(1)
const ms = n => Number.isFinite(n) ? n.toFixed(0) : '-'
const rows = {}
for (const [name, subset] of [['converted', results.filter(r => r.converted)], ['passthrough', results.filter(r => !r.converted)], ['all', results]]) {
  const ttfb = subset.map(r => r.ttfb)
  rows[name] = {
    streams: subset.length,
    completed: subset.filter(r => r.ok).length,
    'ttfh p50 ms': ms(pct(subset.map(r => r.ttfh), 50)),
    'ttfb p50 ms': ms(pct(ttfb, 50)),
    'ttfb p99 ms': ms(pct(ttfb, 99)),
    'ttfb max ms': ms(pct(ttfb, 100)),
    'duration p50 ms': ms(pct(subset.map(r => r.total), 50)),
    'duration max ms': ms(pct(subset.map(r => r.total), 100)),
  }
}
console.table(rows)
const cpuMs = (end.cpu.user + end.cpu.system - baseline.cpu.user - baseline.cpu.system) / 1000
const proxyRows = {
  'streams held at once (client view)': peakOpen,
  'switchyard_active_streams peak (1 s samples)': peakActive,
  'switchyard_active_streams at end': end.activeStreams,
  'RSS before (MB)': mb(baseline.rss),
  'VmHWM before (MB, startup)': mb(baseline.hwm),
  'RSS peak, sampled 100 ms (MB)': mb(peakRss),
  'VmHWM peak (MB)': mb(endStatus.hwm),
  'RSS after (MB)': mb(endStatus.rss),
  'heapUsed after GC, before -> after (MB)': `${mb(baseline.memory.heapUsed)} -> ${mb(afterGc.memory.heapUsed)}`,
  'heapUsed after GC, upstream pool closed (MB)': mb(afterPool.memory.heapUsed),
  'proxy sockets after, pool open -> closed': `${socketsPoolOpen} -> ${socketsPoolClosed}`,
  'RSS per held stream (KB)': ((peakRss - baseline.rss) / 1024 / Math.max(1, peakOpen)).toFixed(1),
  'CPU time (s)': (cpuMs / 1000).toFixed(1),
  'CPU per stream (ms)': (cpuMs / STREAMS).toFixed(2),
  'event-loop delay max (ms)': loopMax,
  'open phase: all streams opened (s)': (openPhase / 1000).toFixed(1),
  'open rate (streams/s)': Math.round(STREAMS / (openPhase / 1000)),
  'stream phase: release to last end (s)': ((wall - openPhase) / 1000).toFixed(1),
  'wall time (s)': (wall / 1000).toFixed(1),
  'upstream responses still open': up.open,
  'streams the upstream held at once': up.held ?? '-',
  'accept-queue overflows (host-wide)': listenOverflows() - overflowsBefore,
  'proxy log lines (warn+)': logLines,
}
console.table(proxyRows)
const failures = results.filter(r => !r.ok)
const reasons = {}
for (const r of failures) reasons[r.why] = (reasons[r.why] ?? 0) + 1
if (failures.length > 0) console.log('failures by reason:', reasons)
if (lastLogs.length > 0) console.log('first proxy log lines:\n' + lastLogs.join('\n'))

const ok = failures.length === 0 && results.length === STREAMS && end.activeStreams === 0 && up.open === 0 && extraFailed === 0
console.log(ok
  ? `PASS: ${STREAMS} of ${STREAMS} streams completed whole; ${peakOpen} held at once; p99 TTFB ${ms(pct(results.map(r => r.ttfb), 99))} ms; peak RSS ${mb(peakRss)} MB (VmHWM ${mb(endStatus.hwm)}) (${((Date.now() - started) / 1000).toFixed(0)} s)`
  : `FAIL: ${failures.length} of ${STREAMS} streams failed; active streams at end ${end.activeStreams}; upstream responses open ${up.open}`)
clearTimeout(hardTimer)
proxy.disconnect()
upstreamProc.disconnect()
process.exitCode = ok ? 0 : 1
