// Creates the request context, echoes the request id, and turns "client went away" and the
// whole-request deadline (`server.requestTimeoutMs`) into one AbortSignal for the upstream call.
// A request target that is not a plain origin-form path is refused here, before routing
// (src/http/request-target.ts).
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { BadRequestTarget } from '../src/errors/codes.js'
import { unsafeTarget } from '../src/http/request-target.js'
import { RequestContext } from './request-context.js'
import './types.js'

export interface ContextPluginOptions {
  readonly requestTimeoutMs: number
}

const context: FastifyPluginAsync<ContextPluginOptions> = async (app, opts) => {
  app.decorateRequest('switchyard', null)
  app.addHook('onRequest', async (request, reply) => {
    const ctx = new RequestContext(request.url)
    request.switchyard = ctx
    reply.header('x-request-id', request.id)
    const unsafe = unsafeTarget(request.url)
    // The target is not echoed whole: it is client input of any length.
    if (unsafe !== undefined) throw new BadRequestTarget(JSON.stringify(request.url.slice(0, 100)), unsafe)
    const res = reply.raw
    const deadline = setTimeout(() => ctx.abort.abort(new DOMException('request timed out', 'TimeoutError')), opts.requestTimeoutMs)
    res.once('close', () => {
      clearTimeout(deadline)
      // `close` before `finish` means the client disconnected (or the socket was destroyed).
      if (!res.writableFinished) ctx.abort.abort()
    })
  })
}

export default fp(context, { name: 'switchyard-context', fastify: '5.x' })
