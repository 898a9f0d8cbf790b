// A real redis-server for tests (STYLE.md §2.12): started on a free loopback port with no
// persistence, ready once it answers PING, stopped (SIGTERM, awaited) in teardown. CI installs
// the Debian `redis-server` package (.ci/run); without it the test fails saying so.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { once } from 'node:events'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.js'

type Tap = { teardown (fn: () => unknown): void }

export const REDIS_SERVER = '/usr/bin/redis-server'
const START_TIMEOUT_MS = 5000

export interface StartedRedis {
  readonly url: string
  readonly port: number
  /** Stops the server and waits for it to exit; safe to call more than once. */
  stop (): Promise<void>
  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, as when blackholed. */
  pause (): void
  /** Lets a paused server run again (SIGCONT). */
  resume (): void
}

/** A port nobody listens on right now (redis-server cannot be told to pick one: no `--port 0`). */

/** One PING over a raw socket: true when the server answers +PONG. */
async function ping (port: number): Promise<boolean> {
  return await new Promise(resolve => {
    const socket = createConnection({ host: '127.0.0.1', port })
    let reply = ''
    socket.setTimeout(500, () => { socket.destroy(); resolve(false) })
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', chunk => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) { socket.destroy(); resolve(reply.startsWith('+PONG')) }
    })
    socket.on('error', () => resolve(false))
  })
}

async function waitUntilReady (child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output()}`)
    if (await ping(port)) return
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  throw new Error(`redis-server did not answer PING within ${START_TIMEOUT_MS} ms: ${output()}`)
}

export async function startRedis (t: Tap): Promise<StartedRedis> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} is missing: install the Debian package redis-server (apt-get install redis-server)`)
  }
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-redis-'))
  const port = await freePort()
  const child = spawn(REDIS_SERVER, [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = once(child, 'exit').catch(() => undefined)

  let stopping: Promise<void> | undefined
  const stop = async (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // A paused server would not act on SIGTERM until continued.
        child.kill('SIGCONT')
        child.kill('SIGTERM')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    })()
    await stopping
  }
  t.teardown(stop)
  try {
    await waitUntilReady(child, port, () => output)
  } catch (err) {
    await stop()
    throw err
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    pause: () => { child.kill('SIGSTOP') },
    resume: () => { child.kill('SIGCONT') },
  }
}
