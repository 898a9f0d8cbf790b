// A config that cannot be used. The CLI prints `problems` one per line and exits 1, no stack
// (STYLE.md §2.9); code is matched on `code`, never on the text.

export const CONFIG_INVALID = 'SWY_ERR_CONFIG_INVALID'

export interface ConfigErrorOptions {
  /** The file (or `built-in demo config`) the problems were found in. */
  readonly source?: string
  readonly cause?: unknown
}

export class ConfigError extends Error {
  readonly code = CONFIG_INVALID
  /** Human lines, `<field path>: <message>` or `<file>[:line:col]: <message>`. */
  readonly problems: string[]
  readonly source: string | undefined

  constructor (problems: readonly string[], options: ConfigErrorOptions = {}) {
    super(problems.join('\n'), options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ConfigError'
    this.problems = [...problems]
    this.source = options.source
  }
}
