// Pure route matching. A backend's rules (pathPrefix, headers, models) must all hold; the first
// backend in config order wins; the `default: true` backend takes whatever nothing else matched.
// Matching runs in two phases because the model lives in the body: `planRoute` uses only the
// path and headers (onRequest, before the body is read), `resolveRoute` finishes with the model.
import type { CompiledRoute, RouteTable } from './compile.js'
import { stripPrefix } from './prefix.js'

export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>

export interface Candidate {
  readonly route: CompiledRoute
  /** The request path with this backend's prefix stripped. */
  readonly path: string
}

export type RoutePlan =
  /** Decided without the body. */
  | { readonly kind: 'decided', readonly candidate: Candidate }
  /** The listed candidates each need the model; `otherwise` applies when none accepts it. */
  | { readonly kind: 'needs-model', readonly candidates: readonly Candidate[], readonly otherwise?: Candidate }
  | { readonly kind: 'none' }

function headersHold (route: CompiledRoute, headers: HeaderBag): boolean {
  for (const [name, value] of route.headers) {
    if (headers[name] !== value) return false
  }
  return true
}

function candidateFor (route: CompiledRoute, path: string, headers: HeaderBag): Candidate | undefined {
  const stripped = route.pathPrefix === undefined ? path : stripPrefix(path, route.pathPrefix)
  if (stripped === undefined || !headersHold(route, headers)) return undefined
  return { route, path: stripped }
}

/** The default backend, with its own prefix stripped when the path carries it. */
function defaultCandidate (table: RouteTable, path: string): Candidate | undefined {
  const route = table.fallback
  if (route === undefined) return undefined
  const stripped = route.pathPrefix === undefined ? undefined : stripPrefix(path, route.pathPrefix)
  return { route, path: stripped ?? path }
}

export function planRoute (table: RouteTable, path: string, headers: HeaderBag): RoutePlan {
  const pending: Candidate[] = []
  for (const route of table.routes) {
    const candidate = candidateFor(route, path, headers)
    if (candidate === undefined) continue
    if (route.matchesModel === undefined) {
      if (pending.length === 0) return { kind: 'decided', candidate }
      return { kind: 'needs-model', candidates: pending, otherwise: candidate }
    }
    pending.push(candidate)
  }
  const fallback = defaultCandidate(table, path)
  if (pending.length === 0) return fallback === undefined ? { kind: 'none' } : { kind: 'decided', candidate: fallback }
  return fallback === undefined ? { kind: 'needs-model', candidates: pending } : { kind: 'needs-model', candidates: pending, otherwise: fallback }
}

/**
 * Finish a `needs-model` plan. `modelAt(path)` reads the model for a candidate's stripped path
 * (the dialect, and so where the model sits, depends on that path).
 */
export function resolveRoute (
  plan: Extract<RoutePlan, { kind: 'needs-model' }>,
  modelAt: (path: string) => string | undefined,
): Candidate | undefined {
  for (const candidate of plan.candidates) {
    const model = modelAt(candidate.path)
    if (model !== undefined && candidate.route.matchesModel?.(model) === true) return candidate
  }
  return plan.otherwise
}
