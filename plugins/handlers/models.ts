// `GET /v1/models` (SPEC.md): answered by Switchyard from the config, in the client's dialect —
// the path is shared by OpenAI and Anthropic clients, told apart by `anthropic-version`;
// Gemini clients list at `GET /v1beta/models`. Only the models of backends the client's key may
// use, and that its model globs allow, are listed.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { keyAllowsBackend, keyAllowsModel } from '../../src/auth/allowlist.js'
import { clientSide } from '../../src/dialects/registry.js'
import type { ClientOperation } from '../../src/dialects/types.js'
import type { ModelInfo } from '../../src/routing/models.js'

export function listModels (request: FastifyRequest, reply: FastifyReply, op: ClientOperation, models: readonly ModelInfo[]): FastifyReply {
  const dialect = op.dialect === 'gemini' ? 'gemini' : request.headers['anthropic-version'] === undefined ? 'openai-chat' : 'anthropic'
  const side = clientSide(dialect)
  // Every dialect whose routes answer `models` implements it.
  const encode = side.encodeModelList as NonNullable<typeof side.encodeModelList>
  const key = request.switchyard?.clientKey ?? null
  return reply.send(encode(key === null ? models : models.filter(m => keyAllowsBackend(key, m.backend) && keyAllowsModel(key, m.id))))
}
