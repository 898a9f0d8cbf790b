// Where a request goes upstream. A backend `url` carries its own version base (`/v1`,
// `/v1beta`, `/api/paas/v4`), and so do client paths (`/v1/chat/completions`): the client's
// leading version segment is replaced by the backend's base, so `/v1/embeddings` against
// `https://host/api/paas/v4` goes to `/api/paas/v4/embeddings`.

const VERSION_SEGMENTS = ['/v1beta/', '/v1alpha/', '/v1/']

export function upstreamPath (basePath: string, clientPath: string): string {
  let rest = clientPath
  for (const segment of VERSION_SEGMENTS) {
    if (clientPath.startsWith(segment)) { rest = clientPath.slice(segment.length - 1); break }
  }
  const base = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath
  return base + rest
}

/** A converted call's path (`UpstreamCall.path`, already relative to the backend URL) under its base path. */
export function callPath (basePath: string, path: string): string {
  return (basePath.endsWith('/') ? basePath.slice(0, -1) : basePath) + path
}

/**
 * The query string to forward: the client's, minus `key` (Gemini's API-key parameter is a
 * client credential). Returns '' or a string starting with '?'.
 */
export function upstreamQuery (rawQuery: string): string {
  if (rawQuery === '') return ''
  if (!rawQuery.includes('key=')) return '?' + rawQuery
  const params = new URLSearchParams(rawQuery)
  params.delete('key')
  const kept = params.toString()
  return kept === '' ? '' : '?' + kept
}
