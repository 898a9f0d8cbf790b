// Ajv errors → one readable problem per field. Ajv reports a failed union as every branch's
// failure plus "must match a schema in anyOf"; we collapse that to the one line a user needs.
import type { ErrorObject } from 'ajv'
import { isRecord, type FieldPath, type PathSegment, type Problem } from './path.js'

interface UnionVerdict {
  readonly error: ErrorObject
  /** The branch whose type fits the value: its own errors say what is wrong. */
  readonly branch: number | undefined
  /** Otherwise one line replacing the whole union. */
  readonly problem: Problem | undefined
}

export function schemaProblems (errors: readonly ErrorObject[], root: unknown): Problem[] {
  const verdicts = errors.filter(e => e.keyword === 'anyOf').map(e => judgeUnion(e, root))
  const problems: Problem[] = []
  for (const error of errors) {
    if (error.keyword === 'anyOf') {
      const verdict = verdicts.find(v => v.error === error)
      if (verdict?.problem !== undefined) problems.push(verdict.problem)
      continue
    }
    if (verdicts.every(v => keepsBranchError(v, error))) problems.push(toProblem(error, root))
  }
  return problems
}

function toProblem (error: ErrorObject, root: unknown): Problem {
  const path = pointerToPath(error.instancePath, root)
  const params: Record<string, unknown> = error.params
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: [...path, String(params.additionalProperty)], message: 'unknown key' }
    case 'required':
      return { path: [...path, String(params.missingProperty)], message: 'is required' }
    case 'minItems':
      return { path, message: params.limit === 1 ? 'must not be empty' : `must have at least ${String(params.limit)} items` }
    case 'minLength':
      return { path, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters` }
    case 'pattern': {
      // Schema patterns carry a `description` saying in words what the regex means.
      const description: unknown = isRecord(error.parentSchema) ? error.parentSchema.description : undefined
      return { path, message: typeof description === 'string' ? `must be ${description}` : `must match ${String(params.pattern)}` }
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` }
    default:
      return { path, message: error.message ?? 'is invalid' }
  }
}

function judgeUnion (error: ErrorObject, root: unknown): UnionVerdict {
  const branches: unknown[] = Array.isArray(error.schema) ? error.schema : []
  const path = pointerToPath(error.instancePath, root)
  const consts = branches.map(b => (isRecord(b) ? b.const : undefined))
  if (consts.length > 0 && consts.every(c => c !== undefined)) {
    return { error, branch: undefined, problem: { path, message: `must be one of ${consts.map(String).join(', ')}` } }
  }
  const kind = jsonType(error.data)
  const fitting = branches.flatMap((b, i) => (isRecord(b) && typeFits(b.type, kind) ? [i] : []))
  if (fitting.length === 1) return { error, branch: fitting[0], problem: undefined }
  const description: unknown = isRecord(error.parentSchema) ? error.parentSchema.description : undefined
  const expected = typeof description === 'string' ? description : orList(branches.map(describeBranch))
  return { error, branch: undefined, problem: { path, message: `must be ${expected}` } }
}

/** An error inside a union's branches survives only if it belongs to the branch we picked. */
function keepsBranchError (verdict: UnionVerdict, error: ErrorObject): boolean {
  const union = verdict.error
  const inside = (error.instancePath === union.instancePath || error.instancePath.startsWith(`${union.instancePath}/`)) &&
    error.schemaPath.startsWith(`${union.schemaPath}/`)
  if (!inside) return true
  const branch = Number(error.schemaPath.slice(union.schemaPath.length + 1).split('/')[0])
  return verdict.branch === branch
}

function jsonType (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function typeFits (schemaType: unknown, kind: string): boolean {
  return schemaType === kind || (schemaType === 'number' && kind === 'integer')
}

function describeBranch (branch: unknown): string {
  if (!isRecord(branch)) return 'valid'
  if (branch.const !== undefined) return JSON.stringify(branch.const)
  const type = typeof branch.type === 'string' ? branch.type : 'valid'
  return typeof branch.minimum === 'number' ? `${type} >= ${branch.minimum}` : type
}

function orList (items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`
}

/** `/backends/0/headers/X-A` → ['backends', 0, 'headers', 'X-A'], numbers only for array indexes. */
function pointerToPath (pointer: string, root: unknown): FieldPath {
  if (pointer === '') return []
  const path: PathSegment[] = []
  let node = root
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (Array.isArray(node)) {
      const index = Number(key)
      path.push(index)
      node = node[index]
    } else {
      path.push(key)
      node = isRecord(node) ? node[key] : undefined
    }
  }
  return path
}
