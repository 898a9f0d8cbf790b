// Reading Gemini request objects (PROTOCOLS.md §4.1): proto JSON accepts snake_case as well as
// camelCase, so every key is looked up under both spellings and normalised before checkKeys.
import type { KeyRules } from '../shared/fields.js'
import type { JsonObject } from '../shared/json.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

/** `max_output_tokens` → `maxOutputTokens`. */
export function camelCase (key: string): string {
  if (!key.includes('_')) return key
  const words = key.split('_')
  let out = words[0] ?? ''
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? ''
    out += w.charAt(0).toUpperCase() + w.slice(1)
  }
  return out
}

/** A field read under either spelling. */
export function field (obj: JsonObject, camel: string, snake: string): unknown {
  const value = obj[camel]
  return value === undefined ? obj[snake] : value
}

/** Key rules for one Gemini object; `pattern` is its IGNORED_FIELDS path (`contents[].parts[]`). */
export const rules = (known: readonly string[], pattern: string): KeyRules =>
  ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern, normalize: camelCase })
