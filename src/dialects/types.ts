/**
 * The Dialect contract (STYLE.md §2.4). A dialect folder holds everything about one wire format;
 * the registry maps the config `protocol` string to it. Encoders and decoders are synchronous
 * state machines that push into a sink: they never touch streams, sockets, timers or loggers.
 */
import type { CanonicalError } from '../canonical/error.js'
import type { CanonicalEvent } from '../canonical/events.js'
import type { CanonicalRequest } from '../canonical/request.js'
import type { CanonicalResponse } from '../canonical/response.js'
import type { SseFrame } from '../sse/frame.js'
import type { BackendProtocol } from '../config/schema.js'
import type { ModelInfo } from '../routing/models.js'

export type DialectId = BackendProtocol
/** The four dialects a client can speak. */
export type ClientDialectId = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini'

/** What the client asked for, read off the method and the path (after prefix stripping). */
export interface ClientOperation {
  readonly dialect: ClientDialectId
  /** e.g. `chat`, `messages`, `count-tokens`, `generate`, `models`. */
  readonly operation: string
  /** Gemini carries the model in the path; the others in the body. */
  readonly pathModel?: string
  /** Gemini `:streamGenerateContent`: streaming chosen by the path, not the body. */
  readonly pathStream?: boolean
}

export type FrameSink = (frame: SseFrame) => void
export type EventSink = (event: CanonicalEvent) => void

export interface StreamEncoder {
  /**
   * Called once, as soon as the upstream answered and before its first event: dialects whose
   * clients give up on a silent connection (Codex, ~5 s) send their opening events here.
   */
  open? (out: FrameSink): void
  push (event: CanonicalEvent, out: FrameSink): void
  end (out: FrameSink): void
}

export interface StreamDecoder {
  push (frame: SseFrame, out: EventSink): void
  end (out: EventSink): void
}

export interface RenderedError {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/** The half of a dialect that faces clients. */
export interface ClientSide {
  /** Recognise one of this dialect's endpoints; `undefined` for any other path. */
  matchOperation (method: string, path: string): ClientOperation | undefined
  /** The model a request names, cheaply, for routing (`undefined` when absent). */
  modelOf (body: unknown, op: ClientOperation): string | undefined
  /** Decode a parsed body; throws `SWY_ERR_CONVERT_*` naming the field path. */
  decodeRequest (body: unknown, op: ClientOperation): CanonicalRequest
  encodeResponse (response: CanonicalResponse, request: CanonicalRequest): unknown
  createStreamEncoder (request: CanonicalRequest, framing?: StreamFraming): StreamEncoder
  /**
   * How a stream is framed for this request's query: Gemini without `alt=sse` streams one JSON
   * array (PROTOCOLS.md §4.1). Absent means SSE.
   */
  streamFraming? (query: string): StreamFraming
  renderError (error: CanonicalError, requestId?: string): RenderedError
  /**
   * Same-dialect passthrough: a body that carries Switchyard signature envelopes (minted when an
   * earlier turn went to another family) with them restored or dropped; `undefined` when none.
   * Dialects whose bodies can carry envelopes implement it; the body is then read, not streamed.
   */
  restoreSignatures? (body: unknown): unknown
  /** `GET /v1/models` in this dialect's list shape, for dialects that serve that path. */
  encodeModelList? (models: readonly ModelInfo[]): unknown
  /** A token-count reply in this dialect's shape (Anthropic `{input_tokens}`, Gemini `{totalTokens}`). */
  encodeCountTokens? (tokens: number): unknown
}

/** `sse`: `data:` frames (every dialect); `json-array`: `[{…},{…}]` frames written raw (Gemini). */
export type StreamFraming = 'sse' | 'json-array'

/** Per-backend settings a backend encoder may need (from the backend's config entry). */
export interface BackendOptions {
  /** The upstream model name (after the backend's `model`/`models` mapping). */
  readonly model: string
  /** `max_tokens` to send when the client sent none and the dialect requires one (Anthropic). */
  readonly defaultMaxTokens: number
  /** Cap on the output tokens asked of this backend, when configured. */
  readonly maxOutputTokens?: number
  /** Responses backends (Codex-style): instructions the upstream requires on every request. */
  readonly instructions?: string
  /** The upstream only streams: whole replies are assembled from its stream. */
  readonly forceStream?: boolean
  /** Responses backends: `include` values sent on every request. */
  readonly include?: readonly string[]
}

/** One HTTP call to a backend, relative to its configured `url` (base path included). */
export interface UpstreamCall {
  readonly method: 'POST' | 'GET' | 'DELETE'
  /** e.g. `/chat/completions`, `/messages`, `/models/gemini-2.5-pro:streamGenerateContent`. */
  readonly path: string
  /** Query string without `?`, or ''. */
  readonly query: string
  /** JSON body, serialised once by the caller; absent for GET. */
  readonly body?: unknown
  /** Extra headers this call needs (lower-case names), on top of the backend's credentials. */
  readonly headers?: Readonly<Record<string, string>>
}

/** The half of a dialect that talks to upstream servers speaking it. */
export interface BackendSide {
  /**
   * Encode a canonical request for this backend. Throws `SWY_ERR_CONVERT_*` naming the field when
   * the request cannot be represented (never a half-converted forward). Streaming requests ask
   * the upstream for usage too (§6.12).
   */
  encodeRequest (request: CanonicalRequest, options: BackendOptions): UpstreamCall
  /** A non-streamed upstream reply (parsed JSON) → canonical. Throws `SWY_ERR_UPSTREAM_PROTOCOL`. */
  decodeResponse (body: unknown, request: CanonicalRequest): CanonicalResponse
  /** One decoder per upstream stream: SSE frames → canonical events (invariants in canonical/events.ts). */
  createStreamDecoder (request: CanonicalRequest): StreamDecoder
  /** An upstream error reply (status, parsed JSON body or undefined, headers) → canonical error. */
  parseError (status: number, body: unknown, retryAfter: string | undefined): CanonicalError
  /** Token counting, when this dialect's servers offer it (Anthropic `count_tokens`, Gemini `countTokens`). */
  countTokens? (request: CanonicalRequest, options: BackendOptions): UpstreamCall
  /** The count out of a `countTokens` reply. */
  decodeCountTokens? (body: unknown): number
  /** A failure reported in a 2xx JSON body (Coze answers `{code≠0,msg}` with HTTP 200). */
  jsonError? (body: unknown): CanonicalError | undefined
}

export interface Dialect {
  readonly id: DialectId
  readonly client?: ClientSide
  readonly backend?: BackendSide
}
