// Client-facing Gemini endpoints (PROTOCOLS.md §4.1): `/{v1beta|v1}/models/{model}:{verb}`
// (js-genai uses v1beta by default) and the model list `GET /v1beta/models` (`GET /v1/models`
// belongs to OpenAI and Anthropic clients). `{model}` is one segment: tuned models
// (`tunedModels/…`) and Vertex paths (`/projects/…/publishers/google/models/…`) are not
// recognised yet.
import type { ClientOperation } from '../types.js'

const PREFIXES = ['/v1beta/models/', '/v1/models/'] as const
const MODELS: ClientOperation = { dialect: 'gemini', operation: 'models' }

function operation (verb: string, model: string): ClientOperation | undefined {
  switch (verb) {
    case 'generateContent': return { dialect: 'gemini', operation: 'generate', pathModel: model }
    case 'streamGenerateContent': return { dialect: 'gemini', operation: 'stream-generate', pathModel: model, pathStream: true }
    case 'countTokens': return { dialect: 'gemini', operation: 'count-tokens', pathModel: model }
    default: return undefined
  }
}

export function matchOperation (method: string, path: string): ClientOperation | undefined {
  if (method === 'GET') return path === '/v1beta/models' ? MODELS : undefined
  if (method !== 'POST') return undefined
  for (const prefix of PREFIXES) {
    if (!path.startsWith(prefix)) continue
    const rest = path.slice(prefix.length)
    const colon = rest.lastIndexOf(':')
    if (colon <= 0) return undefined
    const model = rest.slice(0, colon)
    if (model.includes('/')) return undefined
    return operation(rest.slice(colon + 1), model)
  }
  return undefined
}

export function modelOf (_body: unknown, op: ClientOperation): string | undefined {
  return op.pathModel
}
