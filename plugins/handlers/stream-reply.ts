// A translated stream written to the client by hand instead of `reply.send(stream)`: the reply
// is hijacked, its head goes out in one `writeHead`, and each string the translator pushes is
// written as it comes, the translator paused while the client's socket is full. Fastify's stream
// path (two end-of-stream watchers, one `setHeader` per header, `pipe`'s listeners on both
// streams) cost ~40 µs a request more (issue 8: A/B on Anthropic client -> Chat backend, one
// chunk per reply, 14-24 % of the proxy's CPU per request).
//
// A hijacked reply skips the onSend hooks, so what they do for a reply that went upstream is done
// here: the first-byte time (plugins/metrics.ts) and `x-switchyard-overhead-ms`
// (plugins/context.ts). The access log (onResponse, on `finish`) and the request metrics (on
// `close`) listen on the raw response and run as for any reply. The source never fails: the
// translator turns every failure into an error event in the client's dialect and an end.
import type { FastifyReply } from 'fastify'
import type { OutgoingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import { overheadMs } from '../context.js'
import type { RequestContext } from '../request-context.js'

export function sendTranslated (reply: FastifyReply, ctx: RequestContext, headers: Readonly<Record<string, string>>, source: Readable): FastifyReply {
  const now = performance.now()
  if (ctx.firstByteAt === 0) ctx.firstByteAt = now
  reply.headers(headers)
  if (ctx.upstreamReadyAt > 0) reply.header('x-switchyard-overhead-ms', overheadMs(ctx, now).toFixed(3))
  reply.hijack()
  const raw = reply.raw
  // The client left while the upstream was answering: nobody to write to.
  if (raw.destroyed) {
    source.destroy()
    return reply
  }
  // Values Fastify holds as numbers (a content-length) are written as Node writes any number.
  raw.writeHead(raw.statusCode, reply.getHeaders() as OutgoingHttpHeaders)
  const resume = (): void => { source.resume() }
  source.on('data', (chunk: string) => {
    if (!raw.write(chunk)) {
      source.pause()
      raw.once('drain', resume)
    }
  })
  source.once('end', () => { raw.end() })
  // The client went away mid-stream: the translator lets the upstream go (converted-reply.ts).
  raw.once('close', () => { if (!source.readableEnded) source.destroy() })
  return reply
}
