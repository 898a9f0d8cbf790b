// Where the config comes from (SPEC "Command line"): an explicit file (--config or
// SWITCHYARD_CONFIG, chosen by the caller), else ./switchyard.yaml, else the demo config.
// Synchronous: this runs once, before anything listens.
import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { DEMO_CONFIG, DEMO_SOURCE } from './demo.js'
import { substituteEnv } from './env.js'
import { ConfigError } from './errors.js'
import { parseConfigText } from './parse.js'
import type { Config } from './schema.js'
import { validateConfig } from './validate.js'

export const DEFAULT_CONFIG_FILE = 'switchyard.yaml'

export interface LoadConfigOptions {
  /** --config or SWITCHYARD_CONFIG; relative paths resolve against `cwd`. */
  readonly path?: string | undefined
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
}

export interface LoadedConfig {
  readonly config: Config
  /** Absolute path of the file read, or `built-in demo config`. */
  readonly source: string
}

export function loadConfig (options: LoadConfigOptions): LoadedConfig {
  const file = options.path !== undefined ? resolve(options.cwd, options.path) : defaultFile(options.cwd)
  const source = file ?? DEMO_SOURCE
  return withSource(source, () => {
    const raw = file === undefined ? DEMO_CONFIG : parseConfigText(readConfigFile(file), file)
    return { config: validateConfig(substituteEnv(raw, options.env)), source }
  })
}

function defaultFile (cwd: string): string | undefined {
  const file = resolve(cwd, DEFAULT_CONFIG_FILE)
  // Anything at that path counts (even a directory): reading it then fails loudly rather than
  // quietly falling back to the demo config.
  return statSync(file, { throwIfNoEntry: false }) === undefined ? undefined : file
}

function readConfigFile (file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError([`${file}: ${readFailure(err)}`], { cause: err })
  }
}

function readFailure (err: unknown): string {
  const code = err instanceof Error && 'code' in err ? err.code : undefined
  if (code === 'ENOENT') return 'file not found'
  if (code === 'EISDIR') return 'is a directory, not a config file'
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)'
  return `cannot be read: ${err instanceof Error ? err.message : String(err)}`
}

/** Field problems do not name the file; the error does, for the CLI's heading. */
function withSource<T> (source: string, run: () => T): T {
  try {
    return run()
  } catch (err) {
    if (err instanceof ConfigError && err.source === undefined) throw new ConfigError(err.problems, { source, cause: err.cause })
    throw err
  }
}
