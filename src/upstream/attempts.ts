// One backend's attempts at a request: pick a key, send, and retry retryable failures within the
// backend's `retries` (policy in ./retry.ts, key rotation in ./key-pool.ts). Everything here
// happens before the client's reply is started: the caller gets the upstream's status and
// headers and decides, so a retry is never visible to the client.
//
// Counted here, once per event: every failed attempt (`upstreamError`, kind from ./classify.ts or
// `status`) and every retry (`retry`). A first attempt that succeeds costs one key pick and the
// loop's first turn — nothing is allocated for the retry machinery until something fails.
import type { RequestSignal } from '../http/request-signal.js'
import type { Dispatcher } from 'undici'
import { UpstreamTimeout } from '../errors/codes.js'
import type { Recorder } from '../metrics/recorder.js'
import type { Backend } from './backend.js'
import { classifyTransportError, isDeadline, type ClassifiedFailure } from './classify.js'
import { backoffDelayMs, isRetryableStatus, MAX_RETRY_AFTER_MS, pause, retryAfterMs } from './retry.js'

/** Where the loop reports; a request logger fits. */
export interface AttemptLog {
  warn (fields: object, message: string): void
}

/**
 * When a request's upstream work began and ended, for the `x-switchyard-overhead-ms` header
 * (plugins/context.ts): the first attempt's send, and the moment the reply was in hand (its
 * headers for a stream; the whole body, stamped by the reader, for a reply read whole).
 * `performance.now()` values, 0 until set.
 */
export interface UpstreamTiming {
  upstreamAt: number
  upstreamReadyAt: number
}

export interface AttemptContext {
  readonly recorder: Recorder
  /** The request's signal: client gone or deadline passed. */
  readonly signal: RequestSignal
  readonly log: AttemptLog
  readonly timing?: UpstreamTiming
}

/** One attempt: send with this key's credential headers. */
export type SendAttempt = (credentials: Readonly<Record<string, string>>) => Promise<Dispatcher.ResponseData>

export type Attempted =
  /** The upstream answered: a success, a status not worth retrying, or the last retryable one. */
  | { readonly kind: 'response', readonly res: Dispatcher.ResponseData }
  /** The last attempt failed in transport (connect, timeout), or the request deadline passed. */
  | { readonly kind: 'transport', readonly failure: ClassifiedFailure }
  /** The client went away: nobody to answer. */
  | { readonly kind: 'aborted' }

const ABORTED: Attempted = { kind: 'aborted' }

/** The request's signal fired: the deadline is a timeout failure, a client gone is nothing. */
function stopped (backend: Backend, ctx: AttemptContext, cause: unknown, duringCall: boolean): Attempted {
  if (!isDeadline(ctx.signal)) return ABORTED
  if (duringCall) ctx.recorder.upstreamError(backend.name, 'timeout')
  return { kind: 'transport', failure: { kind: 'timeout', error: new UpstreamTimeout(backend.name, { cause }) } }
}

/** Read and drop a failed attempt's body, so its connection goes back to the pool. */
export function discardBody (res: Dispatcher.ResponseData): void {
  res.body.dump().catch(() => {})
}

/**
 * Send to `backend`, retrying up to `retries` times. `retries` is 0 when the request body is a
 * stream that cannot be sent twice. Throws only what `send` throws that is not a transport
 * failure (a request body over the limit).
 */
export async function sendWithRetries (backend: Backend, retries: number, send: SendAttempt, ctx: AttemptContext): Promise<Attempted> {
  const keys = backend.keys
  // A fallback's attempts are upstream time too: only the very first send is stamped.
  if (ctx.timing !== undefined && ctx.timing.upstreamAt === 0) ctx.timing.upstreamAt = performance.now()
  for (let attempt = 0; ; attempt++) {
    const key = keys.pick()
    let res: Dispatcher.ResponseData
    try {
      res = await send(backend.credentials[key] as Readonly<Record<string, string>>)
    } catch (err) {
      if ((err as { code?: unknown }).code === 'SWY_ERR_BODY_TOO_LARGE') throw err
      if (ctx.signal.aborted) return stopped(backend, ctx, err, true)
      const failure = classifyTransportError(backend.name, err)
      ctx.recorder.upstreamError(backend.name, failure.kind)
      if (attempt >= retries) return { kind: 'transport', failure }
      const delayMs = backoffDelayMs(attempt)
      ctx.log.warn({ backend: backend.name, attempt: attempt + 1, kind: failure.kind, delayMs }, 'upstream attempt failed, retrying')
      if (!await pause(delayMs, ctx.signal)) return stopped(backend, ctx, err, false)
      ctx.recorder.retry(backend.name)
      continue
    }
    if (ctx.timing !== undefined) ctx.timing.upstreamReadyAt = performance.now()
    const status = res.statusCode
    if (status < 400) {
      keys.succeeded(key)
      return { kind: 'response', res }
    }
    ctx.recorder.upstreamError(backend.name, 'status')
    const delayMs = retryDelay(backend, key, status, res.headers['retry-after'], attempt)
    if (delayMs === undefined || attempt >= retries) return { kind: 'response', res }
    discardBody(res)
    ctx.log.warn({ backend: backend.name, attempt: attempt + 1, status, delayMs }, 'upstream attempt failed, retrying')
    if (!await pause(delayMs, ctx.signal)) return stopped(backend, ctx, undefined, false)
    ctx.recorder.retry(backend.name)
  }
}

/**
 * How long to wait before retrying after an error status; `undefined`: do not retry. A 429 or 401
 * parks the key; when another key is ready, the retry goes to it at once (the limit or the
 * refusal was the key's). A 401 is retried only then: with the same key it would fail again.
 */
function retryDelay (backend: Backend, key: number, status: number, header: string | string[] | undefined, attempt: number): number | undefined {
  const retryable = isRetryableStatus(status)
  const after = retryable ? retryAfterMs(header) : undefined
  if (status === 429 || status === 401) {
    backend.keys.cool(key, status === 429 ? after : undefined)
    if (backend.keys.hasReadyOther(key)) return 0
  }
  if (!retryable) return undefined
  const delay = after ?? backoffDelayMs(attempt)
  return delay > MAX_RETRY_AFTER_MS ? undefined : delay
}

/**
 * One backend's part in a request with fallbacks: it answered the client (success, or an error
 * no other backend would change), or it failed in a way the next backend may fix.
 */
export type TargetOutcome<R> =
  | { readonly kind: 'answered', readonly reply: R }
  | { readonly kind: 'failed', readonly failure: FallbackFailure<R> }

export interface FallbackFailure<R> {
  /** Answer the client with this failure (the last one, when no fallback did better). */
  relay (): Promise<R>
  /** Drop it: a later backend is answering. */
  discard (): void
}

/** A transport failure as a fallback failure: relayed by throwing it to the error handler. */
export function transportFailure<R> (failure: ClassifiedFailure): TargetOutcome<R> {
  return { kind: 'failed', failure: { relay: () => Promise.reject(failure.error), discard: () => {} } }
}
