// Field paths for config problems, printed in JS notation (`backends[2].url`) because that is
// how people read a YAML tree, and ordered as the fields appear in the file.

export type PathSegment = string | number
export type FieldPath = readonly PathSegment[]

export interface Problem {
  readonly path: FieldPath
  readonly message: string
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

export function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function formatPath (path: FieldPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (out === '') out = segment // a top-level key reads best bare, whatever it holds
    else if (IDENTIFIER.test(segment)) out += `.${segment}`
    else out += `[${JSON.stringify(segment)}]` // header names such as `OpenAI-Organization`
  }
  return out === '' ? 'config' : out
}

export function formatProblem (problem: Problem): string {
  return `${formatPath(problem.path)}: ${problem.message}`
}

/**
 * Sorts problems into the order their fields appear in the document, so the output is stable
 * and reads top to bottom. A missing key (a `required` problem) sorts after its present siblings.
 */
export function sortByDocumentOrder (problems: readonly Problem[], root: unknown): Problem[] {
  const keyed = problems.map(problem => ({ problem, position: positionOf(root, problem.path) }))
  keyed.sort((a, b) => comparePositions(a.position, b.position)) // stable: ties keep their order
  return keyed.map(k => k.problem)
}

function positionOf (root: unknown, path: FieldPath): number[] {
  const position: number[] = []
  let node = root
  for (const segment of path) {
    if (typeof segment === 'number') {
      position.push(segment)
      node = Array.isArray(node) ? node[segment] : undefined
      continue
    }
    const keys = isRecord(node) ? Object.keys(node) : []
    const index = keys.indexOf(segment)
    position.push(index === -1 ? keys.length : index)
    node = isRecord(node) ? node[segment] : undefined
  }
  return position
}

function comparePositions (a: readonly number[], b: readonly number[]): number {
  const shared = Math.min(a.length, b.length)
  for (let i = 0; i < shared; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0)
    if (diff !== 0) return diff
  }
  return a.length - b.length
}
