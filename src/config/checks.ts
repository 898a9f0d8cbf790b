// Rules the JSON Schema cannot express: cross-references between backends and keys, uniqueness,
// URL and path shapes. Runs on the raw document even when the schema failed, so one pass
// reports everything; every read is guarded because nothing about the shape is known here.
import { isRecord, type FieldPath, type Problem } from './path.js'
import { BACKEND_PROTOCOLS } from './schema.js'

// RFC 9110 §5.6.2 token: undici rejects anything else at request time, we reject it at boot.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/

const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : [])
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

export function checkSemantics (raw: unknown): Problem[] {
  if (!isRecord(raw)) return []
  const problems: Problem[] = []
  const backends = list(raw.backends)
  const names = new Set(backends.map(b => (isRecord(b) ? text(b.name) : undefined)).filter(n => n !== undefined))
  checkUnique(backends, 'name', ['backends'], name => `duplicate backend name "${name}"`, problems)
  backends.forEach((backend, i) => {
    if (isRecord(backend)) checkBackend(backend, ['backends', i], names, problems)
  })
  checkSingleDefault(backends, problems)
  checkAuth(raw.auth, names, problems)
  return problems
}

function checkBackend (backend: Record<string, unknown>, path: FieldPath, names: ReadonlySet<string>, problems: Problem[]): void {
  const protocol = BACKEND_PROTOCOLS.find(p => p === backend.protocol) // unknown ones: the schema's job
  const url = backend.url
  if (url === undefined && protocol !== undefined && protocol !== 'mock') {
    problems.push({ path: [...path, 'url'], message: `is required for protocol "${protocol}"` })
  } else if (typeof url === 'string' && !isHttpUrl(url)) {
    problems.push({ path: [...path, 'url'], message: 'must be an absolute http(s) URL' })
  }
  checkFallback(backend, path, names, problems)
  checkHeaderNames(backend.headers, [...path, 'headers'], problems)
  if (isRecord(backend.headers)) {
    for (const [name, value] of Object.entries(backend.headers)) {
      if (typeof value === 'string' && HEADER_VALUE_FORBIDDEN.test(value)) {
        problems.push({ path: [...path, 'headers', name], message: 'must not contain CR, LF or NUL' })
      }
    }
  }
  if (isRecord(backend.match)) {
    const prefix = text(backend.match.pathPrefix)
    const why = prefix === undefined ? undefined : pathPrefixProblem(prefix)
    if (why !== undefined) problems.push({ path: [...path, 'match', 'pathPrefix'], message: why })
    checkHeaderNames(backend.match.headers, [...path, 'match', 'headers'], problems)
  }
}

function isHttpUrl (value: string): boolean {
  // The prefix test matters: WHATWG parsing accepts `https:host` as if it were `https://host`.
  if (!/^https?:\/\//i.test(value)) return false
  try {
    return new URL(value).hostname !== ''
  } catch {
    return false
  }
}

/** The leading `/` is the schema's job; the rest keeps prefix matching on segment boundaries sane. */
function pathPrefixProblem (prefix: string): string | undefined {
  if (prefix === '/') return 'must not be "/" (leave pathPrefix out to match every path)'
  if (prefix.endsWith('/')) return 'must not end with "/"'
  if (prefix.includes('?') || prefix.includes('#')) return 'must not contain "?" or "#"'
  return undefined
}

function checkFallback (backend: Record<string, unknown>, path: FieldPath, names: ReadonlySet<string>, problems: Problem[]): void {
  const seen = new Set<string>()
  list(backend.fallback).forEach((target, j) => {
    if (typeof target !== 'string') return
    const at = [...path, 'fallback', j]
    if (target === backend.name) problems.push({ path: at, message: 'a backend cannot fall back to itself' })
    else if (!names.has(target)) problems.push({ path: at, message: `unknown backend "${target}"` })
    else if (seen.has(target)) problems.push({ path: at, message: `"${target}" is listed twice` })
    seen.add(target)
  })
}

function checkHeaderNames (headers: unknown, path: FieldPath, problems: Problem[]): void {
  if (!isRecord(headers)) return
  for (const name of Object.keys(headers)) {
    if (!HEADER_NAME.test(name)) problems.push({ path: [...path, name], message: 'is not a valid HTTP header name' })
  }
}

function checkSingleDefault (backends: readonly unknown[], problems: Problem[]): void {
  let first: string | undefined
  backends.forEach((backend, i) => {
    if (!isRecord(backend) || !isRecord(backend.match) || backend.match.default !== true) return
    if (first === undefined) first = text(backend.name) ?? `backends[${i}]`
    else problems.push({ path: ['backends', i, 'match', 'default'], message: `backend "${first}" is already the default` })
  })
}

function checkAuth (auth: unknown, names: ReadonlySet<string>, problems: Problem[]): void {
  if (!isRecord(auth) || !Array.isArray(auth.keys)) return
  const keys: readonly unknown[] = auth.keys
  if (keys.length === 0) {
    problems.push({ path: ['auth', 'keys'], message: 'must not be empty (leave auth out to turn client auth off)' })
    return
  }
  checkUnique(keys, 'name', ['auth', 'keys'], name => `duplicate key name "${name}"`, problems)
  // Never print the key itself: point at the entry that holds the same value.
  checkUnique(keys, 'key', ['auth', 'keys'], (_key, first) => `same key as auth.keys[${first}]`, problems)
  keys.forEach((key, i) => {
    if (!isRecord(key)) return
    list(key.backends).forEach((backend, j) => {
      if (typeof backend === 'string' && !names.has(backend)) {
        problems.push({ path: ['auth', 'keys', i, 'backends', j], message: `unknown backend "${backend}"` })
      }
    })
  })
}

/** Flags every entry after the first whose string `field` repeats an earlier one. */
function checkUnique (
  items: readonly unknown[], field: string, path: FieldPath,
  message: (value: string, firstIndex: number) => string, problems: Problem[],
): void {
  const firstIndex = new Map<string, number>()
  items.forEach((item, i) => {
    const value = isRecord(item) ? text(item[field]) : undefined
    if (value === undefined) return
    const first = firstIndex.get(value)
    if (first === undefined) firstIndex.set(value, i)
    else problems.push({ path: [...path, i, field], message: message(value, first) })
  })
}
