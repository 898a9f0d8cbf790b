// What Switchyard accepts as a request target (RFC 9112 §3.2): origin-form only — one leading
// `/`, no dot segments, no encoded separators. Node's parser accepts absolute-form
// (`http://host/x`), `//host/x`, `*`, `/a//b` and `/a/../b`; forwarded as they are, an upstream that
// normalises paths (nginx, WHATWG URL) would serve another path than the one routed — another
// backend's path with this backend's key — or the client would pick the upstream's virtual host.
// Checked before routing, so such a request reaches no backend.

/** `.`/`..` as a path segment, raw or percent-encoded in any case (`%2e`, `.%2E`, …). */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i
/** Encoded `/` and `\`, which some upstreams decode into separators after routing. */
const ENCODED_SEPARATOR = /%2f|%5c/i

/** Why `url` is refused, or `undefined` when it is a plain origin-form target. */
export function unsafeTarget (url: string): string | undefined {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  if (path.charCodeAt(0) !== 0x2f) return 'the request target must be a path starting with "/"'
  // `//` anywhere: after the version segment is replaced by a backend's base path, `/v1//host/x`
  // would reach a root-URL backend as `//host/x`, which a normalising upstream reads as a host.
  if (path.includes('//')) return 'the path must not contain empty segments ("//")'
  if (path.includes('\\')) return 'the path must not contain "\\"'
  // Without a `.` or a `%` there is no dot segment or encoded separator to find (the usual path).
  if (!path.includes('.') && !path.includes('%')) return undefined
  if (ENCODED_SEPARATOR.test(path)) return 'the path must not contain encoded "/" or "\\"'
  for (const segment of path.split('/')) {
    if (DOT_SEGMENT.test(segment)) return 'the path must not contain "." or ".." segments'
  }
  return undefined
}
