// Client auth (SPEC.md `auth`): the key is read the way each dialect's SDK sends it and looked
// up in constant time, in onRequest — before routing and before the body is read, so an
// unauthenticated request never costs a body read or an upstream call. Missing or wrong key:
// 401 in the client's dialect (the error handler guesses it from the path, no backend being
// chosen yet). On success the key's *name*, never the key, joins the request's log bindings.
// No `keys` (auth absent from config): nothing is registered and `clientKey` stays null.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { presentedKeys } from '../src/auth/credentials.js'
import { authenticate, createKeyIndex } from '../src/auth/keys.js'
import type { ClientKeyConfig } from '../src/config/schema.js'
import { AuthInvalidKey, AuthMissingKey } from '../src/errors/auth.js'
import type { RequestContext } from './request-context.js'
import './types.js'

export interface AuthPluginOptions {
  /** Absent: auth is off. */
  readonly keys?: readonly ClientKeyConfig[]
}

const auth: FastifyPluginAsync<AuthPluginOptions> = async (app, opts) => {
  if (opts.keys === undefined) return
  const index = createKeyIndex(opts.keys)
  // Callback hooks (here and in the other request-path plugins): an async hook costs a promise
  // and a microtask turn on every request. A throw still reaches the error handler.
  app.addHook('onRequest', (request, reply, done) => {
    const ctx = request.switchyard as RequestContext
    const presented = presentedKeys(request.headers, ctx.query)
    if (presented.length === 0) throw new AuthMissingKey()
    const key = authenticate(index, presented)
    if (key === null) throw new AuthInvalidKey()
    ctx.clientKey = key
    // Every later line of this request (the one-line request log, errors) carries the name.
    request.log = request.log.child({ key: key.name })
    reply.log = request.log
    done()
  })
}

export default fp(auth, { name: 'switchyard-auth', fastify: '5.x', dependencies: ['switchyard-context'] })
