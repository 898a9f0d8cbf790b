#!/usr/bin/env node
// argv/env → config → app → listen (SPEC.md "Command line"). Config problems print one
// `field: message` line each and exit 1, never a stack trace. SIGTERM/SIGINT drain in-flight
// requests for up to `server.shutdownGraceMs`, then exit 0.
import { parseArgs } from 'node:util'
import { buildApp } from './app.js'
import { loadConfig } from './config/load.js'
import { ConfigError } from './config/errors.js'
import { describeRoutes, redactConfig } from './config/summary.js'
import type { Config } from './config/schema.js'

const USAGE = 'usage: switchyard [--config FILE] [--port N] [--host ADDR] [--check]'

function fail (lines: string): never {
  process.stderr.write(lines.endsWith('\n') ? lines : lines + '\n')
  process.exit(1)
}

function parsePort (value: string, from: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 65535) fail(`${from}: must be an integer between 0 and 65535`)
  return n
}

function readArgs () {
  try {
    return parseArgs({
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`)
  }
}

/** `--port`/`PORT` and `--host`/`HOST` override the file (flags win over the environment). */
function withOverrides (config: Config, args: ReturnType<typeof readArgs>): Config {
  const portText = args.port ?? process.env.PORT
  const host = args.host ?? process.env.HOST
  const port = portText === undefined || portText === '' ? undefined : parsePort(portText, args.port !== undefined ? '--port' : 'PORT')
  return {
    ...config,
    server: {
      ...config.server,
      ...(port === undefined ? {} : { port }),
      ...(host === undefined || host === '' ? {} : { host }),
    },
  }
}

async function main (): Promise<void> {
  const args = readArgs()
  if (args.help) { process.stdout.write(USAGE + '\n'); return }
  const configPath = args.config ?? (process.env.SWITCHYARD_CONFIG || undefined)
  let loaded
  try {
    loaded = loadConfig({ ...(configPath === undefined ? {} : { path: configPath }), env: process.env, cwd: process.cwd() })
  } catch (err) {
    if (err instanceof ConfigError) fail(`switchyard: invalid config\n${err.message}`)
    throw err
  }
  const config = withOverrides(loaded.config, args)
  if (args.check) {
    process.stdout.write(`config OK: ${loaded.source}\n${describeRoutes(config)}\n`)
    return
  }

  const app = await buildApp(config)
  app.log.debug({ config: redactConfig(config) }, 'config')
  await app.listen({ host: config.server.host, port: config.server.port })
  app.log.info({ config: loaded.source, backends: config.backends.map(b => b.name) }, 'switchyard ready')

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal, graceMs: config.server.shutdownGraceMs }, 'draining')
    // In-flight streams get the grace period; then their sockets are closed for them.
    const grace = setTimeout(() => {
      app.log.warn('grace period over: closing remaining connections')
      app.server.closeAllConnections()
    }, config.server.shutdownGraceMs)
    grace.unref()
    app.close().then(() => {
      clearTimeout(grace)
      app.log.info('stopped')
      exitAfterLogs(0)
    }, err => {
      app.log.error({ err }, 'shutdown failed')
      exitAfterLogs(1)
    })
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

/** How long a stop may take to end the process once the app is closed. */
const EXIT_MS = 1000

/**
 * End the process by letting it run out of work: stdout is written asynchronously (src/app.ts),
 * and pino drains its destination in order on `beforeExit`, where `process.exit()` would make
 * it write its buffer synchronously ahead of a write still in flight (`stopped` came out before
 * the request line logged just before it). Something left holding the loop ends it after
 * EXIT_MS all the same.
 */
function exitAfterLogs (code: number): void {
  process.exitCode = code
  setTimeout(() => process.exit(code), EXIT_MS).unref()
}

main().catch((err: unknown) => {
  process.stderr.write(`switchyard: ${(err as Error).message ?? String(err)}\n`)
  process.exit(1)
})
