/**
 * A failure as every dialect can render it (PROTOCOLS.md §6.11). `kind` picks the envelope's
 * type/status word; `status` is the HTTP status to send (the upstream's, when there was one).
 */
export type ErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'server_error'
  | 'overloaded'
  | 'timeout'

export interface CanonicalError {
  readonly kind: ErrorKind
  readonly status: number
  readonly message: string
  /** JSON path of the offending request field, for 400s. */
  readonly param?: string
  /** Seconds, as the upstream sent it in `retry-after`. */
  readonly retryAfter?: string
}

/** The HTTP status a kind implies, for errors that arrive without one (mid-stream). */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limit: 429,
  server_error: 500,
  overloaded: 503,
  timeout: 504,
}

/** The kind a bare HTTP status implies when nothing more specific is known. */
export function errorKindForStatus (status: number): ErrorKind {
  switch (status) {
    case 400: case 422: return 'invalid_request'
    case 401: return 'authentication'
    case 403: return 'permission'
    case 404: return 'not_found'
    case 413: return 'request_too_large'
    case 429: return 'rate_limit'
    case 503: case 529: return 'overloaded'
    case 504: return 'timeout'
    default: return status >= 500 ? 'server_error' : 'invalid_request'
  }
}
