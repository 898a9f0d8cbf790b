// Streamed replies written to the client by hand instead of `reply.send(stream)`: the reply is
// hijacked, its head goes out in one `writeHead`, and each chunk is written as it comes, the
// source paused while the client's socket is full (a translated stream's translator writes its
// own, src/upstream/converted-reply.ts). Fastify's stream path (two end-of-stream
// watchers, one `setHeader` per header, `pipe`'s listeners on both streams) cost ~40 µs a request
// more (issue 8: A/B on Anthropic client -> Chat backend, one chunk per reply, 14-24 % of the
// proxy's CPU per request).
//
// A hijacked reply skips the onSend hooks, so what they do for a reply that went upstream is done
// here: the first-byte time (plugins/metrics.ts) and `x-switchyard-overhead-ms`
// (plugins/context.ts). The access log (onResponse, on `finish`) and the request metrics (on
// `close`) listen on the raw response and run as for any reply.
import type { FastifyReply } from 'fastify'
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { ChunkedSink } from '../../src/http/chunked-sink.js'
import type { UsageTap } from '../../src/metrics/usage-tap.js'
import { isDeadline } from '../../src/upstream/classify.js'
import { overheadMs } from '../context.js'
import type { RequestContext } from '../request-context.js'

/**
 * The head of a translated stream, written: the translator (src/pipeline/translator.ts) writes
 * its text to `reply.raw` itself, through src/http/chunked-sink.ts. False when the client is
 * already gone.
 */
export function commitTranslated (reply: FastifyReply, ctx: RequestContext, headers: Readonly<Record<string, string>>): boolean {
  reply.headers(headers)
  return commit(reply, ctx)
}

/**
 * A passthrough stream (undici's body). Nothing is committed before its first bytes are here: an
 * upstream that fails before them is answered with a proper error in the client's dialect (the
 * error handler's 502/504), as a reply whose head has not left yet. After them, a failure cuts
 * the client's stream (it sees a truncated chunked body) and the request counts as a 502.
 */
export async function relayStream (reply: FastifyReply, ctx: RequestContext, body: Readable, tap: UsageTap | undefined): Promise<FastifyReply> {
  let committed = false
  // Attached for the body's whole life: a failure before the first bytes is firstBytes' to report.
  body.once('error', (err: Error) => {
    if (!committed) return
    ctx.replyBodyFailed = true
    reply.log.warn({ err: { message: err.message, code: (err as { code?: unknown }).code } }, 'upstream body failed after the reply started')
    reply.raw.destroy()
  })
  let first: Buffer | null
  try {
    first = await firstBytes(body)
  } catch (err) {
    // The client went away: there is nobody to answer.
    if (ctx.signal.aborted && !isDeadline(ctx.signal)) return reply.code(499).send()
    throw err
  }
  committed = true
  if (!commit(reply, ctx)) {
    body.destroy()
    return reply
  }
  pump(reply.raw, body, tap, first)
  return reply
}

/** Stamps what the onSend hooks stamp, hijacks the reply and writes its head; false when the client is gone. */
function commit (reply: FastifyReply, ctx: RequestContext): boolean {
  const now = performance.now()
  if (ctx.firstByteAt === 0) ctx.firstByteAt = now
  if (ctx.upstreamReadyAt > 0) reply.header('x-switchyard-overhead-ms', overheadMs(ctx, now).toFixed(3))
  reply.hijack()
  const raw = reply.raw
  if (raw.destroyed) return false
  // Values Fastify holds as numbers (a content-length) are written as Node writes any number.
  raw.writeHead(raw.statusCode, reply.getHeaders() as OutgoingHttpHeaders)
  return true
}

/**
 * `first` (what firstBytes read), then the rest of `source` as it comes, each chunk straight to
 * the socket once the head has left (src/http/chunked-sink.ts), paused while the client is behind.
 */
function pump (raw: ServerResponse, source: Readable, tap: UsageTap | undefined, first: Buffer | null): void {
  const sink = new ChunkedSink(raw)
  const resume = (): void => { source.resume() }
  const onData = (chunk: Buffer): void => {
    if (tap !== undefined) tap.observe(chunk)
    if (sink.writeBytes(chunk)) return
    source.pause()
    sink.onceDrained(resume)
  }
  const onEnd = (): void => {
    if (tap !== undefined) tap.end()
    sink.end()
  }
  if (first !== null) onData(first)
  // A body that was whole in its first read has already ended (its `end` ran before this resumed).
  if (first === null || source.readableEnded) {
    onEnd()
    return
  }
  source.on('data', onData)
  source.once('end', onEnd)
  // The client went away mid-stream: the source lets its upstream go.
  raw.once('close', () => { if (!source.readableEnded) source.destroy() })
  // A first write the client could not take has paused the source: `drain` resumes it.
  if (!sink.needsDrain) source.resume()
}

/** The body's first bytes (all it has buffered), null when it ended empty; rejects with its error. */
function firstBytes (body: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      body.removeListener('readable', onReadable)
      body.removeListener('end', onEnd)
      body.removeListener('error', onError)
    }
    const onReadable = (): void => {
      const chunk = body.read() as Buffer | null
      if (chunk === null) return
      done()
      resolve(chunk)
    }
    const onEnd = (): void => { done(); resolve(null) }
    const onError = (err: Error): void => { done(); reject(err) }
    body.on('readable', onReadable)
    body.once('end', onEnd)
    body.once('error', onError)
  })
}
