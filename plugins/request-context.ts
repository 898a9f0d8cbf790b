// Per-request state, one object with every field declared up front (stable shape; STYLE.md
// §2.8): never add ad-hoc properties to `request`.
import type { ClientKeyConfig } from '../src/config/schema.js'
import type { ClientOperation } from '../src/dialects/types.js'
import { RequestSignal } from '../src/http/request-signal.js'
import type { Candidate, RoutePlan } from '../src/routing/match.js'
import type { Backend } from '../src/upstream/backend.js'

export type BodyNeed = 'parse' | 'bytes' | 'none'

export class RequestContext {
  /** Path without the query string, as the client sent it. */
  readonly path: string
  /** Query string without the `?`, '' when there is none. */
  readonly query: string
  /** Aborted when the client goes away before the reply is complete, or on the deadline. */
  readonly signal = new RequestSignal()
  plan: Extract<RoutePlan, { kind: 'needs-model' }> | null = null
  backend: Backend | null = null
  /** The path with the matched backend's prefix stripped. */
  backendPath = ''
  /** The client's dialect operation, when the path is one of the dialect endpoints. */
  operation: ClientOperation | null = null
  /**
   * What the body plugin must do with the body: read and parse it, read its bytes only, or
   * neither (plugins/body.ts; a small one is read all the same).
   */
  bodyNeed: BodyNeed = 'none'
  /** The raw body bytes, when read. */
  body: Buffer | null = null
  /** The parsed JSON body, when read and parsed (`bodyNeed` 'parse'). */
  json: unknown = undefined
  /** The model the client asked for, when known. */
  model: string | undefined = undefined
  /** The authenticated client key (auth plugin); null when auth is off. Never log `key`. */
  clientKey: ClientKeyConfig | null = null
  /** `performance.now()` when the request arrived, and when its first response byte was sent (0 until then). */
  readonly startedAt: number = performance.now()
  firstByteAt = 0
  /** See UpstreamTiming (src/upstream/attempts.ts). */
  upstreamAt = 0
  upstreamReadyAt = 0
  /** True when the reply is a stream (SSE or Gemini's JSON array). */
  streamed = false
  /** True when the reply's body failed after its head went out (an upstream that died mid-passthrough). */
  replyBodyFailed = false
  /** The backend that finally answered (after retries and fallback), when it differs from `backend`. */
  answeredBy: Backend | null = null

  constructor (url: string) {
    const q = url.indexOf('?')
    this.path = q === -1 ? url : url.slice(0, q)
    this.query = q === -1 ? '' : url.slice(q + 1)
  }

  route (candidate: Candidate, backend: Backend, operation: ClientOperation | undefined): void {
    this.plan = null
    this.backend = backend
    this.backendPath = candidate.path
    this.operation = operation ?? null
  }
}
