// Request bodies: read (bounded by `server.bodyLimit`) and parsed only when the router asked
// for it. Otherwise a passthrough body is read as bytes, unparsed, when the router asked for
// them or when it is small with a declared length (undici then writes headers and body in one
// syscall, where a streamed body costs a write per chunk: issue 8), and left unread otherwise,
// so a large one streams to the upstream as it arrives.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import secureJson from 'secure-json-parse'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../src/body/json-depth.js'
import { declaredLength, readBounded } from '../src/body/read-bounded.js'
import { BodyInvalidJson } from '../src/errors/codes.js'
import type { RequestContext } from './request-context.js'
import './types.js'

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** `application/json`, `application/*+json`, in any case (media types are case-insensitive). */
const JSON_TYPE = /json/i

/** Passthrough bodies up to this declared length are read before they are sent (see above). */
export const SMALL_BODY_BYTES = 64 * 1024

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
    if (ctx.bodyNeed !== 'parse') {
      const declared = declaredLength(request.headers)
      if (ctx.bodyNeed === 'none' && (declared === undefined || declared > SMALL_BODY_BYTES)) { done(null, undefined); return }
      readBounded(payload, opts.bodyLimit, declared).then(buffer => { ctx.body = buffer; done(null, undefined) }, (err: Error) => done(err, undefined))
      return
    }
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
      let text: string
      try {
        // Invalid UTF-8 is refused, not replaced with U+FFFD and forwarded as if it were text.
        text = UTF8.decode(buffer)
      } catch (err) {
        done(new BodyInvalidJson('it is not valid UTF-8', { cause: err }), undefined)
        return
      }
      try {
        // Same guard as Fastify's own JSON parser against prototype poisoning.
        ctx.json = secureJson.parse(text)
      } catch (err) {
        done(new BodyInvalidJson((err as Error).message, { cause: err }), undefined)
        return
      }
      if (nestsDeeperThan(ctx.json, MAX_JSON_DEPTH)) {
        ctx.json = undefined
        done(new BodyInvalidJson(`it nests deeper than ${MAX_JSON_DEPTH} levels`), undefined)
        return
      }
      done(null, undefined)
    }, (err: Error) => done(err, undefined))
  })
}

export default fp(body, { name: 'switchyard-body', fastify: '5.x', dependencies: ['switchyard-context'] })
