/**
 * Strip `prefix` from `path` when it matches on a segment boundary: `/openai` matches
 * `/openai` and `/openai/v1/...` but not `/openaix`. Returns the remaining path (at least `/`),
 * or `undefined` when the prefix does not apply. `path` carries no query string.
 */
export function stripPrefix (path: string, prefix: string): string | undefined {
  if (!path.startsWith(prefix)) return undefined
  if (path.length === prefix.length) return '/'
  return path.charCodeAt(prefix.length) === 47 /* '/' */ ? path.slice(prefix.length) : undefined
}
