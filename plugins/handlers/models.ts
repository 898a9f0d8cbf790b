// `GET /v1/models` (SPEC.md): answered by Switchyard from the config, in the client's dialect —
// the path is shared by OpenAI and Anthropic clients, told apart by `anthropic-version`.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { encodeModelList as anthropicModelList } from '../../src/dialects/anthropic/models.js'
import { encodeOpenAiModelList } from '../../src/dialects/shared/openai-models.js'
import type { ModelInfo } from '../../src/routing/models.js'

export function listModels (request: FastifyRequest, reply: FastifyReply, models: readonly ModelInfo[]): FastifyReply {
  const anthropic = request.headers['anthropic-version'] !== undefined
  return reply.send(anthropic ? anthropicModelList(models) : encodeOpenAiModelList(models))
}
