// A loopback Coze server (STYLE.md §2.12) on test/helpers/mock-upstream.ts: it speaks the wire
// format of the Coze Open API as @coze/api 1.3.9 and the docs show it, keeps conversations in
// memory, records every request, and checks `Authorization: Bearer <token>`.
// Framing, as Coze writes it: chat v3 frames have NO space after the colon
// (`event:conversation.message.delta\ndata:{…}\n\n`, ending `event:done\ndata:"[DONE]"`, docs
// chat_v3); workflow frames DO (`id: 0\nevent: Message\ndata: {…}\n\n`, docs workflow_stream_run).
// Failures follow Coze: a bad token is HTTP 401 `{code:4100}`, everything else HTTP 200 with
// `code != 0` — also for a stream request, answered with JSON instead of a stream.
import type { IncomingHttpHeaders } from 'node:http'
import { startMockUpstream, type MockUpstream, type RecordedRequest, type Script } from './mock-upstream.js'

export const COZE_TOKEN = 'pat_switchyard_test_token'

export interface CozeFailure { readonly code: number, readonly msg: string }
export interface CozeUsageCounts { readonly input: number, readonly output: number }

/** What one `/v3/chat` answers. Default: an echo of the last message, in two deltas. */
export interface CozeChatScript {
  readonly answer?: readonly string[]
  readonly reasoning?: readonly string[]
  readonly usage?: CozeUsageCounts
  /** Follow-up suggestions after the answer (Coze sends them as `follow_up` messages). */
  readonly followUps?: readonly string[]
  /** End with `conversation.chat.failed` carrying this `last_error` (after any answer deltas). */
  readonly fail?: CozeFailure
  /** End with an `error` event (after any answer deltas). */
  readonly errorEvent?: CozeFailure
  /** Ask the caller to run these local plugins (`conversation.chat.requires_action`). */
  readonly requiresAction?: readonly string[]
  /** Answer with HTTP 200 JSON `{code,msg}` instead of a stream. */
  readonly jsonError?: CozeFailure
}

/** What one `/v1/workflow/stream_run` answers. Default: an echo of the parameters. */
export interface CozeWorkflowScript {
  readonly messages?: readonly string[]
  readonly usage?: CozeUsageCounts
  readonly error?: CozeFailure
  /** Stop with `Interrupt` at a node of this title. */
  readonly interrupt?: string
  readonly jsonError?: CozeFailure
}

export interface CozeMessageRecord {
  readonly id: string
  readonly role: 'user' | 'assistant'
  readonly type: string
  readonly content: string
  readonly content_type: string
  readonly created_at: number
}

export interface CozeConversationRecord {
  readonly id: string
  readonly botId: string | undefined
  readonly created_at: number
  readonly messages: CozeMessageRecord[]
}

/** A request as the mock parsed it. */
export interface CozeReceived {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  readonly body: unknown
}

export interface CozeUpstreamOptions {
  readonly token?: string
  readonly chat?: (body: ChatBody, query: URLSearchParams) => CozeChatScript
  readonly workflow?: (body: WorkflowBody) => CozeWorkflowScript
  readonly frameDelayMs?: number
}

export interface CozeUpstream {
  readonly url: string
  readonly received: CozeReceived[]
  readonly conversations: Map<string, CozeConversationRecord>
  readonly raw: MockUpstream
}

interface ChatMessage { readonly role: 'user' | 'assistant', readonly type?: string, readonly content: string, readonly content_type: string }
export interface ChatBody {
  readonly bot_id: string
  readonly user_id?: string
  readonly stream?: boolean
  readonly auto_save_history?: boolean
  readonly additional_messages: readonly ChatMessage[]
}
export interface WorkflowBody { readonly workflow_id: string, readonly parameters?: Record<string, unknown>, readonly bot_id?: string }

type Tap = Parameters<typeof startMockUpstream>[0]
const NOW = 1718792949
let serial = 7382159487131690000n

function nextId (): string {
  serial += 1n
  return String(serial)
}

function jsonReply (body: unknown, status = 200): Script {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': 'mock-logid' }, frames: [JSON.stringify(body)] }
}

function failure (f: CozeFailure, status = 200): Script {
  return jsonReply({ code: f.code, msg: f.msg, detail: { logid: 'mock-logid' } }, status)
}

function ok (data: unknown): Script {
  return jsonReply({ code: 0, msg: '', data, detail: { logid: 'mock-logid' } })
}

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }

/** A chat v3 frame: no space after the colons. */
export function chatFrame (event: string, data: unknown): string {
  return 'event:' + event + '\ndata:' + (typeof data === 'string' ? data : JSON.stringify(data)) + '\n\n'
}

/** A workflow frame: `id`, `event` and `data` with a space after each colon. */
export function workflowFrame (id: number, event: string, data: unknown): string {
  return 'id: ' + id + '\nevent: ' + event + '\ndata: ' + JSON.stringify(data) + '\n\n'
}

function parseBody (rec: RecordedRequest): unknown {
  const text = rec.body.toString('utf8')
  if (text === '') return undefined
  try { return JSON.parse(text) } catch { return text }
}

function isChatBody (body: unknown): body is ChatBody {
  if (typeof body !== 'object' || body === null) return false
  const b = body as Record<string, unknown>
  if (typeof b.bot_id !== 'string' || b.bot_id === '' || !Array.isArray(b.additional_messages)) return false
  return b.additional_messages.every((m: unknown) => {
    const r = m as Record<string, unknown> | null
    return r !== null && (r.role === 'user' || r.role === 'assistant') && typeof r.content === 'string' &&
      (r.content_type === 'text' || r.content_type === 'object_string')
  })
}

export async function startCozeUpstream (t: Tap, options: CozeUpstreamOptions = {}): Promise<CozeUpstream> {
  const token = options.token ?? COZE_TOKEN
  const received: CozeReceived[] = []
  const conversations = new Map<string, CozeConversationRecord>()

  function createConversation (botId: string | undefined): CozeConversationRecord {
    const record = { id: nextId(), botId, created_at: NOW, messages: [] }
    conversations.set(record.id, record)
    return record
  }

  function chat (body: unknown, query: URLSearchParams): Script {
    if (!isChatBody(body)) return failure({ code: 4000, msg: 'Request parameter error' })
    const asked = query.get('conversation_id')
    const stored = asked === null ? undefined : conversations.get(asked)
    if (asked !== null && stored === undefined) return failure({ code: 4002, msg: 'invalid conversation' })
    const conversationId = stored?.id ?? nextId()
    const chatId = nextId()
    const head = { id: chatId, conversation_id: conversationId, bot_id: body.bot_id, created_at: NOW, last_error: { code: 0, msg: '' } }
    if (body.stream !== true) return ok({ ...head, status: 'created' })
    const last = body.additional_messages[body.additional_messages.length - 1]
    const script = options.chat?.(body, query) ?? { answer: ['Echo: ', last?.content ?? ''] }
    if (script.jsonError !== undefined) return failure(script.jsonError)
    const frames = chatFrames(script, head)
    const answer = (script.answer ?? []).join('')
    if (stored !== undefined && body.auto_save_history !== false && script.fail === undefined && script.errorEvent === undefined) {
      for (const m of body.additional_messages) stored.messages.push({ id: nextId(), role: m.role, type: m.type ?? 'question', content: m.content, content_type: m.content_type, created_at: NOW })
      stored.messages.push({ id: nextId(), role: 'assistant', type: 'answer', content: answer, content_type: 'text', created_at: NOW })
    }
    return { status: 200, headers: SSE_HEADERS, frames, ...(options.frameDelayMs === undefined ? {} : { frameDelayMs: options.frameDelayMs }) }
  }

  function workflow (body: unknown): Script {
    const b = body as WorkflowBody | undefined
    if (typeof b?.workflow_id !== 'string' || b.workflow_id === '') return failure({ code: 4000, msg: 'Request parameter error' })
    const params = Object.values(b.parameters ?? {}).map(v => String(v)).join(' ')
    const script = options.workflow?.(b) ?? { messages: ['Workflow got: ', params] }
    if (script.jsonError !== undefined) return failure(script.jsonError)
    return { status: 200, headers: SSE_HEADERS, frames: workflowFrames(script), ...(options.frameDelayMs === undefined ? {} : { frameDelayMs: options.frameDelayMs }) }
  }

  function listConversations (query: URLSearchParams): Script {
    const botId = query.get('bot_id')
    if (botId === null || botId === '') return failure({ code: 4000, msg: 'bot_id is required' })
    const page = Number(query.get('page_num') ?? '1')
    const size = Number(query.get('page_size') ?? '50')
    const mine = [...conversations.values()].filter(c => c.botId === botId)
    if (query.get('sort_order') !== 'ASC') mine.reverse()
    const slice = mine.slice((page - 1) * size, page * size)
    return ok({
      has_more: page * size < mine.length,
      conversations: slice.map(c => ({ id: c.id, name: '', meta_data: {}, creator_id: '247877439325', connector_id: '1024', created_at: c.created_at, updated_at: c.created_at, last_section_id: nextId() })),
    })
  }

  function listMessages (query: URLSearchParams, body: unknown): Script {
    const stored = conversations.get(query.get('conversation_id') ?? '')
    if (stored === undefined) return failure({ code: 4002, msg: 'invalid conversation' })
    const b = (body ?? {}) as { order?: string, limit?: number }
    const messages = b.order === 'asc' ? [...stored.messages] : [...stored.messages].reverse()
    const data = messages.slice(0, b.limit ?? 50).map(m => ({
      ...m, bot_id: stored.botId ?? '', chat_id: '', conversation_id: stored.id, meta_data: {}, updated_at: String(m.created_at), reasoning_content: '',
    }))
    return jsonReply({ code: 0, msg: '', data, first_id: data[0]?.id ?? '0', last_id: data[data.length - 1]?.id ?? '0', has_more: false, detail: { logid: 'mock-logid' } })
  }

  function route (rec: CozeReceived): Script {
    const { method, path, query, body } = rec
    if (method === 'POST' && path === '/v3/chat') return chat(body, query)
    if (method === 'POST' && path === '/v1/workflow/stream_run') return workflow(body)
    if (method === 'POST' && path === '/v1/conversation/create') {
      const c = createConversation((body as { bot_id?: string } | undefined)?.bot_id)
      return ok({ id: c.id, name: '', meta_data: {}, created_at: c.created_at, creator_id: '247877439325', connector_id: '1024', updated_at: c.created_at, last_section_id: nextId() })
    }
    if (method === 'GET' && path === '/v1/conversations') return listConversations(query)
    if (method === 'POST' && path === '/v1/conversation/message/list') return listMessages(query, body)
    const del = /^\/v1\/conversations\/([^/]+)$/.exec(path)
    if (method === 'DELETE' && del !== null) {
      const id = decodeURIComponent(del[1] ?? '')
      if (!conversations.delete(id)) return failure({ code: 4200, msg: 'Resource not found' })
      return jsonReply({ code: 0, msg: '', detail: { logid: 'mock-logid' } })
    }
    return failure({ code: 4200, msg: 'no such endpoint: ' + method + ' ' + path }, 404)
  }

  const raw = await startMockUpstream(t, (rec: RecordedRequest) => {
    const url = new URL(rec.url, 'http://coze.invalid')
    const parsed: CozeReceived = { method: rec.method, path: url.pathname, query: url.searchParams, headers: rec.headers, body: parseBody(rec) }
    received.push(parsed)
    if (rec.headers.authorization !== 'Bearer ' + token) return failure({ code: 4100, msg: 'authentication is invalid' }, 401)
    return route(parsed)
  })
  return { url: raw.url, received, conversations, raw }
}

interface ChatHead { readonly id: string, readonly conversation_id: string, readonly bot_id: string, readonly created_at: number, readonly last_error: CozeFailure }

/** The frames of one chat v3 stream, in the order the docs' example shows. */
export function chatFrames (script: CozeChatScript, head: ChatHead): string[] {
  const frames = [
    chatFrame('conversation.chat.created', { ...head, status: 'created', usage: { token_count: 0, output_count: 0, input_count: 0 } }),
    chatFrame('conversation.chat.in_progress', { ...head, status: 'in_progress', usage: { token_count: 0, output_count: 0, input_count: 0 } }),
  ]
  const message = { id: head.id + '1', conversation_id: head.conversation_id, bot_id: head.bot_id, chat_id: head.id, role: 'assistant', type: 'answer', content_type: 'text' }
  for (const r of script.reasoning ?? []) frames.push(chatFrame('conversation.message.delta', { ...message, content: '', reasoning_content: r }))
  for (const a of script.answer ?? []) frames.push(chatFrame('conversation.message.delta', { ...message, content: a }))
  if (script.fail !== undefined) {
    frames.push(chatFrame('conversation.chat.failed', { ...head, status: 'failed', last_error: script.fail }))
    return frames
  }
  if (script.errorEvent !== undefined) {
    frames.push(chatFrame('error', script.errorEvent))
    return frames
  }
  if (script.requiresAction !== undefined) {
    const toolCalls = script.requiresAction.map((name, i) => ({ id: 'call_' + i, type: 'function', function: { name, arguments: '{}' } }))
    frames.push(chatFrame('conversation.chat.requires_action', { ...head, status: 'requires_action', required_action: { type: 'submit_tool_outputs', submit_tool_outputs: { tool_calls: toolCalls } } }))
    frames.push(chatFrame('done', '"[DONE]"'))
    return frames
  }
  if (script.answer !== undefined) {
    frames.push(chatFrame('conversation.message.completed', { ...message, content: script.answer.join(''), reasoning_content: (script.reasoning ?? []).join('') }))
  }
  frames.push(chatFrame('conversation.message.completed', { ...message, id: head.id + '2', type: 'verbose', content: '{"msg_type":"generate_answer_finish","data":"","from_module":null,"from_unit":null}' }))
  for (const [i, f] of (script.followUps ?? []).entries()) frames.push(chatFrame('conversation.message.completed', { ...message, id: head.id + '3' + i, type: 'follow_up', content: f }))
  const usage = script.usage ?? { input: 12, output: 4 }
  frames.push(chatFrame('conversation.chat.completed', { ...head, status: 'completed', completed_at: NOW, usage: { token_count: usage.input + usage.output, output_count: usage.output, input_count: usage.input } }))
  frames.push(chatFrame('done', '"[DONE]"'))
  return frames
}

/** The frames of one workflow stream, as the docs' example shows them. */
export function workflowFrames (script: CozeWorkflowScript): string[] {
  const frames: string[] = []
  const messages = script.messages ?? []
  let id = 0
  for (const [i, content] of messages.entries()) {
    const last = i === messages.length - 1
    const data: Record<string, unknown> = { content, node_is_finish: last, node_seq_id: String(i), node_title: 'End', node_type: 'End', node_id: '900001' }
    if (last && script.usage !== undefined) data.usage = { token_count: script.usage.input + script.usage.output, output_count: script.usage.output, input_count: script.usage.input }
    frames.push(workflowFrame(id++, 'Message', data))
  }
  if (script.error !== undefined) {
    frames.push(workflowFrame(id++, 'Error', { error_code: script.error.code, error_message: script.error.msg }))
    return frames
  }
  if (script.interrupt !== undefined) {
    frames.push(workflowFrame(id++, 'Interrupt', { interrupt_data: { data: '', event_id: '7404830425073352713/2769808280134765896', type: 2 }, node_title: script.interrupt }))
    return frames
  }
  frames.push(workflowFrame(id, 'Done', { debug_url: 'https://www.coze.cn/work_flow?execute_id=7404830425073352713' }))
  return frames
}
