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
  createStreamEncoder (request: CanonicalRequest): StreamEncoder
  renderError (error: CanonicalError, requestId?: string): RenderedError
}

export interface Dialect {
  readonly id: DialectId
  readonly client?: ClientSide
}
