// Passthrough overhead, as ratios measured in the same run (machines are shared and noisy;
// absolute numbers mean little): against the upstream directly, and against a bare
// Fastify + undici proxy (bench/bare-proxy.js) that does the same second hop and nothing else. Bounded: DURATION seconds per
// scenario. Run with `npm run bench` (builds first).
import autocannon from 'autocannon'
import { fork } from 'node:child_process'
import { once } from 'node:events'

const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'hello' }] })

const upstreamProc = fork(new URL('./upstream.js', import.meta.url))
const [{ port }] = await once(upstreamProc, 'message')
const upstream = `http://127.0.0.1:${port}`

async function start (file, env) {
  const proc = fork(new URL(file, import.meta.url), { env: { ...process.env, ...env } })
  const [{ url }] = await once(proc, 'message')
  return { proc, url }
}
const switchyard = await start('./proxy.js', { UPSTREAM: upstream })
const bare = await start('./bare-proxy.js', { UPSTREAM: upstream })

async function measure (url) {
  const result = await autocannon({
    url, method: 'POST', body, connections: CONNECTIONS, duration: DURATION,
    headers: { 'content-type': 'application/json' },
  })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 }
}

const rows = []
for (const [name, path] of [['passthrough non-stream', '/v1/chat/completions'], ['passthrough stream (21 frames)', '/v1/chat/completions?stream']]) {
  const direct = await measure(upstream + path)
  const base = await measure(bare.url + path)
  const proxied = await measure(switchyard.url + path)
  rows.push({
    scenario: name,
    'direct req/s': Math.round(direct.rps),
    'bare proxy req/s': Math.round(base.rps),
    'switchyard req/s': Math.round(proxied.rps),
    'switchyard/bare': (proxied.rps / base.rps).toFixed(2),
    'switchyard/direct': (proxied.rps / direct.rps).toFixed(2),
    'p99 ms bare/switchyard': `${base.p99}/${proxied.p99}`,
  })
}
console.table(rows)
switchyard.proc.disconnect()
bare.proc.disconnect()
upstreamProc.disconnect()
