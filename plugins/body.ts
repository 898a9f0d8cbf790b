// Request bodies: read (bounded by `server.bodyLimit`) and parsed only when the router asked
// for it; otherwise left unread so passthrough streams them to the upstream as they arrive.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import secureJson from 'secure-json-parse'
import { declaredLength, readBounded } from '../src/body/read-bounded.js'
import { BodyInvalidJson } from '../src/errors/codes.js'
import type { RequestContext } from './request-context.js'
import './types.js'

/** `application/json`, `application/*+json`, in any case (media types are case-insensitive). */
const JSON_TYPE = /json/i

function parseOrUndefined (buffer: Buffer): unknown {
  try {
    return secureJson.parse(buffer.toString('utf8'))
  } catch {
    return undefined
  }
}

export interface BodyPluginOptions {
  readonly bodyLimit: number
}

const body: FastifyPluginAsync<BodyPluginOptions> = async (app, opts) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (request, payload, done) => {
    const ctx = request.switchyard as RequestContext
    if (!ctx.readBody) { done(null, undefined); return }
    readBounded(payload, opts.bodyLimit, declaredLength(request.headers)).then(buffer => {
      ctx.body = buffer
      // A non-JSON body (a multipart upload routed by header) is forwarded as bytes — unless the
      // key has a models allowlist: then any body is read as JSON when it is JSON, whatever its
      // declared type, so the model cannot hide behind `text/plain` (plugins/auth-allowlist.ts).
      const type = request.headers['content-type']
      if (type !== undefined && !JSON_TYPE.test(type)) {
        if (ctx.clientKey?.models !== undefined) ctx.json = parseOrUndefined(buffer)
        done(null, undefined)
        return
      }
      try {
        // Same guard as Fastify's own JSON parser against prototype poisoning.
        ctx.json = secureJson.parse(buffer.toString('utf8'))
      } catch (err) {
        done(new BodyInvalidJson((err as Error).message, { cause: err }), undefined)
        return
      }
      done(null, undefined)
    }, (err: Error) => done(err, undefined))
  })
}

export default fp(body, { name: 'switchyard-body', fastify: '5.x', dependencies: ['switchyard-context'] })
