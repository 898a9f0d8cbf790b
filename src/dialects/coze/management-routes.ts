// The management endpoints Switchyard serves for a Coze backend (issue 6 §3), after the
// backend's prefix is stripped, and the Coze call behind each:
//   GET    /v1/conversations                 → GET  /v1/conversations?bot_id=…   (list_conversations)
//          query: page (≥1), limit (1–50), order (asc|desc)  → page_num, page_size, sort_order
//   GET    /v1/conversations/{id}/messages   → POST /v1/conversation/message/list?conversation_id={id}
//          query: limit (1–50), order (asc|desc, default asc: history reads oldest first),
//          before, after (message ids)        → body {order, limit, before_id, after_id} (list_message)
//   DELETE /v1/conversations/{id}            → DELETE /v1/conversations/{id}  (delete_conversation)
// The list's bot is `x-bot-id` (under the same override rule as chat requests) or `coze.botId`.
// Unknown query parameters are a 400 naming them rather than ignored.
import type { UpstreamCall } from '../types.js'
import { invalid, isCozeId, resolveBot, type CozeRequestContext, type CozeResult } from './target.js'

export type CozeManagementOp =
  | { readonly kind: 'list-conversations' }
  | { readonly kind: 'list-messages', readonly conversationId: string }
  | { readonly kind: 'delete-conversation', readonly conversationId: string }

/** An upstream call that may also be a DELETE (`UpstreamCall` allows POST and GET only). */
export type CozeCall = Omit<UpstreamCall, 'method'> & { readonly method: 'GET' | 'POST' | 'DELETE' }

const LIST = '/v1/conversations'
const ITEM_PREFIX = LIST + '/'
const MESSAGES_SUFFIX = '/messages'
const MAX_PAGE_SIZE = 50

/**
 * The management operation a method and (prefix-stripped, query-less) path name: `undefined`
 * for any other path, an error for a matched path with a malformed conversation id.
 */
export function matchCozeManagement (method: string, path: string): CozeResult<CozeManagementOp> | undefined {
  if (path === LIST) return method === 'GET' ? { ok: true, value: { kind: 'list-conversations' } } : undefined
  if (!path.startsWith(ITEM_PREFIX)) return undefined
  const rest = path.slice(ITEM_PREFIX.length)
  const messages = method === 'GET' && rest.endsWith(MESSAGES_SUFFIX)
  if (!messages && method !== 'DELETE') return undefined
  const id = messages ? rest.slice(0, -MESSAGES_SUFFIX.length) : rest
  if (!isCozeId(id)) return invalid('conversation_id', 'must be a Coze id (letters, digits, "_" or "-")')
  return { ok: true, value: messages ? { kind: 'list-messages', conversationId: id } : { kind: 'delete-conversation', conversationId: id } }
}

type Query = Record<string, string>

function readQuery (query: string, allowed: readonly string[]): CozeResult<Query> {
  const out: Query = {}
  for (const [name, value] of new URLSearchParams(query)) {
    if (!allowed.includes(name)) return invalid(name, 'unknown query parameter; allowed: ' + allowed.join(', '))
    out[name] = value
  }
  return { ok: true, value: out }
}

function integerIn (query: Query, name: string, min: number, max: number): CozeResult<number | undefined> {
  const raw = query[name]
  if (raw === undefined) return { ok: true, value: undefined }
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) return invalid(name, `must be an integer from ${min} to ${max}`)
  return { ok: true, value: n }
}

function order (query: Query): CozeResult<'asc' | 'desc' | undefined> {
  const raw = query.order
  if (raw === undefined || raw === 'asc' || raw === 'desc') return { ok: true, value: raw }
  return invalid('order', 'must be asc or desc')
}

export function cozeManagementCall (op: CozeManagementOp, query: string, ctx: CozeRequestContext): CozeResult<CozeCall> {
  switch (op.kind) {
    case 'list-conversations': return listConversations(query, ctx)
    case 'list-messages': return listMessages(op.conversationId, query)
    case 'delete-conversation': {
      const q = readQuery(query, [])
      if (!q.ok) return q
      return { ok: true, value: { method: 'DELETE', path: ITEM_PREFIX + op.conversationId, query: '' } }
    }
  }
}

function listConversations (query: string, ctx: CozeRequestContext): CozeResult<CozeCall> {
  const q = readQuery(query, ['page', 'limit', 'order'])
  if (!q.ok) return q
  const bot = resolveBot(ctx)
  if (!bot.ok) return bot
  const page = integerIn(q.value, 'page', 1, Number.MAX_SAFE_INTEGER)
  if (!page.ok) return page
  const limit = integerIn(q.value, 'limit', 1, MAX_PAGE_SIZE)
  if (!limit.ok) return limit
  const sort = order(q.value)
  if (!sort.ok) return sort
  const params = new URLSearchParams({ bot_id: bot.value })
  if (page.value !== undefined) params.set('page_num', String(page.value))
  if (limit.value !== undefined) params.set('page_size', String(limit.value))
  if (sort.value !== undefined) params.set('sort_order', sort.value.toUpperCase())
  return { ok: true, value: { method: 'GET', path: LIST, query: params.toString() } }
}

function listMessages (conversationId: string, query: string): CozeResult<CozeCall> {
  const q = readQuery(query, ['limit', 'order', 'before', 'after'])
  if (!q.ok) return q
  const limit = integerIn(q.value, 'limit', 1, MAX_PAGE_SIZE)
  if (!limit.ok) return limit
  const sort = order(q.value)
  if (!sort.ok) return sort
  const body: Record<string, unknown> = { order: sort.value ?? 'asc' }
  if (limit.value !== undefined) body.limit = limit.value
  for (const [name, field] of [['before', 'before_id'], ['after', 'after_id']] as const) {
    const id = q.value[name]
    if (id === undefined) continue
    if (!isCozeId(id)) return invalid(name, 'must be a Coze message id')
    body[field] = id
  }
  return {
    ok: true,
    value: { method: 'POST', path: '/v1/conversation/message/list', query: new URLSearchParams({ conversation_id: conversationId }).toString(), body },
  }
}
