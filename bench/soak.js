// Soak run (issue 10, "Load and long runs"): SOAK_MINUTES (default 10) of mixed traffic against
// one Switchyard instance, looking for what only time shows: memory that grows, streams or
// sockets that are never released, requests that hang. Three processes: this load generator
// (SOAK_CONCURRENCY workers, default 64, each sending one request after another over a raw
// undici Pool), the proxy (bench/switchyard-child.js, run with --expose-gc) and the slow,
// fault-injecting upstream (bench/slow-upstream.js: BENCH_CHUNKS 20 deltas, 20 ms apart).
//
// Traffic: passthrough and converted (Chat, Anthropic, Responses and Gemini clients over Chat
// and Anthropic backends), streaming and whole, with client keys, a rate limit, a retrying
// backend with a fallback, and stored Responses (`previous_response_id` chains of up to 5).
// ~5% of streams are aborted by the client mid-stream; ~5% of requests hit an upstream fault
// (500, 429, a dropped connection mid-stream, a stall after the first events, no answer at all,
// an event that is not JSON). Backends have timeoutMs 2000, so stalls end in ~2 s.
//
// Measured: every request's outcome (a normal request must come back whole; none may pass the
// client's deadline of REQUEST_DEADLINE_MS, default 15000, which would be a hung request); the
// proxy's RSS and heapUsed (after a forced GC) at start, every minute and at the end; its
// active handles; switchyard_active_streams and the upstream's open responses after the traffic
// stops (both must be 0); that no configured key appears in any line the proxy printed.
// Exit 1 if: a normal request failed, a request hung, heapUsed grew more than
// SOAK_HEAP_BOUND_MB (default 20) from the end of warm-up (SOAK_WARMUP_MINUTES, default 1) to
// the end, streams or upstream responses were left open, a key leaked, or the proxy died.
// Bounded: the run is killed at SOAK_MINUTES + 3 minutes. See test/soak/README.md.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { Pool } from 'undici'

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10)
const WARMUP_MINUTES = Number(process.env.SOAK_WARMUP_MINUTES ?? 1)
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 64)
const HEAP_BOUND_MB = Number(process.env.SOAK_HEAP_BOUND_MB ?? 20)
const DEADLINE_MS = Number(process.env.REQUEST_DEADLINE_MS ?? 15_000)
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 20)
const DELAY = Number(process.env.CHUNK_DELAY_MS ?? 20)
const ABORT_SHARE = 0.05
const FAULT_SHARE = 0.05
const SAMPLE_MS = Math.min(60_000, (MINUTES * 60_000) / 2)

const children = []
function killAll () { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL') }
process.on('exit', killAll)
const hardTimer = setTimeout(() => {
  console.error(`FAIL: hard timeout (${MINUTES + 3} min) reached`)
  killAll()
  process.exit(1)
}, (MINUTES + 3) * 60_000)

const env = { ...process.env, BENCH_CHUNKS: String(CHUNKS), CHUNK_DELAY_MS: String(DELAY) }
const upstreamProc = fork(new URL('./slow-upstream.js', import.meta.url), { env })
children.push(upstreamProc)
const [{ port }] = await once(upstreamProc, 'message')
const upstream = `http://127.0.0.1:${port}/v1`

const KEYS = [
  { name: 'team-a', key: 'sk-soak-client-aaaaaaaaaaaaaaaa' },
  { name: 'team-b', key: 'sk-soak-client-bbbbbbbbbbbbbbbb' },
]
const BACKEND_KEY = 'sk-soak-backend-cccccccccccccccc'
const config = {
  server: { requestTimeoutMs: 30_000 },
  logging: { level: 'warn' },
  auth: { keys: KEYS },
  rateLimit: { max: 1_000_000, timeWindow: '1 minute' },
  responses: { maxEntries: 500 },
  backends: [
    { name: 'anth', protocol: 'anthropic', url: upstream, apiKey: BACKEND_KEY, timeoutMs: 2000, match: { pathPrefix: '/anth' } },
    { name: 'flaky', protocol: 'openai-chat', url: upstream, apiKey: BACKEND_KEY, timeoutMs: 2000, retries: 1, fallback: ['anth'], match: { pathPrefix: '/flaky' } },
    { name: 'chat', protocol: 'openai-chat', url: upstream, apiKey: BACKEND_KEY, timeoutMs: 2000, match: { pathPrefix: '/chat', default: true } },
  ],
}
const proxy = fork(new URL('./switchyard-child.js', import.meta.url), {
  env: { ...env, SWY_CONFIG: JSON.stringify(config) },
  execArgv: ['--expose-gc'],
  stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
})
children.push(proxy)
const logLevels = {}
const logSamples = []
let keyLeaks = 0
const secrets = [BACKEND_KEY, ...KEYS.map(k => k.key)]
for (const s of [proxy.stdout, proxy.stderr]) {
  s.setEncoding('utf8')
  let carry = ''
  s.on('data', d => {
    const lines = (carry + d).split('\n')
    carry = lines.pop()
    for (const line of lines) {
      if (line === '') continue
      if (secrets.some(k => line.includes(k))) keyLeaks++
      let level = 'non-json'
      let msg = line
      try { const j = JSON.parse(line); level = String(j.level); msg = j.msg ?? '' } catch {}
      logLevels[level] = (logLevels[level] ?? 0) + 1
      const key = `${level} ${String(msg).slice(0, 100)}`
      if (!logSamples.includes(key) && logSamples.length < 12) logSamples.push(key)
    }
  })
}
const [{ url }] = await once(proxy, 'message')

let statsQueue = Promise.resolve()
function stats (gc = false) {
  const next = statsQueue.then(async () => {
    proxy.send({ stats: true, gc })
    const [m] = await once(proxy, 'message')
    return m.stats
  })
  statsQueue = next.catch(() => {})
  return next
}
async function upstreamStats () {
  upstreamProc.send({ stats: true })
  const [m] = await once(upstreamProc, 'message')
  return m.stats
}
const vmRss = () => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${proxy.pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024

// --- The traffic ---------------------------------------------------------------------------
const LAST = `token${CHUNKS - 1}`
const messages = [{ role: 'user', content: 'hello' }]
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }
const auth = (dialect, key) => dialect === 'anthropic'
  ? { 'x-api-key': key, 'anthropic-version': '2023-06-01' }
  : dialect === 'gemini' ? { 'x-goog-api-key': key } : { authorization: `Bearer ${key}` }

/** Scenarios: how to ask, and what a whole answer ends with. `model` is filled in per request. */
const SCENARIOS = [
  { name: 'chat passthrough stream', dialect: 'chat', stream: true, path: () => '/chat/v1/chat/completions', body: m => ({ model: m, messages, stream: true }), done: 'data: [DONE]' },
  { name: 'chat passthrough whole', dialect: 'chat', stream: false, path: () => '/chat/v1/chat/completions', body: m => ({ model: m, messages }), done: '"finish_reason":"stop"' },
  { name: 'anthropic passthrough stream', dialect: 'anthropic', stream: true, path: () => '/anth/v1/messages', body: m => ({ model: m, max_tokens: 64, messages, stream: true }), done: 'event: message_stop' },
  { name: 'anthropic -> chat stream', dialect: 'anthropic', stream: true, path: () => '/chat/v1/messages', body: m => ({ model: m, max_tokens: 64, messages, stream: true }), done: 'event: message_stop' },
  { name: 'anthropic -> chat whole', dialect: 'anthropic', stream: false, path: () => '/chat/v1/messages', body: m => ({ model: m, max_tokens: 64, messages }), done: '"stop_reason":"end_turn"' },
  { name: 'chat -> anthropic stream', dialect: 'chat', stream: true, path: () => '/anth/v1/chat/completions', body: m => ({ model: m, messages, stream: true }), done: 'data: [DONE]' },
  { name: 'chat -> anthropic whole', dialect: 'chat', stream: false, path: () => '/anth/v1/chat/completions', body: m => ({ model: m, messages }), done: '"finish_reason":"stop"' },
  { name: 'responses -> chat stream (stored)', dialect: 'responses', stream: true, path: () => '/chat/v1/responses', body: m => ({ model: m, input: 'hello', stream: true }), done: 'event: response.completed', chain: true },
  { name: 'responses -> anthropic whole (store:false)', dialect: 'responses', stream: false, path: () => '/anth/v1/responses', body: m => ({ model: m, input: 'hello', store: false }), done: '"status":"completed"' },
  { name: 'gemini -> anthropic stream', dialect: 'gemini', stream: true, path: m => `/anth/v1beta/models/${m}:streamGenerateContent?alt=sse`, body: () => geminiBody, done: '"finishReason"' },
  { name: 'gemini -> chat whole', dialect: 'gemini', stream: false, path: m => `/chat/v1beta/models/${m}:generateContent`, body: () => geminiBody, done: '"finishReason"' },
  { name: 'chat via retrying backend stream', dialect: 'chat', stream: true, path: () => '/flaky/v1/chat/completions', body: m => ({ model: m, messages, stream: true }), done: 'data: [DONE]' },
]
const STREAM_FAULTS = ['fault-drop', 'fault-stall', 'fault-garbage']
const ANY_FAULTS = ['fault-500', 'fault-429', 'fault-hang']

/** Responses chains: continue the last stored reply up to 5 turns deep, then start afresh. */
/** Snapshots belong to the client key that made them: a chain keeps its key. */
let chain = { id: undefined, depth: 0, key: '' }

const client = new Pool(url, { connections: CONCURRENCY, headersTimeout: 0, bodyTimeout: 0 })
const tally = new Map() // `${kind}|${scenario}|${outcome}` -> count
const durations = new Map() // kind -> [ms]
const failures = []
let sent = 0
let hung = 0
let faultsInjected = 0
let abortsSent = 0
const bump = (k, by = 1) => tally.set(k, (tally.get(k) ?? 0) + by)
const pick = list => list[Math.floor(Math.random() * list.length)]

async function one () {
  const scenario = pick(SCENARIOS)
  const roll = Math.random()
  let kind = 'normal'
  let model = 'slow'
  if (roll < FAULT_SHARE) {
    model = pick(scenario.stream ? [...STREAM_FAULTS, ...ANY_FAULTS] : ANY_FAULTS)
    kind = model
    faultsInjected++
  } else if (roll < FAULT_SHARE + ABORT_SHARE * 2 && scenario.stream) {
    // Streams are about half the mix: twice the share of them gives ~5% of all requests.
    kind = 'client-abort'
    abortsSent++
  }
  const body = scenario.body(model)
  const chained = scenario.chain === true && kind === 'normal' && chain.id !== undefined && chain.depth < 5
  if (chained) body.previous_response_id = chain.id
  const key = chained ? chain.key : pick(KEYS).key
  const abort = new AbortController()
  const deadline = setTimeout(() => abort.abort(new Error('deadline')), DEADLINE_MS)
  const t0 = performance.now()
  let outcome
  let text = ''
  let status = 0
  sent++
  try {
    const res = await client.request({
      method: 'POST',
      path: scenario.path(model),
      headers: { 'content-type': 'application/json', ...auth(scenario.dialect, key) },
      body: JSON.stringify(body),
      signal: abort.signal,
    })
    status = res.statusCode
    let cutAfter
    for await (const chunk of res.body) {
      text += chunk.toString('utf8')
      if (kind === 'client-abort' && cutAfter === undefined) {
        cutAfter = setTimeout(() => abort.abort(new Error('client abort')), Math.random() * 150)
      }
    }
    clearTimeout(cutAfter)
    if (status >= 400) outcome = `http ${status}`
    else if (text.includes(scenario.done) && text.includes(LAST)) outcome = 'whole'
    else if (/error|response\.failed/.test(text)) outcome = 'error event'
    else outcome = 'ended short'
  } catch (err) {
    const reason = abort.signal.reason?.message
    if (reason === 'deadline') { outcome = 'HUNG'; hung++ } else if (reason === 'client abort') outcome = 'aborted by client'
    else outcome = `cut (${err.code ?? err.name})`
  } finally {
    clearTimeout(deadline)
  }
  const ms = performance.now() - t0
  if (!durations.has(kind)) durations.set(kind, [])
  durations.get(kind).push(ms)
  bump(`${kind}|${scenario.name}|${outcome}`)
  if (kind === 'normal' && outcome !== 'whole' && failures.length < 20) failures.push({ scenario: scenario.name, status, outcome, text: text.slice(0, 300) })
  if (chained || (scenario.chain === true && kind === 'normal')) {
    const id = /"id":"(resp_[^"]+)"/.exec(text)?.[1]
    if (outcome === 'whole' && id !== undefined) chain = { id, key, depth: chained ? chain.depth + 1 : 1 }
    if (chain.depth >= 5) chain = { id: undefined, depth: 0, key: '' }
  }
}

let stopping = false
async function worker () {
  while (!stopping) await one()
}

// --- Sampling --------------------------------------------------------------------------------
const samples = []
const t0 = Date.now()
async function sample (label) {
  const s = await stats(true)
  const row = {
    at: label,
    requests: sent,
    'rss MB': +(s.memory.rss / 1048576).toFixed(1),
    'heapUsed MB': +(s.memory.heapUsed / 1048576).toFixed(1),
    'heapTotal MB': +(s.memory.heapTotal / 1048576).toFixed(1),
    'external MB': +(s.memory.external / 1048576).toFixed(1),
    'arrayBuffers MB': +(s.memory.arrayBuffers / 1048576).toFixed(1),
    sockets: s.resources.TCPSocketWrap ?? 0,
    timers: s.resources.Timeout ?? 0,
    'active streams': s.activeStreams,
    'loop p99 ms': s.loop.p99,
    'cpu s': +((s.cpu.user + s.cpu.system) / 1e6).toFixed(1),
  }
  samples.push(row)
  console.log(JSON.stringify(row))
  return s
}

const start = await sample('start')
if (!start.gcExposed) console.log('note: the proxy runs without --expose-gc; heap figures are not after a GC')
console.log(`soak: ${MINUTES} min, ${CONCURRENCY} workers, ${CHUNKS} deltas ${DELAY} ms apart, ~${FAULT_SHARE * 100}% faults, ~${ABORT_SHARE * 100}% client aborts`)
const workers = Array.from({ length: CONCURRENCY }, worker)
let minute = 0
const sampler = setInterval(() => { minute++; sample(`${((minute * SAMPLE_MS) / 60_000).toFixed(1)} min`) }, SAMPLE_MS)
await new Promise(resolve => setTimeout(resolve, MINUTES * 60_000))
stopping = true
clearInterval(sampler)
await Promise.all(workers)
await client.close()
const trafficSeconds = (Date.now() - t0) / 1000
// Let the proxy see every close, then the final sample (after GC).
let end
for (let i = 0; i < 50; i++) {
  end = await stats(false)
  const up = await upstreamStats()
  if (end.activeStreams === 0 && up.open === 0) break
  await new Promise(resolve => setTimeout(resolve, 100))
}
await new Promise(resolve => setTimeout(resolve, 1000))
end = await sample('end')
const up = await upstreamStats()
const endRss = vmRss()

// --- Report ----------------------------------------------------------------------------------
console.table(samples)
const rows = {}
for (const [k, n] of [...tally.entries()].sort()) {
  const [kind, , outcome] = k.split('|')
  const key = `${kind} -> ${outcome}`
  rows[key] = (rows[key] ?? 0) + n
}
console.log('outcomes (kind -> outcome: count):')
console.table(rows)
// Which scenarios a cut (the client's connection closed without a clean end) came from:
// passthrough cannot add an error event to a stream in the upstream's own bytes.
const cuts = {}
for (const [k, n] of tally) {
  const [kind, scenario, outcome] = k.split('|')
  if (kind !== 'normal' && (outcome.startsWith('cut') || outcome === 'ended short')) cuts[`${kind} | ${scenario} | ${outcome}`] = n
}
if (Object.keys(cuts).length > 0) { console.log('faults and aborts that ended without an error reply or event, by scenario:'); console.table(cuts) }
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] }
const latency = {}
for (const [kind, v] of durations) latency[kind] = { n: v.length, 'p50 ms': Math.round(pct(v, 50)), 'p99 ms': Math.round(pct(v, 99)), 'max ms': Math.round(pct(v, 100)) }
console.table(latency)
if (failures.length > 0) console.log('normal requests that did not come back whole (first 20):', failures)
console.log('proxy log lines by level:', logLevels, '\n  ' + logSamples.join('\n  '))

const warm = samples.find(s => s.at !== 'start' && parseFloat(s.at) >= WARMUP_MINUTES) ?? samples[0]
const heapGrowth = end.memory.heapUsed / 1048576 - warm['heapUsed MB']
const normalFailed = [...tally.entries()].filter(([k]) => k.startsWith('normal|') && !k.endsWith('|whole')).reduce((n, [, c]) => n + c, 0)
const summary = {
  'traffic (s)': trafficSeconds.toFixed(0),
  requests: sent,
  'req/s': (sent / trafficSeconds).toFixed(0),
  'faults injected (client side)': faultsInjected,
  'faults served (upstream, incl. retries/fallbacks)': Object.values(up.faults).reduce((a, b) => a + b, 0),
  'client aborts sent': abortsSent,
  'normal requests not whole': normalFailed,
  'hung requests': hung,
  'rss MB start -> warm -> end': `${samples[0]['rss MB']} -> ${warm['rss MB']} -> ${(endRss / 1048576).toFixed(1)}`,
  'heapUsed MB start -> warm -> end': `${samples[0]['heapUsed MB']} -> ${warm['heapUsed MB']} -> ${(end.memory.heapUsed / 1048576).toFixed(1)}`,
  'heap growth after warm-up MB': heapGrowth.toFixed(1),
  'switchyard_active_streams at end': end.activeStreams,
  'upstream responses open at end': up.open,
  'upstream responses closed early (by the proxy)': up.closedEarly,
  'proxy sockets at end': end.resources.TCPSocketWrap ?? 0,
  'key leaks in proxy output': keyLeaks,
}
console.table(summary)
console.log('upstream faults served:', up.faults)

const problems = []
if (normalFailed > 0) problems.push(`${normalFailed} normal requests did not come back whole`)
if (hung > 0) problems.push(`${hung} requests hung past ${DEADLINE_MS} ms`)
if (heapGrowth > HEAP_BOUND_MB) problems.push(`heapUsed grew ${heapGrowth.toFixed(1)} MB after warm-up (bound ${HEAP_BOUND_MB})`)
if (end.activeStreams !== 0) problems.push(`switchyard_active_streams is ${end.activeStreams} at the end`)
if (up.open !== 0) problems.push(`${up.open} upstream responses still open`)
if (keyLeaks > 0) problems.push(`${keyLeaks} proxy output lines contain a configured key`)
if (proxy.exitCode !== null) problems.push(`the proxy exited (${proxy.exitCode})`)
console.log(problems.length === 0 ? `PASS: ${sent} requests in ${trafficSeconds.toFixed(0)} s, ${faultsInjected} faults, ${abortsSent} client aborts, 0 hung; heap +${heapGrowth.toFixed(1)} MB after warm-up` : `FAIL: ${problems.join('; ')}`)
clearTimeout(hardTimer)
proxy.disconnect()
upstreamProc.disconnect()
process.exitCode = problems.length === 0 ? 0 : 1
