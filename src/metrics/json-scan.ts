// Reading JSON out of a window of a reply body (usage-sniffer.ts) without guessing: only
// complete JSON values are parsed — a whole body, an SSE event's data, or the one object that
// follows a given key. Anything cut by the window edge is skipped, never repaired.

/**
 * Searching for `"key"` as is is slow: string search scans for the needle's first character,
 * and `"` is every few bytes of JSON (8 KiB took ~8 µs, against ~0.7 µs for `key"`). So the key
 * is searched without its opening quote, which is checked after.
 */
const QUOTE = 0x22

/**
 * The parsed `data` of each SSE `data:` line in `bytes` that contains the JSON key `key`, in
 * order. Found by searching the bytes rather than splitting every line: parsing or even
 * splitting every event of a stream would cost more than proxying it, and only the lines that
 * match are decoded. Every server of the four dialects writes an event's JSON on one `data:`
 * line, so a line is an event's data. Data that is not JSON is skipped. The caller passes only
 * complete lines.
 */
export function sseData (bytes: Buffer, key: string): unknown[] {
  const out: unknown[] = []
  const needle = key + '"'
  let from = 0
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, from)) {
    if (bytes[at - 1] !== QUOTE) { from = at + 1; continue }
    const start = lineStart(bytes, at)
    let end = bytes.indexOf(NEWLINE, at)
    if (end === -1) end = bytes.length
    from = end
    const line = bytes.toString('utf8', start, bytes[end - 1] === CR ? end - 1 : end)
    if (!line.startsWith('data:')) continue
    const value = parseOrUndefined(line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5))
    if (value !== undefined) out.push(value)
  }
  return out
}

const NEWLINE = 0x0a
const CR = 0x0d

/** Where the line holding `at` starts: after a LF or a lone CR. */
function lineStart (bytes: Buffer, at: number): number {
  let i = at
  while (i > 0) {
    const c = bytes[i - 1]
    if (c === NEWLINE || c === CR) break
    i--
  }
  return i
}

export function parseOrUndefined (text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Index just past the object that opens at `start` (`text[start] === '{'`), or -1 if it is cut. */
export function objectEnd (text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x7b || c === 0x5b) {
      depth++
    } else if (c === 0x7d || c === 0x5d) {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return -1
}

/** How many occurrences of the key are tried, from the last one back: keeps the cost bounded. */
const MAX_KEY_TRIES = 16

/**
 * The last object value of `"key":` in `text` that `accept` turns into a result. In valid JSON an
 * unescaped `"key":` can only be an object key (quotes inside strings are escaped), so this reads
 * the usage object at the end of a reply too large to parse whole.
 */
export function lastObjectAfterKey<T> (text: string, key: string, accept: (value: unknown) => T | undefined): T | undefined {
  const needle = key + '":'
  let at = text.lastIndexOf(needle)
  for (let tries = 0; at !== -1 && tries < MAX_KEY_TRIES; tries++) {
    if (text.charCodeAt(at - 1) !== QUOTE) { at = at === 0 ? -1 : text.lastIndexOf(needle, at - 1); continue }
    let start = at + needle.length
    while (start < text.length && /\s/.test(text[start] as string)) start++
    if (text.charCodeAt(start) === 0x7b) {
      const end = objectEnd(text, start)
      if (end !== -1) {
        const result = accept(parseOrUndefined(text.slice(start, end)))
        if (result !== undefined) return result
      }
    }
    at = at === 0 ? -1 : text.lastIndexOf(needle, at - 1)
  }
  return undefined
}
