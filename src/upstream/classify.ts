// One table from transport failures to the SPEC's upstream error kinds (the
// `switchyard_upstream_errors_total{kind}` label) and the error the client sees.
import type { RequestSignal } from '../http/request-signal.js'
import type { CanonicalError } from '../canonical/error.js'
import { UpstreamConnect, UpstreamTimeout } from '../errors/codes.js'

export type UpstreamErrorKind = 'connect' | 'timeout' | 'status' | 'protocol'

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'TimeoutError'])

function codeOf (err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const { code, name } = err as { code?: unknown, name?: unknown }
  if (typeof code === 'string') return code
  return typeof name === 'string' ? name : undefined
}

export interface ClassifiedFailure {
  readonly kind: UpstreamErrorKind
  readonly error: Error
}

/** A transport failure reaching `backend` (its name, never its URL credentials or key). */
export function classifyTransportError (backend: string, err: unknown): ClassifiedFailure {
  const code = codeOf(err)
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return { kind: 'timeout', error: new UpstreamTimeout(backend, { cause: err }) }
  }
  return { kind: 'connect', error: new UpstreamConnect(backend, code ?? 'connection failed', { cause: err }) }
}

/** Whether the request's signal fired for its deadline (`server.requestTimeoutMs`), not because the client left. */
export function isDeadline (signal: RequestSignal): boolean {
  return signal.aborted && (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError'
}

/**
 * The upstream body failed after the reply started (socket dropped, body timeout, deadline):
 * what the client is shown in-stream, and the metric kind. `undefined` when the request's own
 * signal fired because the client went away — not the upstream's failure.
 */
export function classifyBodyFailure (backend: string, err: unknown, signal: RequestSignal, what: 'stream' | 'reply' = 'stream'): { readonly kind: UpstreamErrorKind, readonly error: CanonicalError } | undefined {
  const deadline = isDeadline(signal)
  if (signal.aborted && !deadline) return undefined
  const kind = deadline ? 'timeout' : classifyTransportError(backend, err).kind
  if (kind === 'timeout') return { kind, error: { kind: 'timeout', status: 504, message: `backend ${backend} did not finish in time` } }
  return { kind, error: { kind: 'server_error', status: 502, message: `backend ${backend} closed the ${what} before it was complete` } }
}
