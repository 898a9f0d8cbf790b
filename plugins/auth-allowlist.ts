// A key used outside its allowlists (SPEC.md `auth.keys[].backends`, `.models`) is a 403 naming
// what was refused. Checked twice, cheaply: in onRequest for what path and headers already
// decided (so a refused request's body is not read), and in preHandler once the body named the
// model and model routing chose the backend.
// The models list applies whenever the model is known: from the path (Gemini) or a JSON body.
// Passthrough normally streams the body unread, which would hide the model, so for a key with
// a models list every body but a multipart upload is read (bounded by `bodyLimit`) and taken as
// JSON whatever its declared type; a body that is not JSON is a 415 for such a key, so the model
// cannot hide behind `text/plain`. A request that names no model (`GET /v1/models`, a
// multipart upload) is not refused by the models list, and
// `GET /v1/models` — answered by Switchyard, not a backend — not by the backends list either.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { keyAllowsBackend, keyAllowsModel } from '../src/auth/allowlist.js'
import { hasBody } from '../src/body/read-bounded.js'
import { requestModel } from '../src/dialects/registry.js'
import { AuthBackendDenied, AuthModelDenied, AuthUnreadableModel } from '../src/errors/auth.js'
import type { RequestContext } from './request-context.js'
import './types.js'

/** Multipart uploads carry no JSON model; every other body is read for one. */
function isMultipart (request: FastifyRequest): boolean {
  return /^multipart\//i.test(request.headers['content-type'] ?? '')
}

function check (ctx: RequestContext): void {
  const key = ctx.clientKey
  if (key === null) return
  const backend = ctx.backend
  if (backend !== null && ctx.operation?.operation !== 'models' && !keyAllowsBackend(key, backend.name)) {
    throw new AuthBackendDenied(key.name, backend.name)
  }
  if (ctx.model !== undefined && !keyAllowsModel(key, ctx.model)) throw new AuthModelDenied(key.name, ctx.model)
}

const allowlist: FastifyPluginAsync = async app => {
  app.addHook('onRequest', (request, _reply, done) => {
    const ctx = request.switchyard as RequestContext
    if (ctx.clientKey === null) { done(); return }
    check(ctx)
    if (ctx.clientKey.models !== undefined && ctx.model === undefined && hasBody(request.headers) && !isMultipart(request)) {
      ctx.bodyNeed = 'parse'
    }
    done()
  })
  app.addHook('preHandler', (request, _reply, done) => {
    const ctx = request.switchyard as RequestContext
    if (ctx.clientKey === null) { done(); return }
    ctx.model ??= requestModel(ctx.operation ?? undefined, ctx.json)
    check(ctx)
    // A key limited to some models may not send a body whose model cannot be read.
    const key = ctx.clientKey
    if (key.models !== undefined && ctx.model === undefined && ctx.body !== null && ctx.json === undefined) {
      throw new AuthUnreadableModel(key.name)
    }
    done()
  })
}

export default fp(allowlist, { name: 'switchyard-auth-allowlist', fastify: '5.x', dependencies: ['switchyard-router'] })
