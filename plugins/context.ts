// Creates the request context, echoes the request id, and turns "client went away" and the
// whole-request deadline (`server.requestTimeoutMs`) into one signal for the upstream call.
// A request target that is not a plain origin-form path is refused here, before routing
// (src/http/request-target.ts).
//
// `x-switchyard-overhead-ms` (issue 8; LiteLLM users asked for the like): on every reply that
// went to an upstream, the milliseconds Switchyard spent on it — from arrival until the first
// upstream request went out (auth, routing, body read, conversion of the request), plus from the
// moment the upstream's reply was in hand until this reply's headers leave (conversion of a whole
// reply; for a stream, only the step to its head, which is written before the translator is set
// up or any event is translated). Time waiting on the upstream, retries and fallbacks included,
// is not counted.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { BadRequestTarget } from '../src/errors/codes.js'
import { unsafeTarget } from '../src/http/request-target.js'
import { RequestContext } from './request-context.js'
import './types.js'

/** Milliseconds Switchyard spent on a request that went upstream (see the header comment). */
export function overheadMs (ctx: RequestContext, now: number): number {
  return (ctx.upstreamAt - ctx.startedAt) + (now - ctx.upstreamReadyAt)
}

export interface ContextPluginOptions {
  readonly requestTimeoutMs: number
}

const context: FastifyPluginAsync<ContextPluginOptions> = async (app, opts) => {
  app.decorateRequest('switchyard', null)
  app.addHook('onRequest', (request, reply, done) => {
    const ctx = new RequestContext(request.url)
    request.switchyard = ctx
    reply.header('x-request-id', request.id)
    const unsafe = unsafeTarget(request.url)
    // The target is not echoed whole: it is client input of any length.
    if (unsafe !== undefined) { done(new BadRequestTarget(JSON.stringify(request.url.slice(0, 100)), unsafe)); return }
    const res = reply.raw
    const deadline = setTimeout(() => ctx.signal.abort(new DOMException('request timed out', 'TimeoutError')), opts.requestTimeoutMs)
    res.once('close', () => {
      clearTimeout(deadline)
      // `close` before `finish` means the client disconnected (or the socket was destroyed).
      if (!res.writableFinished) ctx.signal.abort()
    })
    done()
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    const ctx = request.switchyard
    if (ctx !== null && ctx.upstreamReadyAt > 0) reply.header('x-switchyard-overhead-ms', overheadMs(ctx, performance.now()).toFixed(3))
    done(null, payload)
  })
}

export default fp(context, { name: 'switchyard-context', fastify: '5.x' })
