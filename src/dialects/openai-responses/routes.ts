// Client-facing Responses endpoints (PROTOCOLS.md §2). GET/DELETE of a stored response are
// recognised so the gateway can answer or pass them through; they have no canonical form.
import type { ClientOperation } from '../types.js'

const RESPONSES: ClientOperation = { dialect: 'openai-responses', operation: 'responses' }
const GET: ClientOperation = { dialect: 'openai-responses', operation: 'responses-get' }
const DELETE: ClientOperation = { dialect: 'openai-responses', operation: 'responses-delete' }
const ITEM_PREFIX = '/v1/responses/'

export function matchOperation (method: string, path: string): ClientOperation | undefined {
  if (path === '/v1/responses') return method === 'POST' ? RESPONSES : undefined
  if (!path.startsWith(ITEM_PREFIX)) return undefined
  // `/v1/responses/{id}` only: sub-resources (`/input_items`, `/cancel`) are not ours yet.
  const id = path.slice(ITEM_PREFIX.length)
  if (id === '' || id.includes('/')) return undefined
  if (method === 'GET') return GET
  if (method === 'DELETE') return DELETE
  return undefined
}
