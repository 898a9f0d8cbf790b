// `GET /v1/models` (SPEC.md): answered by Switchyard from the config, in the client's dialect —
// the path is shared by OpenAI and Anthropic clients, told apart by `anthropic-version`.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { clientSide } from '../../src/dialects/registry.js'
import type { ModelInfo } from '../../src/routing/models.js'

export function listModels (request: FastifyRequest, reply: FastifyReply, models: readonly ModelInfo[]): FastifyReply {
  const side = clientSide(request.headers['anthropic-version'] === undefined ? 'openai-chat' : 'anthropic')
  // Both dialects that own this path implement it.
  const encode = side.encodeModelList as NonNullable<typeof side.encodeModelList>
  return reply.send(encode(models))
}
