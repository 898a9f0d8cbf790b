// id → Dialect. Adding a dialect adds one line here; the router, the error renderer and the
// conformance tests iterate this table.
import { dialect as anthropic } from './anthropic/index.js'
import { dialect as gemini } from './gemini/index.js'
import { dialect as openaiChat } from './openai-chat/index.js'
import { dialect as openaiResponses } from './openai-responses/index.js'
import type { BackendProtocol } from '../config/schema.js'
import type { BackendSide, ClientDialectId, ClientOperation, ClientSide, Dialect } from './types.js'

export const CLIENT_DIALECTS = {
  'openai-chat': openaiChat,
  'openai-responses': openaiResponses,
  anthropic,
  gemini,
} as const satisfies Record<ClientDialectId, Dialect & { client: ClientSide }>

const CLIENT_LIST = Object.values(CLIENT_DIALECTS)

/** Backend protocols with a conversion codec (`mock` answers in process; `coze` is backend-only). */
const BACKEND_DIALECTS: Partial<Record<BackendProtocol, Dialect>> = CLIENT_DIALECTS

/** The backend half for a protocol, when requests can be converted to it. */
export function backendSide (protocol: BackendProtocol): BackendSide | undefined {
  return BACKEND_DIALECTS[protocol]?.backend
}

/** The client operation a method and (prefix-stripped, query-less) path name, if any. */
export function detectOperation (method: string, path: string): ClientOperation | undefined {
  for (const d of CLIENT_LIST) {
    const op = d.client.matchOperation(method, path)
    if (op !== undefined) return op
  }
  return undefined
}

export function clientSide (id: ClientDialectId): ClientSide {
  return CLIENT_DIALECTS[id].client
}

export function isClientDialect (id: string): id is ClientDialectId {
  return Object.hasOwn(CLIENT_DIALECTS, id)
}

/** The model a request names: from the path (Gemini), the dialect's body field, or `model`. */
export function requestModel (op: ClientOperation | undefined, json: unknown): string | undefined {
  if (op !== undefined) return op.pathModel ?? clientSide(op.dialect).modelOf(json, op)
  if (typeof json !== 'object' || json === null) return undefined
  const model = (json as { model?: unknown }).model
  return typeof model === 'string' ? model : undefined
}
