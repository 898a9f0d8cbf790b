// How deeply a parsed JSON body nests. JSON.parse copes with any depth, but what comes after
// does not: JSON.stringify, the token estimate and the dialect converters recurse, and throw
// RangeError (a 500) from about 4,100 levels. No request has a reason to nest past a few dozen.
// Checked on the parsed value (a walk of its nodes, stopping at the limit): measured 170 µs for
// a byte scan of a 108 KB conversation against tens of µs for the walk.

/** Deeper bodies are refused. Tool schemas nest about ten levels, conversations five. */
export const MAX_JSON_DEPTH = 256

/** Whether `value` holds objects/arrays more than `max` levels inside each other. */
export function nestsDeeperThan (value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (max === 0) return true
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeperThan(item, max - 1)) return true
    return false
  }
  for (const key in value) if (nestsDeeperThan((value as Record<string, unknown>)[key], max - 1)) return true
  return false
}
