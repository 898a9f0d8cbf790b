// Client-facing Anthropic endpoints (PROTOCOLS.md §3.1). Beta clients add `?beta=true`; the
// query is already stripped from `path`.
import type { ClientOperation } from '../types.js'

const MESSAGES: ClientOperation = { dialect: 'anthropic', operation: 'messages' }
const COUNT_TOKENS: ClientOperation = { dialect: 'anthropic', operation: 'count-tokens' }

export function matchOperation (method: string, path: string): ClientOperation | undefined {
  if (method !== 'POST') return undefined
  if (path === '/v1/messages') return MESSAGES
  if (path === '/v1/messages/count_tokens') return COUNT_TOKENS
  return undefined
}
