// The in-process `mock` backend: the client's request is decoded to canonical form, answered
// by src/dialects/mock, and encoded back in the client's dialect — the same client half every
// converted reply goes through. Counted like any backend: tokens of every reply, and the
// streamed ones as open streams until the client's response closes.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { pipeline, Readable } from 'node:stream'
import { mockEvents, mockResponse } from '../../src/dialects/mock/reply.js'
import { clientSide } from '../../src/dialects/registry.js'
import type { Recorder } from '../../src/metrics/recorder.js'
import { EncodeStream } from '../../src/pipeline/encode-stream.js'
import { SSE_HEADERS } from '../../src/sse/headers.js'
import type { Backend } from '../../src/upstream/backend.js'
import { accountStream } from '../../src/upstream/stream-accounting.js'
import { sendError } from '../error-handler.js'
import type { RequestContext } from '../request-context.js'

/** Operations that generate a reply; the mock answers nothing else. */
const GENERATE = new Set(['chat', 'responses', 'messages', 'generate', 'stream-generate'])

export async function answerWithMock (request: FastifyRequest, reply: FastifyReply, backend: Backend, recorder: Recorder): Promise<FastifyReply> {
  const ctx = request.switchyard as RequestContext
  const op = ctx.operation
  if (op === null || !GENERATE.has(op.operation)) {
    return sendError(request, reply, { kind: 'not_found', status: 404, message: `the mock backend does not implement ${request.method} ${ctx.backendPath}` })
  }
  const client = clientSide(op.dialect)
  const req = client.decodeRequest(ctx.json, op)
  if (!req.stream) {
    const response = mockResponse(req)
    if (response.usage !== undefined) recorder.tokens(backend.name, req.model, response.usage)
    return reply.send(client.encodeResponse(response, req))
  }
  const events = mockEvents(req)
  const usage = events.findLast(e => e.type === 'usage')
  if (usage?.type === 'usage') recorder.tokens(backend.name, req.model, usage.usage)
  const body = pipeline(Readable.from(events), new EncodeStream(client.createStreamEncoder(req)), () => {})
  ctx.streamed = true
  accountStream(reply.raw, recorder, backend.name)
  return reply.headers(SSE_HEADERS).send(body)
}
