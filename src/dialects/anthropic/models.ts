// `GET /v1/models` for Anthropic clients (Claude Code's gateway model discovery, §8): the
// Models API list shape.
import type { ModelInfo } from '../../routing/models.js'

export function encodeModelList (models: readonly ModelInfo[]): unknown {
  return {
    data: models.map(m => ({ type: 'model', id: m.id, display_name: m.id, created_at: '1970-01-01T00:00:00Z' })),
    has_more: false,
    first_id: models[0]?.id ?? null,
    last_id: models.at(-1)?.id ?? null,
  }
}
