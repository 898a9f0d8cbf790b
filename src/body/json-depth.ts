// How deeply a JSON text nests, read off its bytes. JSON.parse copes with any depth, but what
// comes after does not: JSON.stringify, the token estimate and the dialect converters recurse,
// and throw RangeError (a 500) from about 4,100 levels. No request has a reason to nest past a
// few dozen; the limit is checked once, as the body is read.

/** Deeper bodies are refused. Tool schemas nest about ten levels, conversations five. */
export const MAX_JSON_DEPTH = 256

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_OBJECT = 0x7b
const OPEN_ARRAY = 0x5b
const CLOSE_OBJECT = 0x7d
const CLOSE_ARRAY = 0x5d

/** Whether `bytes` (JSON text) opens more than `max` objects/arrays inside each other. */
export function nestsDeeperThan (bytes: Uint8Array, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (inString) {
      if (b === BACKSLASH) i++
      else if (b === QUOTE) inString = false
    } else if (b === QUOTE) {
      inString = true
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (++depth > max) return true
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      depth--
    }
  }
  return false
}
