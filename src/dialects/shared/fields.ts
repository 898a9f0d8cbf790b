// "Mapped, ignored, or rejected" (STYLE.md §2.4): every key of a decoded object is either read
// by the decoder (`known`), listed in the dialect's IGNORED_FIELDS with a reason, or rejected
// as unsupported naming its JSON path. Nothing is dropped silently.
import { convertError } from '../../errors/codes.js'
import { fieldPath, isAbsent, type JsonObject } from './json.js'

/** Ignored-field table: pattern path (`messages[].name`) → one-line reason. */
export type IgnoredFields = Readonly<Record<string, string>>

export interface KeyRules {
  readonly known: ReadonlySet<string>
  readonly ignored: IgnoredFields
  /** Pattern prefix of this object in IGNORED_FIELDS (`messages[]`); '' at the root. */
  readonly pattern: string
  /** Gemini accepts snake_case too (PROTOCOLS.md §4.1): normalise before lookup. */
  readonly normalize?: (key: string) => string
}

/** Sending nothing (absent, null, `[]`) asks for nothing, so it is never "unsupported". */
function asksForNothing (value: unknown): boolean {
  return isAbsent(value) || (Array.isArray(value) && value.length === 0)
}

export function checkKeys (obj: JsonObject, path: string, rules: KeyRules): void {
  for (const raw of Object.keys(obj)) {
    const key = rules.normalize === undefined ? raw : rules.normalize(raw)
    if (rules.known.has(key)) continue
    if (Object.hasOwn(rules.ignored, fieldPath(rules.pattern, key))) continue
    if (asksForNothing(obj[raw])) continue
    throw convertError(fieldPath(path, raw), 'not supported yet', true)
  }
}
