// Proxy overhead, as ratios measured in the same run (machines are shared and noisy; absolute
// numbers mean little): against the upstream directly, against a bare Fastify + undici proxy
// (bench/bare-proxy.js) that does the same second hop and nothing else, and — for translated
// streams — CPU time of the Switchyard process per streamed chunk against its own passthrough.
// Bounded: BENCH_SECONDS per measurement. Run with `npm run bench` (builds first).
import autocannon from 'autocannon'
import { fork } from 'node:child_process'
import { once } from 'node:events'

const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100)
const messages = [{ role: 'user', content: 'hello' }]
const chatBody = JSON.stringify({ model: 'bench', messages })
const chatStreamBody = JSON.stringify({ model: 'bench', messages, stream: true })
const anthropicStreamBody = JSON.stringify({ model: 'bench', max_tokens: 256, messages, stream: true })
const responsesStreamBody = JSON.stringify({ model: 'bench', input: 'hello', stream: true })

const upstreamProc = fork(new URL('./upstream.js', import.meta.url), { env: { ...process.env, BENCH_CHUNKS: String(CHUNKS) } })
const [{ port }] = await once(upstreamProc, 'message')
const upstream = `http://127.0.0.1:${port}`

async function start (file, env) {
  const proc = fork(new URL(file, import.meta.url), { env: { ...process.env, ...env } })
  const [{ url }] = await once(proc, 'message')
  return { proc, url }
}
const switchyard = await start('./proxy.js', { UPSTREAM: upstream })
const bare = await start('./bare-proxy.js', { UPSTREAM: upstream })

async function cpuOf (proc) {
  proc.send('cpu')
  const [{ cpu }] = await once(proc, 'message')
  return cpu.user + cpu.system
}

async function measure (url, body, proc) {
  const before = proc === undefined ? 0 : await cpuOf(proc)
  const result = await autocannon({
    url, method: 'POST', body, connections: CONNECTIONS, duration: DURATION,
    headers: { 'content-type': 'application/json' },
  })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  const cpu = proc === undefined ? 0 : (await cpuOf(proc)) - before
  return { rps: result.requests.average, p99: result.latency.p99, cpuPerRequest: cpu / result.requests.total }
}

const rows = []
const row = (name, proxied, base, direct, chunks) => rows.push({
  scenario: name,
  'switchyard req/s': Math.round(proxied.rps),
  'vs bare': base === undefined ? '' : (proxied.rps / base.rps).toFixed(2),
  'vs direct': direct === undefined ? '' : (proxied.rps / direct.rps).toFixed(2),
  'p99 ms': proxied.p99,
  'CPU us/req': Math.round(proxied.cpuPerRequest),
  'CPU us/chunk': chunks === 0 ? '' : (proxied.cpuPerRequest / chunks).toFixed(1),
})

for (const [name, path, body, chunks] of [
  ['passthrough non-stream', '/v1/chat/completions', chatBody, 0],
  [`passthrough stream (${CHUNKS} chunks)`, '/v1/chat/completions?stream', chatStreamBody, CHUNKS],
]) {
  const direct = await measure(upstream + path, body)
  const base = await measure(bare.url + path, body)
  row(name, await measure(switchyard.url + path, body, switchyard.proc), base, direct, chunks)
}
const passthroughChunk = rows[1]['CPU us/chunk']
for (const [name, path, body] of [
  [`anthropic client -> chat backend (${CHUNKS} chunks)`, '/chat/v1/messages', anthropicStreamBody],
  [`chat client -> anthropic backend (${CHUNKS} chunks)`, '/anth/v1/chat/completions', chatStreamBody],
  [`responses client -> chat backend (${CHUNKS} chunks)`, '/chat/v1/responses', responsesStreamBody],
]) {
  row(name, await measure(switchyard.url + path, body, switchyard.proc), undefined, undefined, CHUNKS)
}
console.table(rows)
for (const r of rows.slice(2)) console.log(`${r.scenario}: CPU per chunk ${(r['CPU us/chunk'] / passthroughChunk).toFixed(2)}x passthrough`)
switchyard.proc.disconnect()
bare.proc.disconnect()
upstreamProc.disconnect()
