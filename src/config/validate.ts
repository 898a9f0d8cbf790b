// Raw document → Config: JSON Schema (Ajv, compiled once at import), then the cross-field
// rules, then defaults. Every problem found is reported, in document order.
import { Ajv } from 'ajv'
import { checkSemantics } from './checks.js'
import { ConfigError } from './errors.js'
import { formatPath, formatProblem, sortByDocumentOrder, type Problem } from './path.js'
import { ConfigSchema, DEFAULTS, type Config, type RawConfig } from './schema.js'
import { schemaProblems } from './schema-errors.js'

// verbose: errors carry the failing value and schema, which the union collapsing reads.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true })
const matchesSchema = ajv.compile<RawConfig>(ConfigSchema)

export function validateConfig (raw: unknown): Config {
  assertValid(raw)
  return {
    ...raw,
    server: withDefaults<Config['server']>(DEFAULTS.server, raw.server),
    logging: withDefaults<Config['logging']>(DEFAULTS.logging, raw.logging),
    responses: withDefaults<Config['responses']>(DEFAULTS.responses, raw.responses),
  }
}

function assertValid (raw: unknown): asserts raw is RawConfig {
  const valid = matchesSchema(raw)
  const fromSchema = valid ? [] : schemaProblems(matchesSchema.errors ?? [], raw)
  // One problem per field: a value the schema already rejected gets no second opinion.
  const reported = new Set(fromSchema.map(p => formatPath(p.path)))
  const semantic = checkSemantics(raw).filter(p => !reported.has(formatPath(p.path)))
  const problems: Problem[] = sortByDocumentOrder([...fromSchema, ...semantic], raw)
  if (problems.length > 0) throw new ConfigError([...new Set(problems.map(formatProblem))])
  if (!valid) throw new ConfigError(['config: does not match the schema']) // unreachable: Ajv failed without errors
}

/** Defaults under the given values; an explicit `undefined` (from code, never YAML) keeps the default. */
function withDefaults<T extends object> (defaults: T, given: Partial<T> | undefined): T {
  const out = { ...defaults }
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value !== undefined) Object.assign(out, { [key]: value })
  }
  return out
}
