// Starts the processes a run measures, each in its own process: the mock upstream, the Fastify +
// reply-from floor, Switchyard (bench/proxy.js, from dist/), and Portkey when BENCH_PORTKEY
// points at its node entry. Each target is { key, label, url, pid }; `direct` is the mock itself.
import { createServer } from 'node:net'
import { once } from 'node:events'
import { LOAD_CPU, PROXY_CPU, startNode } from './spawn.js'

const here = file => new URL(`../${file}`, import.meta.url).pathname

/**
 * Node flags for every proxy under test (Switchyard, reply-from, Portkey), not the mock or the
 * runner: BENCH_PROXY_NODE_FLAGS, e.g. the image's (deploy/Dockerfile) to measure what it runs.
 */
export const PROXY_NODE_FLAGS = (process.env.BENCH_PROXY_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)

export async function startUpstream (name, { pinned, chunks, delayMs, paceMs = 2 }) {
  const child = await startNode(name, here('upstream.js'), { pinned, cpu: LOAD_CPU, env: { BENCH_CHUNKS: String(chunks), CHUNK_DELAY_MS: String(delayMs), PACE_MS: String(paceMs) } })
  return { ...child, url: `http://127.0.0.1:${child.message.port}` }
}

export function directTarget (upstream) {
  return { key: 'direct', label: 'direct (mock)', url: upstream.url, pid: undefined, child: undefined }
}

export async function startReplyFrom (name, { pinned, upstream }) {
  const child = await startNode(name, here('reply-from-proxy.js'), { pinned, cpu: PROXY_CPU, env: { UPSTREAM: upstream.url }, nodeArgs: PROXY_NODE_FLAGS })
  return { key: 'replyFrom', label: 'reply-from', url: child.message.url, pid: child.pid, child }
}

export async function startSwitchyard (name, { pinned, upstream, logLevel }) {
  const child = await startNode(name, here('proxy.js'), { pinned, cpu: PROXY_CPU, env: { UPSTREAM: upstream.url, BENCH_LOG_LEVEL: logLevel }, nodeArgs: PROXY_NODE_FLAGS })
  return { key: 'switchyard', label: 'Switchyard', url: child.message.url, pid: child.pid, child }
}

async function freePort () {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  return port
}

/** Portkey's gateway under Node (`node <entry> --port=N --headless`); ready when `/` answers. */
export async function startPortkey (name, { pinned, upstream, entry }) {
  const port = await freePort()
  const child = await startNode(name, entry, {
    pinned, cpu: PROXY_CPU, ready: 'none', args: [`--port=${port}`, '--headless'],
    nodeArgs: [...PROXY_NODE_FLAGS, '--import', here('lib/portkey-shim.js')],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    try { if ((await fetch(url + '/')).ok) break } catch {}
    if (i === 100 || child.proc.exitCode !== null) throw new Error(`Portkey did not start at ${url}: ${child.stderr.trim().slice(-1000)}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return { key: 'portkey', label: 'Portkey', url, pid: child.pid, child, upstream: upstream.url }
}
