// One table from transport failures to the SPEC's upstream error kinds (the
// `switchyard_upstream_errors_total{kind}` label) and the error the client sees.
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
