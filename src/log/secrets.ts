// The secrets this process knows (client keys, backend keys, secret-valued backend headers), and
// a scrub that replaces each of them wherever it appears in text. The logger scrubs every line
// with its own copy (src/log/options.ts); this one serves what leaves the process by other
// ways: error replies an upstream wrote (an upstream may echo the key it was sent), bodies cut
// for the log (scrubbed before the cut, so no piece of a key survives it), metric labels.
// Process-wide on purpose: a secret is a secret for every app in the process, and scrubbing one
// more value than needed is harmless.
import { REDACTED } from './options.js'

/** Shorter values would mangle ordinary words (the logger uses the same floor). */
const MIN_SECRET_LENGTH = 6

const known = new Set<string>()
/** Every form a secret can take in text we pass on: raw, JSON-escaped, URL-encoded; longest first. */
let forms: string[] = []

export function registerSecrets (secrets: readonly string[]): void {
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) known.add(s)
  const all = new Set<string>()
  for (const s of known) {
    all.add(s)
    all.add(JSON.stringify(s).slice(1, -1))
    all.add(encodeURIComponent(s))
  }
  forms = [...all].sort((a, b) => b.length - a.length)
}

/** `text` with every known secret replaced by `[REDACTED]`. */
export function scrubKnownSecrets (text: string): string {
  let out = text
  for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED)
  return out
}

/** Whether `text` holds any known secret. */
export function holdsKnownSecret (text: string): boolean {
  for (const f of forms) if (text.includes(f)) return true
  return false
}
