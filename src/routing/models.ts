// The models a fleet serves, as far as the config declares them (SPEC.md `GET /v1/models`): each
// backend's `model` override, its alias names, and the literal (non-glob) names of its
// `match.models`. A backend that declares none contributes nothing: Switchyard does not call
// upstreams to list models.
import type { BackendConfig } from '../config/schema.js'

export interface ModelInfo {
  readonly id: string
  /** The backend that serves it. */
  readonly backend: string
}

const GLOB = /[*?[\]]/

export function declaredModels (backends: readonly BackendConfig[]): ModelInfo[] {
  const seen = new Set<string>()
  const out: ModelInfo[] = []
  const add = (id: string, backend: string): void => {
    if (seen.has(id) || GLOB.test(id)) return
    seen.add(id)
    out.push({ id, backend })
  }
  for (const b of backends) {
    if (b.protocol === 'mock' && b.model === undefined && b.models === undefined && b.match?.models === undefined) continue
    if (b.model !== undefined) add(b.model, b.name)
    for (const alias of Object.keys(b.models ?? {})) add(alias, b.name)
    for (const name of b.match?.models ?? []) add(name, b.name)
  }
  return out
}
