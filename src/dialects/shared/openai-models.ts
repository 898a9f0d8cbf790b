// `GET /v1/models` in the OpenAI list shape, shared by Chat Completions and Responses clients.
import type { ModelInfo } from '../../routing/models.js'

export function encodeOpenAiModelList (models: readonly ModelInfo[]): unknown {
  return { object: 'list', data: models.map(m => ({ id: m.id, object: 'model', created: 0, owned_by: m.backend })) }
}
