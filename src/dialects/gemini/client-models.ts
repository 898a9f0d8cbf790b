// Gemini replies Switchyard writes itself (PROTOCOLS.md §4.1): `GET /v1beta/models` from the
// config's declared models, and countTokens' `{totalTokens}`. List entries carry the fields
// js-genai's `Model` reads (`name`, `displayName`, `supportedGenerationMethods` → its
// `supportedActions`) and `baseModelId`; nothing the config does not know (version, token
// limits) is invented.
import type { ModelInfo } from '../../routing/models.js'
import type { GeminiModel } from './wire.js'

const METHODS: readonly string[] = ['generateContent', 'streamGenerateContent', 'countTokens']

export function encodeModelList (models: readonly ModelInfo[]): { readonly models: readonly GeminiModel[] } {
  return {
    models: models.map(m => ({ name: 'models/' + m.id, baseModelId: m.id, displayName: m.id, supportedGenerationMethods: METHODS })),
  }
}

export function encodeCountTokens (tokens: number): { readonly totalTokens: number } {
  return { totalTokens: tokens }
}
