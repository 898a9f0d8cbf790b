// One Switchyard instance for the load and soak runs (bench/slow-streams.js, bench/soak.js), in
// its own process so the load generator does not share its loop. Built from dist/ (`npm run
// build` first). The config comes as JSON in SWY_CONFIG; BACKLOG sets the listen backlog.
// IPC: `{ stats: true, gc: boolean }` answers `{ stats }` with process.memoryUsage() (after a
// forced GC when asked and the process runs with --expose-gc), CPU time, event-loop delay
// (p50/p99/max since the last stats call), active handles by type, and the sum of
// switchyard_active_streams read from the app's own /metrics (through app.inject: no socket).
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { buildApp } from '../dist/src/app.js'
import { validateConfig } from '../dist/src/config/validate.js'

const app = await buildApp(validateConfig(JSON.parse(process.env.SWY_CONFIG)))
// As src/cli.ts listens (Node's default backlog, 511) unless BACKLOG is set, to try a deeper one.
const url = await app.listen({ host: '127.0.0.1', port: 0, ...(process.env.BACKLOG === undefined ? {} : { backlog: Number(process.env.BACKLOG) }) })
const loop = monitorEventLoopDelay({ resolution: 10 })
loop.enable()

function activeStreams (text) {
  let sum = 0
  for (const line of text.split('\n')) {
    if (line.startsWith('switchyard_active_streams')) sum += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return sum
}

function countBy (names) {
  const out = {}
  for (const n of names) out[n] = (out[n] ?? 0) + 1
  return out
}

process.on('message', async m => {
  if (m?.stats !== true) return
  if (m.gc === true && typeof globalThis.gc === 'function') { globalThis.gc(); globalThis.gc() }
  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  const ms = n => Math.round(n / 1e5) / 10
  process.send({
    stats: {
      memory: process.memoryUsage(),
      cpu: process.cpuUsage(),
      loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      resources: countBy(process.getActiveResourcesInfo()),
      activeStreams: activeStreams(metrics.body),
      gcExposed: typeof globalThis.gc === 'function',
    },
  })
  loop.reset()
})
process.on('disconnect', () => { app.close().then(() => process.exit(0)) })
process.send({ url })
