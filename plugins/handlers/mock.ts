// The in-process `mock` backend: the client's request is decoded to canonical form, answered
// by src/dialects/mock, and encoded back in the client's dialect — the same client half every
// converted reply goes through.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { pipeline, Readable } from 'node:stream'
import { mockEvents, mockResponse } from '../../src/dialects/mock/reply.js'
import { clientSide } from '../../src/dialects/registry.js'
import { EncodeStream } from '../../src/pipeline/encode-stream.js'
import { SSE_HEADERS } from '../../src/sse/headers.js'
import { sendError } from '../error-handler.js'
import type { RequestContext } from '../request-context.js'

/** Operations that generate a reply; the mock answers nothing else. */
const GENERATE = new Set(['chat', 'responses', 'messages', 'generate', 'stream-generate'])

export async function answerWithMock (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const ctx = request.switchyard as RequestContext
  const op = ctx.operation
  if (op === null || !GENERATE.has(op.operation)) {
    return sendError(request, reply, { kind: 'not_found', status: 404, message: `the mock backend does not implement ${request.method} ${ctx.backendPath}` })
  }
  const client = clientSide(op.dialect)
  const req = client.decodeRequest(ctx.json, op)
  if (!req.stream) return reply.send(client.encodeResponse(mockResponse(req), req))
  const body = pipeline(Readable.from(mockEvents(req)), new EncodeStream(client.createStreamEncoder(req)), () => {})
  return reply.headers(SSE_HEADERS).send(body)
}
