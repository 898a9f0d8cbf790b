// Client-facing Chat Completions endpoints (PROTOCOLS.md §1). `GET /v1/models` is recognised
// here only so the gateway can pass it through; it has no canonical form.
import type { ClientOperation } from '../types.js'

const CHAT: ClientOperation = { dialect: 'openai-chat', operation: 'chat' }
const MODELS: ClientOperation = { dialect: 'openai-chat', operation: 'models' }

export function matchOperation (method: string, path: string): ClientOperation | undefined {
  if (method === 'POST' && path === '/v1/chat/completions') return CHAT
  if (method === 'GET' && path === '/v1/models') return MODELS
  return undefined
}
