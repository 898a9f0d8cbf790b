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
  const routes = backends.map(compileRoute)
  const fallback = routes.find(r => r.isDefault)
  return fallback === undefined ? { routes } : { routes, fallback }
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
