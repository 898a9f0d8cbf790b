// The client key as each dialect's SDK presents it: `Authorization: Bearer` (openai SDK, Codex,
// Claude Code with an auth token), `x-api-key` (Anthropic SDK), `x-goog-api-key`
// (@google/genai), `api-key` (Azure OpenAI clients) and `?key=` (Gemini REST). Every presented
// value is returned, not just the first: a request may carry an ingress's own bearer token
// next to the client's `x-api-key`, and the key is valid when any of them matches.
import type { IncomingHttpHeaders } from 'node:http'

const KEY_HEADERS = ['x-api-key', 'x-goog-api-key', 'api-key'] as const
const BEARER = /^bearer\s+(\S+)\s*$/i

function bearerToken (value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  return BEARER.exec(value)?.[1]
}

/** `?key=` from a raw query string (no `?`); the cheap `includes` spares the common case. */
function queryKey (query: string): string | undefined {
  if (!query.includes('key=')) return undefined
  return new URLSearchParams(query).get('key') ?? undefined
}

/** The distinct non-empty credentials a request presents, in no meaningful order. */
export function presentedKeys (headers: IncomingHttpHeaders, query: string): string[] {
  const found: string[] = []
  const add = (value: string | undefined): void => {
    if (value !== undefined && value.length > 0 && !found.includes(value)) found.push(value)
  }
  add(bearerToken(headers.authorization))
  for (const name of KEY_HEADERS) {
    const value = headers[name]
    add(typeof value === 'string' ? value.trim() : undefined)
  }
  add(queryKey(query))
  return found
}
