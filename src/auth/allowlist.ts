// A client key's allowlists (SPEC.md `auth.keys[].backends`, `.models`). No list: everything is
// allowed; auth off (no key): everything is allowed. Model globs use the routing matcher, so a
// glob means the same in `match.models` and `auth.keys[].models`; they are compiled once per
// key, on first use, and cached by the (immutable) config object.
import type { ClientKeyConfig } from '../config/schema.js'
import { compileGlobs } from '../routing/glob.js'

const modelMatchers = new WeakMap<ClientKeyConfig, (model: string) => boolean>()

/** Whether `key` may send requests to the backend named `backend` (fallback targets included). */
export function keyAllowsBackend (key: ClientKeyConfig | null, backend: string): boolean {
  return key?.backends === undefined || key.backends.includes(backend)
}

/** Whether `key` may ask for `model` (the client's model name, before aliasing). */
export function keyAllowsModel (key: ClientKeyConfig | null, model: string): boolean {
  if (key?.models === undefined) return true
  let matches = modelMatchers.get(key)
  if (matches === undefined) {
    matches = compileGlobs(key.models)
    modelMatchers.set(key, matches)
  }
  return matches(model)
}
