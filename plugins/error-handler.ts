// The one place errors become responses (STYLE.md §2.9): every error is turned into a canonical
// error and rendered by the client's dialect. Unknown errors are a generic 500 whose details go
// to the log only. Errors are logged here, once.
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { errorKindForStatus, type CanonicalError } from '../src/canonical/error.js'
import { clientSide, detectOperation, isClientDialect } from '../src/dialects/registry.js'
import type { ClientDialectId } from '../src/dialects/types.js'
import { scrubKnownSecrets } from '../src/log/secrets.js'
import './types.js'

/** Dialect for clients we cannot place (unknown paths, backends that speak no client dialect). */
const FALLBACK_DIALECT: ClientDialectId = 'openai-chat'

/** The client's dialect: its operation, else its backend's protocol, else a guess from the path. */
function dialectFor (request: FastifyRequest): ClientDialectId {
  const ctx = request.switchyard
  if (ctx?.operation != null) return ctx.operation.dialect
  const protocol = ctx?.backend?.protocol
  if (protocol !== undefined && isClientDialect(protocol)) return protocol
  // No backend matched: try the path with each leading segment removed (an unknown prefix).
  let path = ctx?.path ?? request.url
  while (path.length > 1) {
    const op = detectOperation(request.method, path)
    if (op !== undefined) return op.dialect
    const next = path.indexOf('/', 1)
    if (next === -1) break
    path = path.slice(next)
  }
  return FALLBACK_DIALECT
}

interface ErrorFields { statusCode?: number, code?: string, field?: unknown, retryAfter?: unknown }

function toCanonical (err: FastifyError & ErrorFields): CanonicalError {
  const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
  if (status === 500) return { kind: 'server_error', status, message: 'internal error' }
  return {
    kind: errorKindForStatus(status),
    status,
    message: err.message,
    ...(typeof err.field === 'string' ? { param: err.field } : {}),
    ...(typeof err.retryAfter === 'string' ? { retryAfter: err.retryAfter } : {}),
  }
}

/**
 * An undici error reaching here is an upstream body that failed before anything was sent (a
 * passthrough upstream that answered its headers, then reset): the backend's failure, a 502
 * (504 for its timeouts), not an internal error.
 */
function upstreamBodyFailure (err: FastifyError, request: FastifyRequest): CanonicalError | undefined {
  const backend = request.switchyard?.backend
  if (backend == null || typeof err.code !== 'string' || !err.code.startsWith('UND_ERR_')) return undefined
  if (err.code.includes('TIMEOUT')) return { kind: 'timeout', status: 504, message: `backend ${backend.name} did not answer in time` }
  return { kind: 'server_error', status: 502, message: `backend ${backend.name} closed the connection before its reply was complete` }
}

export function sendError (request: FastifyRequest, reply: FastifyReply, error: CanonicalError): FastifyReply {
  // A passthrough reply may already carry the upstream's headers (its content type, length, SSE
  // hints): the error is JSON, whatever the upstream had announced.
  if (!reply.sent) {
    reply.removeHeader('content-length')
    reply.removeHeader('x-accel-buffering')
    reply.removeHeader('content-encoding')
    reply.header('content-type', 'application/json; charset=utf-8')
  }
  // Upstream messages can echo the key the upstream was sent: no known secret leaves in one.
  const rendered = clientSide(dialectFor(request)).renderError({ ...error, message: scrubKnownSecrets(error.message) }, request.id)
  // A body we refused to read must not be parsed as the next request on this connection.
  if (error.status === 413) reply.header('connection', 'close')
  return reply.code(rendered.status).headers(rendered.headers).send(rendered.body)
}

const errorHandler: FastifyPluginAsync = async app => {
  app.setErrorHandler((err: FastifyError & ErrorFields, request, reply) => {
    const error = upstreamBodyFailure(err, request) ?? toCanonical(err)
    if (error.status === 500) request.log.error({ err }, 'unhandled error')
    else if (error.status >= 500) request.log.warn({ code: err.code, msg: err.message }, err.code?.startsWith('SWY_ERR_UPSTREAM') === true ? 'upstream failure' : 'request refused')
    return sendError(request, reply, error)
  })
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, { kind: 'not_found', status: 404, message: `no route for ${request.method} ${request.switchyard?.path ?? request.url}` }))
}

export default fp(errorHandler, { name: 'switchyard-error-handler', fastify: '5.x', dependencies: ['switchyard-context'] })
