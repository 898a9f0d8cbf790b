// Each dialect puts its own prefix on the id the backend produced (`chatcmpl-`, `resp_`, `msg_`),
// deterministically, so a response's ids are stable and derivable from CanonicalResponse.id.
const KNOWN_PREFIXES = ['chatcmpl-', 'resp_', 'msg_'] as const

/** The opaque part of an id: `chatcmpl-abc` → `abc`, `msg_01X` → `01X`, anything else as is. */
export function idBody (id: string): string {
  for (const prefix of KNOWN_PREFIXES) {
    if (id.length > prefix.length && id.startsWith(prefix)) return id.slice(prefix.length)
  }
  return id
}
