// Config → route table, once at boot (STYLE.md §2.7). Matching itself is in match.ts.
import type { BackendConfig } from '../config/schema.js'
import { compileGlobs } from './glob.js'

export interface CompiledRoute {
  readonly backend: BackendConfig
  readonly pathPrefix?: string
  /** Lower-cased header names with their exact required values. */
  readonly headers: readonly (readonly [string, string])[]
  /** Absent: no model rule. */
  readonly matchesModel?: (model: string) => boolean
  readonly isDefault: boolean
}

export interface RouteTable {
  readonly routes: readonly CompiledRoute[]
  readonly fallback?: CompiledRoute
}

export function compileRoutes (backends: readonly BackendConfig[]): RouteTable {
  const all = backends.map(compileRoute)
  const fallback = all.find(r => r.isDefault)
  if (fallback === undefined) return { routes: all }
  // With a default backend (SPEC: "used when no other backend matches"), a backend without rules
  // of its own is not a catch-all in the ordered list: the default one would otherwise shadow
  // every backend after it, and a rule-less one (a fallback target) would take the default's
  // traffic. Rule-less backends are then reached as the default or as fallbacks; backends with
  // a prefix, headers or models (the default included) match those in their place.
  const routes = all.filter(r => r.pathPrefix !== undefined || r.headers.length > 0 || r.matchesModel !== undefined)
  return { routes, fallback }
}

function compileRoute (backend: BackendConfig): CompiledRoute {
  const match = backend.match ?? {}
  const headers = Object.entries(match.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const)
  return {
    backend,
    ...(match.pathPrefix === undefined ? {} : { pathPrefix: match.pathPrefix }),
    headers,
    ...(match.models === undefined ? {} : { matchesModel: compileGlobs(match.models) }),
    isDefault: match.default === true,
  }
}
