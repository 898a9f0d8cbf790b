// Skipping JSON.parse for the stream's common event (issue 8: parsing each upstream event was a
// third to a half of the translator's CPU). A backend sends the same JSON for every delta of a
// block but for the string it carries: `{…"delta":{"content":"` + text + `"}…}`. Once a stream
// decoder has parsed such an event, it learns the text before that string (the prefix) and
// after it (the suffix); an event that starts with the prefix, ends with the suffix and holds a
// valid JSON string body between them parses to the learnt event with only that string changed,
// so the decoder takes the string without parsing the rest.
//
// Sound by construction, not by the upstream's layout: the cut is checked once by parsing the
// prefix and suffix around a marker and asking the decoder which string it would read (it must
// be the marker), so the string token starts exactly where the prefix ends. Any other layout —
// keys reordered, whitespace, a field that changes per event (OpenAI's `obfuscation`, usage on
// every chunk) — misses and is parsed in full. Learning costs one extra parse and is tried a
// few times per stream, so a stream that always misses pays a prefix compare per event.

/** A string value the probe can recognise; it has no quote, backslash or control character. */
const MARKER = 'sw\u2063y\u2063marker'
const MAX_LEARNS = 4
/** Events longer than this are not learnt (the prefix and suffix stay small). */
const MAX_TEMPLATE_CHARS = 4096

/** Parses a candidate event; returns the string the decoder would take from it, if its class is the template's. */
export type SlotProbe = (candidate: string) => string | undefined

export class DeltaTemplate {
  #prefix = ''
  #suffix = ''
  #learns = 0

  /**
   * The string in the slot when `data` is the learnt event with another non-empty string there;
   * undefined otherwise (the caller parses in full).
   */
  match (data: string): string | undefined {
    const prefix = this.#prefix
    if (prefix === '') return undefined
    const end = data.length - this.#suffix.length
    // Equality of slices compares memory; startsWith went char by char (8x slower for 120 chars).
    if (end <= prefix.length || data.slice(0, prefix.length) !== prefix || data.slice(end) !== this.#suffix) return undefined
    const body = data.slice(prefix.length, end)
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i)
      if (c === 0x22 || c === 0x5c || c < 0x20) return unescaped(body)
    }
    // A copy, as JSON.parse would give: encoders and accumulators keep deltas, and a slice would
    // keep the whole socket read it was cut from for as long.
    return flat(body)
  }

  /** Whether `learn` would still try (a stream has a few tries). */
  get learning (): boolean {
    return this.#learns < MAX_LEARNS
  }

  /**
   * Learns from `data`, an event the decoder just parsed whose slot holds a string after the key
   * `key`; `probe` re-reads a candidate event as the decoder would. Does nothing once the
   * stream has used its learns.
   */
  learn (data: string, key: string, probe: SlotProbe): void {
    if (this.#learns >= MAX_LEARNS || data.length > MAX_TEMPLATE_CHARS || data.includes(MARKER)) return
    this.#learns++
    this.#prefix = ''
    const start = stringAfterKey(data, key)
    if (start < 0) return
    const end = closingQuote(data, start)
    if (end < 0) return
    const prefix = data.slice(0, start)
    const suffix = data.slice(end)
    if (probed(probe, prefix + MARKER + suffix) !== MARKER) return
    // Flat copies: slices would keep the whole socket read they were cut from.
    this.#prefix = flat(prefix)
    this.#suffix = flat(suffix)
  }
}

/** A candidate cut in the wrong place may not be JSON at all: that is a miss, not the stream's failure. */
function probed (probe: SlotProbe, candidate: string): string | undefined {
  try {
    return probe(candidate)
  } catch {
    return undefined
  }
}

/** A JSON string body with escapes (or an unescaped quote, which makes it no string body) decoded, if it is one. */
function unescaped (body: string): string | undefined {
  try {
    const value = JSON.parse('"' + body + '"') as string
    return value === '' ? undefined : value
  } catch {
    return undefined
  }
}

/** Where the string value of the first `"key": "` begins (after its opening quote), or -1. */
function stringAfterKey (data: string, key: string): number {
  const quoted = '"' + key + '"'
  let at = data.indexOf(quoted)
  while (at >= 0) {
    let i = skipSpace(data, at + quoted.length)
    if (data.charCodeAt(i) === 0x3a) {
      i = skipSpace(data, i + 1)
      if (data.charCodeAt(i) === 0x22) return i + 1
    }
    at = data.indexOf(quoted, at + 1)
  }
  return -1
}

function skipSpace (data: string, i: number): number {
  while (i < data.length) {
    const c = data.charCodeAt(i)
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break
    i++
  }
  return i
}

/** The index of the quote closing the string whose body starts at `start`, or -1. */
function closingQuote (data: string, start: number): number {
  for (let i = start; i < data.length; i++) {
    const c = data.charCodeAt(i)
    if (c === 0x5c) i++
    else if (c === 0x22) return i
  }
  return -1
}

/** `text` in a string of its own (V8 copies slices shorter than 13 characters anyway). */
function flat (text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1)
}
