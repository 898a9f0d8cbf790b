// Coze management replies → the JSON Switchyard sends, an OpenAI-like list shape
// (`{object:"list", data:[…]}`, as `GET /v1/models`) and an OpenAI-like deletion object.
// Coze sources: list_conversations (`data.conversations`, `data.has_more`), list_message
// (top-level `data[]`, `first_id`, `last_id`, `has_more`; SDK `ListMessageData`), and
// delete_conversation (`{code:0, msg}` only). Coze sends some timestamps as strings
// (list_message example: `"updated_at": "1716809829"`): numbers are normalised.
// Item fields kept: conversation {id, created_at, updated_at?, name?, metadata,
// last_section_id?}; message {id, conversation_id, role, type?, content, content_type,
// reasoning_content?, created_at}. Absent or empty optional fields stay absent.
import { UpstreamInvalidData } from '../../errors/codes.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { cozeJsonError } from './errors.js'
import type { CozeManagementOp } from './management-routes.js'
import type { CozeResult } from './target.js'

function time (value: unknown): number | undefined {
  const n = typeof value === 'string' && value !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

function str (value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function put (out: Record<string, unknown>, name: string, value: unknown): void {
  if (value !== undefined) out[name] = value
}

function conversation (item: unknown): Record<string, unknown> {
  if (!isObject(item) || str(item.id) === undefined) throw new UpstreamInvalidData('a Coze conversation has no id')
  const out: Record<string, unknown> = { id: item.id, object: 'conversation', created_at: time(item.created_at) ?? 0 }
  put(out, 'updated_at', time(item.updated_at))
  put(out, 'name', str(item.name))
  out.metadata = isObject(item.meta_data) ? item.meta_data : {}
  put(out, 'last_section_id', str(item.last_section_id))
  return out
}

function message (item: unknown): Record<string, unknown> {
  if (!isObject(item) || str(item.id) === undefined) throw new UpstreamInvalidData('a Coze message has no id')
  const out: Record<string, unknown> = { id: item.id, object: 'message' }
  put(out, 'conversation_id', str(item.conversation_id))
  out.role = item.role === 'user' ? 'user' : 'assistant'
  put(out, 'type', str(item.type))
  out.content = typeof item.content === 'string' ? item.content : ''
  out.content_type = str(item.content_type) ?? 'text'
  put(out, 'reasoning_content', str(item.reasoning_content))
  out.created_at = time(item.created_at) ?? 0
  return out
}

function list (items: unknown, what: string, map: (item: unknown) => Record<string, unknown>): Array<Record<string, unknown>> {
  if (!Array.isArray(items)) throw new UpstreamInvalidData(`the Coze ${what} reply has no list`)
  return items.map(map)
}

function conversationsReply (body: JsonObject): Record<string, unknown> {
  const data = isObject(body.data) ? body.data : {}
  return { object: 'list', data: list(data.conversations, 'conversation list', conversation), has_more: data.has_more === true }
}

function messagesReply (body: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = { object: 'list', data: list(body.data, 'message list', message) }
  put(out, 'first_id', str(body.first_id))
  put(out, 'last_id', str(body.last_id))
  out.has_more = body.has_more === true
  return out
}

/** The body to send for a Coze reply with HTTP 2xx, or the Coze failure it carries (`code != 0`). */
export function cozeManagementReply (op: CozeManagementOp, body: unknown): CozeResult<unknown> {
  const error = cozeJsonError(body)
  if (error !== undefined) return { ok: false, error }
  if (!isObject(body)) throw new UpstreamInvalidData('the Coze reply is not a JSON object')
  switch (op.kind) {
    case 'list-conversations': return { ok: true, value: conversationsReply(body) }
    case 'list-messages': return { ok: true, value: messagesReply(body) }
    case 'delete-conversation': return { ok: true, value: { id: op.conversationId, object: 'conversation.deleted', deleted: true } }
  }
}
