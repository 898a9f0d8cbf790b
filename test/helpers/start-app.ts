// Build the app from a config, listen on 127.0.0.1:0, close it in teardown. Log lines are
// captured so tests can assert what was (and was not) logged.
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { validateConfig } from '../../src/config/validate.js'
import type { Config } from '../../src/config/schema.js'

type Tap = { teardown (fn: () => unknown): void }

export interface StartedApp {
  readonly url: string
  readonly app: FastifyInstance
  readonly config: Config
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[]
  /** Raw log text, to search for leaked secrets. */
  logText (): string
}

/**
 * Load shedding is off unless a test turns it on: the suite runs on shared, loaded CI machines,
 * where a stalled event loop would shed a test's request (test/plugins/load-shedding.test.ts
 * tests shedding itself).
 */
function withoutShedding (raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw
  const server = (raw as { server?: Record<string, unknown> }).server
  return { ...raw, server: { maxEventLoopDelayMs: 0, ...server } }
}

export async function startApp (t: Tap, raw: unknown, options: { readonly keepaliveMs?: number } = {}): Promise<StartedApp> {
  const config = validateConfig(withoutShedding(raw))
  const lines: string[] = []
  const logStream = new Writable({
    write (chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done() },
  })
  const app = await buildApp(config, { logStream, ...options })
  t.teardown(() => app.close())
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url: address,
    app,
    config,
    get logs () { return lines.join('').split('\n').filter(l => l !== '').map(l => JSON.parse(l) as Record<string, unknown>) },
    logText: () => lines.join(''),
  }
}

/** A config with one backend and the given overrides. */
export function oneBackend (backend: Record<string, unknown>, rest: Record<string, unknown> = {}): unknown {
  return { logging: { level: 'info' }, ...rest, backends: [{ name: 'b', ...backend }] }
}
