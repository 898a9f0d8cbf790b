// `${VAR}` and `${VAR:-default}` in string values (SPEC "Config file"), applied to the parsed
// document so a value can never change the YAML structure around it. Keys are left alone.
// Like the shell, `:-` also applies when the variable is set but empty; `$${` is a literal `${`.
import { ConfigError } from './errors.js'
import { formatProblem, isRecord, type FieldPath, type Problem } from './path.js'

// `$${` | `${NAME}` | `${NAME:-default}` | a bare `${` (malformed: reported, never kept silently).
// A default may hold `$` but not `${`: nested references are not supported.
const REFERENCE = /\$\$\{|\$\{(?:([A-Za-z_][A-Za-z0-9_]*)(?::-((?:[^}$]|\$(?!\{))*))?\})?/g

/** Returns a substituted copy of `value`; throws one ConfigError listing every missing variable. */
export function substituteEnv (value: unknown, env: NodeJS.ProcessEnv, path: FieldPath = []): unknown {
  const problems: Problem[] = []
  const out = walk(value, env, path, problems)
  if (problems.length > 0) throw new ConfigError(problems.map(formatProblem))
  return out
}

function walk (value: unknown, env: NodeJS.ProcessEnv, path: FieldPath, problems: Problem[]): unknown {
  if (typeof value === 'string') return substituteString(value, env, path, problems)
  if (Array.isArray(value)) return value.map((item, i) => walk(item, env, [...path, i], problems))
  if (isRecord(value)) {
    // fromEntries defines own properties, so a `__proto__` key stays a key (and fails validation).
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, env, [...path, key], problems)]))
  }
  return value
}

function substituteString (text: string, env: NodeJS.ProcessEnv, path: FieldPath, problems: Problem[]): string {
  if (!text.includes('${')) return text
  let malformed = false
  return text.replace(REFERENCE, (match: string, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${'
    if (malformed) return match // the rest of the string cannot be read reliably: one problem is enough
    if (name === undefined) {
      malformed = true
      problems.push({ path, message: 'malformed ${...}: write ${NAME} or ${NAME:-default}, or $${ for a literal "${"' })
      return match
    }
    const found = env[name]
    if (found !== undefined && (found !== '' || fallback === undefined)) return found
    if (fallback !== undefined) return fallback
    problems.push({ path, message: `environment variable ${name} is not set` })
    return match
  })
}
