// The reply half of a converted request, apart from Fastify: the translator wired to its upstream
// body, the client's response and the metrics, and a whole reply read, decoded and accounted. The
// handler (plugins/handlers/convert.ts) writes a stream's head and hands over its response, or
// sends what these return.
//
// Metrics (src/metrics/recorder.ts): a streamed reply is opened/closed on the client's raw
// response; its tokens are the Translator's last usage, counted once when it closes. An
// upstream body that fails mid-stream counts as its transport kind; an invalid stream, an error
// event the upstream sent in-band, or a stream that ended without its end-of-message count as
// `protocol` — the reply started as a success and did not complete. A client that went away is
// nobody's upstream error.
import { ChunkedSink } from '../http/chunked-sink.js'
import type { RequestSignal } from '../http/request-signal.js'
import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { CanonicalError } from '../canonical/error.js'
import type { CanonicalRequest } from '../canonical/request.js'
import type { CanonicalResponse } from '../canonical/response.js'
import type { BackendOptions, BackendSide, StreamEncoder } from '../dialects/types.js'
import { UpstreamProtocol } from '../errors/codes.js'
import { logBody, logStreamedBody, type BodyLog } from '../log/bodies.js'
import type { Recorder } from '../metrics/recorder.js'
import { collectStream } from '../pipeline/collect-stream.js'
import { Translator } from '../pipeline/translator.js'
import type { UpstreamTiming } from './attempts.js'
import type { Backend } from './backend.js'
import { classifyBodyFailure, classifyTransportError } from './classify.js'
import { isEventStream } from './headers.js'
import { MAX_UPSTREAM_JSON_BYTES, parseJson, readUpstreamBody } from './read-body.js'
import { accountStream } from './stream-accounting.js'

/**
 * How long the rest of an upstream body the reply no longer needs may take to end (translate):
 * long enough for bytes already on their way, short enough that a held connection is let go at
 * once as far as anyone can tell.
 */
export const RELEASE_MS = 20

const noop = (): void => {}

/** Anthropic requires `max_tokens`; this is sent when neither client nor config chose one. */
export const DEFAULT_MAX_TOKENS = 4096

/** What the encoder needs from the backend's config, with its own model mapping applied. */
export function upstreamOptions (backend: Backend, clientModel: string): BackendOptions {
  const c = backend.config
  return {
    model: backend.mapModel(clientModel) ?? clientModel,
    defaultMaxTokens: c.defaultMaxTokens ?? DEFAULT_MAX_TOKENS,
    ...(c.maxOutputTokens === undefined ? {} : { maxOutputTokens: c.maxOutputTokens }),
    ...(c.instructions === undefined ? {} : { instructions: c.instructions }),
    ...(c.forceStream === true ? { forceStream: true } : {}),
    ...(c.include === undefined ? {} : { include: c.include }),
  }
}

/** Who answers and where it is counted. */
export interface ReplyTarget {
  readonly backend: Backend
  readonly side: BackendSide
  readonly recorder: Recorder
  readonly log: BodyLog
  readonly logBodies: boolean
  /** The request's upstream timing; stamped when a reply read whole has arrived. */
  readonly timing: UpstreamTiming
}

/** Dialect decoders do not know which backend they read: name it in what the client sees, and count it. */
export function namedForBackend (t: ReplyTarget, err: unknown): unknown {
  const code = (err as { code?: unknown }).code
  if (code === 'SWY_ERR_UPSTREAM_PROTOCOL') t.recorder.upstreamError(t.backend.name, 'protocol')
  if (code !== 'SWY_ERR_UPSTREAM_INVALID_DATA') return err
  t.recorder.upstreamError(t.backend.name, 'protocol')
  return new UpstreamProtocol(t.backend.name, (err as Error).message, { cause: err })
}

/** Run a decode step, naming the backend in the error it throws. */
export function decodingFrom<T> (t: ReplyTarget, decode: () => T): T {
  try {
    return decode()
  } catch (err) {
    throw namedForBackend(t, err)
  }
}

/** The upstream body failed before it was whole (socket reset): a transport failure of the target. */
function readFailure (t: ReplyTarget, err: unknown): unknown {
  if (typeof (err as { code?: unknown }).code === 'string' && ((err as { code: string }).code).startsWith('SWY_ERR_')) return namedForBackend(t, err)
  const failure = classifyTransportError(t.backend.name, err)
  t.recorder.upstreamError(t.backend.name, failure.kind)
  return failure.error
}

/** A whole upstream reply as JSON; throws UpstreamProtocol (counted) when it is not JSON. */
export async function readJsonReply (t: ReplyTarget, res: Dispatcher.ResponseData): Promise<unknown> {
  const bytes = await readUpstreamBody(res.body, MAX_UPSTREAM_JSON_BYTES, t.backend.name).catch((err: unknown) => { throw readFailure(t, err) })
  t.timing.upstreamReadyAt = performance.now()
  if (t.logBodies) logBody(t.log, 'upstream response body', t.backend.name, bytes)
  const json = parseJson(bytes)
  if (json === undefined) throw namedForBackend(t, new UpstreamProtocol(t.backend.name, 'reply is not JSON'))
  return json
}

export type WholeReply =
  | { readonly ok: true, readonly response: CanonicalResponse }
  | { readonly ok: false, readonly error: CanonicalError }

/** A reply the client wants whole: JSON decoded, or an SSE stream folded (backends that only stream). */
export async function readWholeReply (t: ReplyTarget, res: Dispatcher.ResponseData, req: CanonicalRequest): Promise<WholeReply> {
  if (!isEventStream(res.headers)) {
    const json = await readJsonReply(t, res)
    const failed = t.side.jsonError?.(json)
    if (failed !== undefined) {
      t.recorder.upstreamError(t.backend.name, 'status')
      return { ok: false, error: failed }
    }
    return { ok: true, response: decodingFrom(t, () => t.side.decodeResponse(json, req)) }
  }
  if (t.logBodies) logStreamedBody(t.log, 'upstream response body', t.backend.name)
  const collected = await collectStream(res.body, t.side.createStreamDecoder(req), t.backend.name).catch((err: unknown) => { throw readFailure(t, err) })
  // Folding the stream is conversion, but it is interleaved with the upstream's sending.
  t.timing.upstreamReadyAt = performance.now()
  if (!collected.ok) t.recorder.upstreamError(t.backend.name, 'protocol')
  return collected
}

/**
 * The translator for a streamed upstream reply, wired: upstream body in, the client's response
 * out (`raw`, its head already written), the body's failures shown in-stream, the upstream aborted
 * when the client goes away, and the stream's metrics on `raw`.
 */
export function translate (t: ReplyTarget, res: Dispatcher.ResponseData, raw: ServerResponse, signal: RequestSignal, req: CanonicalRequest, encoder: StreamEncoder, keepaliveMs: number, model: string): Translator {
  const name = t.backend.name
  const sink = new ChunkedSink(raw)
  const tx = new Translator(t.side.createStreamDecoder(req), encoder, sink, { keepaliveMs, backend: name })
  const body: Readable = res.body
  let bodyFailed = false
  // Set once the reply is over and the rest of the body is only drained: its end is nobody's error.
  let released = false
  body.on('error', err => {
    if (released) return
    const failure = classifyBodyFailure(name, err, signal)
    if (failure === undefined) return
    bodyFailed = true
    t.recorder.upstreamError(name, failure.kind)
    tx.upstreamFailed(failure.error)
  })
  // Fed chunk by chunk, paused while the client is behind (what was written up to the last turn),
  // resumed when it drains.
  const resume = (): void => { if (!released && !tx.ended) body.resume() }
  const onData = (chunk: Buffer): void => {
    tx.feed(chunk)
    // Once the reply is over (onOver ran in that feed) the rest is drained, whatever the client's pace.
    if (tx.ended || !sink.needsDrain) return
    body.pause()
    sink.onceDrained(resume)
  }
  // The reply is over before the upstream ended its body: the client's reply has ended, and the
  // rest of the body is drained rather than destroyed — it is usually already here (a `[DONE]`,
  // the chunked terminator), and destroying cost an abort error with a stack trace (~10 µs, issue
  // 8's profile) and the connection. A body that does not end within RELEASE_MS (an upstream
  // holding its connection open after its last event) is destroyed then.
  tx.onOver = () => {
    body.removeListener('data', onData)
    if (body.readableEnded) return
    released = true
    const timer = setTimeout(() => body.destroy(), RELEASE_MS)
    timer.unref()
    body.once('close', () => clearTimeout(timer))
    body.resume()
  }
  body.on('data', onData)
  body.once('end', () => { tx.finish() })
  // The client went away: stop translating, and abort the upstream request.
  raw.once('close', () => {
    tx.abandon()
    if (!released && !body.readableEnded) body.destroy()
  })
  // Once the body has closed (its `close` listeners all run), its listeners are dropped: they tie
  // the translator, the upstream body and the client's response together, and a finished stream
  // was kept for the young generation until the next full GC (see Translator#release). Measured on
  // one-chunk a2c replies: 75-80 MB promoted in 3 s without this and the release, ~26 MB with
  // them (passthrough ~14), scavenge pauses 300 -> 150 ms, CPU per request -12 %.
  body.once('close', () => {
    process.nextTick(() => {
      body.removeAllListeners()
      body.on('error', noop)
    })
  })
  accountStream(raw, t.recorder, name, () => {
    if (tx.usage !== undefined) t.recorder.tokens(name, model, tx.usage)
    // Failed in-band or truncated by the upstream; `upstreamEnded` is false when the client left first.
    if (!bodyFailed && (tx.failure !== undefined || (!tx.completed && tx.upstreamEnded))) t.recorder.upstreamError(name, 'protocol')
  })
  return tx
}
