// What the request path reports to the metrics plugin (SPEC.md "Metrics"). The handlers and the
// upstream client call these; the metrics plugin implements them with prom-client. The no-op
// recorder keeps the hot path free of checks when metrics are not wired (unit tests).
import type { Usage } from '../canonical/usage.js'

/** SPEC label values of `switchyard_upstream_errors_total{kind}`. */
export type UpstreamErrorKind = 'connect' | 'timeout' | 'status' | 'protocol'

export interface Recorder {
  /** One upstream failure: transport (connect/timeout), an error status, or a malformed reply. */
  upstreamError (backend: string, kind: UpstreamErrorKind): void
  /** One retry of a request to `backend` (not the first attempt). */
  retry (backend: string): void
  /** One request refused by the rate limiter, by client key name (or `ip` without auth). */
  rateLimited (key: string): void
  /** Tokens of one response, streamed or not, in any dialect. */
  tokens (backend: string, model: string, usage: Usage): void
  /** A streamed reply started; `streamClosed` is called exactly once for each, however it ends. */
  streamOpened (backend: string): void
  streamClosed (backend: string): void
}

export const NO_METRICS: Recorder = {
  upstreamError () {},
  retry () {},
  rateLimited () {},
  tokens () {},
  streamOpened () {},
  streamClosed () {},
}
