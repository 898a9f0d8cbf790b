// The Coze pieces against the loopback Coze server (test/helpers/coze-upstream.ts), over real
// HTTP: each flow the engine will run — chat, conversation (create, continue, list, history,
// delete), workflow — and the failure paths (bad token, HTTP 200 failure JSON, failed chat).
import t, { type Test } from 'tap'
import { request } from 'undici'
import { ResponseAccumulator } from '../../../../src/canonical/accumulate.js'
import type { CanonicalError } from '../../../../src/canonical/error.js'
import type { CanonicalMessage, CanonicalRequest } from '../../../../src/canonical/request.js'
import type { CanonicalResponse } from '../../../../src/canonical/response.js'
import {
  cozeBackend, cozeJsonError, cozeManagementCall, cozeManagementReply, cozeResponseHeaders, matchCozeManagement,
  prepareCall, readCreatedConversation, resolveCozeTarget, withConversation, type CozeCall, type CozeRequestContext, type CozeTarget,
} from '../../../../src/dialects/coze/index.js'
import { SseDecoder } from '../../../../src/sse/decoder.js'
import { COZE_TOKEN, startCozeUpstream, type CozeUpstream } from '../../../helpers/coze-upstream.js'

const SETTINGS = { botId: '7379462189365198898', workflowId: '73664689170551' }
const user = (text: string): CanonicalMessage => ({ role: 'user', parts: [{ type: 'text', text }] })
const canonical = (messages: readonly CanonicalMessage[]): CanonicalRequest => ({ model: 'coze-bot', system: [], messages, stream: false })

interface Sent { readonly status: number, readonly type: string, readonly json?: unknown, readonly text: string }

async function send (up: CozeUpstream, call: CozeCall, token = COZE_TOKEN): Promise<Sent> {
  const res = await request(up.url + call.path + (call.query === '' ? '' : '?' + call.query), {
    method: call.method,
    headers: { authorization: 'Bearer ' + token, ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  })
  const text = await res.body.text()
  const type = String(res.headers['content-type'] ?? '')
  return type.startsWith('application/json') ? { status: res.statusCode, type, json: JSON.parse(text), text } : { status: res.statusCode, type, text }
}

/** The stream folded into a response (or its error), as collectStream does. */
function collect (target: CozeTarget, req: CanonicalRequest, body: string): { response?: CanonicalResponse, error?: CanonicalError } {
  const sse = new SseDecoder()
  const decoder = cozeBackend(target).createStreamDecoder(req)
  const acc = new ResponseAccumulator()
  const sink = acc.push.bind(acc)
  for (const frame of [...sse.feed(Buffer.from(body)), ...sse.end()]) decoder.push(frame, sink)
  decoder.end(sink)
  if (acc.error !== undefined) return { error: acc.error }
  const response = acc.result()
  return response === undefined ? {} : { response }
}

function target (t: Test, ctx: CozeRequestContext): CozeTarget {
  const r = resolveCozeTarget(ctx)
  if (!r.ok) throw new Error(r.error.message)
  t.pass('target resolved: ' + r.value.mode)
  return r.value
}

async function run (up: CozeUpstream, tgt: CozeTarget, req: CanonicalRequest): Promise<{ response?: CanonicalResponse, error?: CanonicalError }> {
  const res = await send(up, cozeBackend(tgt).encodeRequest(req, { model: req.model, defaultMaxTokens: 1 }))
  if (res.json !== undefined) return { error: cozeJsonError(res.json) ?? { kind: 'server_error', status: 502, message: 'json' } }
  return collect(tgt, req, res.text)
}

t.test('chat: the whole history goes up with the bearer token; the echo comes back with usage', async t => {
  const up = await startCozeUpstream(t)
  const tgt = target(t, { headers: {}, settings: SETTINGS, overridesAllowed: false })
  const out = await run(up, tgt, canonical([user('Hi'), { role: 'assistant', parts: [{ type: 'text', text: 'Hello' }] }, user('Ping')]))
  t.match(out.response, { id: /^\d+$/, model: 'coze-bot', content: [{ type: 'text', text: 'Echo: Ping' }], finish: { reason: 'stop' }, usage: { input: 12, output: 4 } })
  const got = up.received[0]
  t.equal(got?.headers.authorization, 'Bearer ' + COZE_TOKEN)
  t.match(got?.body, { bot_id: SETTINGS.botId, stream: true, auto_save_history: false, additional_messages: [{ content: 'Hi' }, { content: 'Hello' }, { content: 'Ping' }] })
  t.equal(up.conversations.size, 0, 'a stateless chat leaves no conversation behind')
})

t.test('conversation: create, answer, continue with the new turn only, list, history, delete', async t => {
  const up = await startCozeUpstream(t)
  let tgt = target(t, { headers: { 'x-model-type': 'conversation' }, settings: SETTINGS, overridesAllowed: false })
  const prepare = prepareCall(tgt)
  if (prepare === undefined) throw new Error('expected a prepare step')
  const created = await send(up, prepare)
  const id = readCreatedConversation(created.json)
  if (!id.ok) throw new Error(id.error.message)
  tgt = withConversation(tgt, id.value)
  t.same(cozeResponseHeaders(tgt), { 'x-conversation-id': id.value })
  const first = await run(up, tgt, canonical([user('One')]))
  t.match(first.response?.content, [{ type: 'text', text: 'Echo: One' }])

  const next = target(t, { headers: { 'x-model-type': 'conversation', 'x-conversation-id': id.value }, settings: SETTINGS, overridesAllowed: false })
  const second = await run(up, next, canonical([user('One'), { role: 'assistant', parts: [{ type: 'text', text: 'Echo: One' }] }, user('Two')]))
  t.match(second.response?.content, [{ type: 'text', text: 'Echo: Two' }])
  t.match(up.received[2]?.body, { auto_save_history: true, additional_messages: [{ content: 'Two' }] })
  t.equal((up.received[2]?.body as { additional_messages: unknown[] }).additional_messages.length, 1, 'only the new turn')
  t.equal(up.received[2]?.query.get('conversation_id'), id.value)

  const ctx: CozeRequestContext = { headers: {}, settings: SETTINGS, overridesAllowed: false }
  const manage = async (method: string, path: string, query = ''): Promise<unknown> => {
    const op = matchCozeManagement(method, path)
    if (op === undefined || !op.ok) throw new Error('not a management path')
    const call = cozeManagementCall(op.value, query, ctx)
    if (!call.ok) throw new Error(call.error.message)
    const reply = cozeManagementReply(op.value, (await send(up, call.value)).json)
    return reply.ok ? reply.value : reply.error
  }
  t.match(await manage('GET', '/v1/conversations'), { object: 'list', data: [{ id: id.value, object: 'conversation' }], has_more: false })
  const history = await manage('GET', `/v1/conversations/${id.value}/messages`) as { data: Array<{ role: string, content: string }> }
  t.same(history.data.map(m => m.role + ':' + m.content), ['user:One', 'assistant:Echo: One', 'user:Two', 'assistant:Echo: Two'])
  t.same(await manage('DELETE', `/v1/conversations/${id.value}`), { id: id.value, object: 'conversation.deleted', deleted: true })
  t.match(await manage('GET', `/v1/conversations/${id.value}/messages`), { kind: 'not_found', status: 404 })
})

t.test('continuing an unknown conversation: HTTP 200 with code 4002 becomes a 404', async t => {
  const up = await startCozeUpstream(t)
  const tgt = target(t, { headers: { 'x-model-type': 'conversation', 'x-conversation-id': '404' }, settings: SETTINGS, overridesAllowed: false })
  const out = await run(up, tgt, canonical([user('Hi')]))
  t.same(out.error, { kind: 'not_found', status: 404, message: 'invalid conversation (Coze code 4002)' })
})

t.test('workflow: the last user text as the input parameter, the Messages as the reply', async t => {
  const up = await startCozeUpstream(t, { workflow: () => ({ messages: ['Sum', 'mary'], usage: { input: 3, output: 2 } }) })
  const tgt = target(t, { headers: { 'x-model-type': 'workflow' }, settings: { ...SETTINGS, workflowInput: 'topic' }, overridesAllowed: false })
  const out = await run(up, tgt, canonical([user('cats')]))
  t.match(out.response, { content: [{ type: 'text', text: 'Summary' }], usage: { input: 3, output: 2 }, finish: { reason: 'stop' } })
  t.same(up.received[0]?.body, { workflow_id: SETTINGS.workflowId, parameters: { topic: 'cats' } })
})

t.test('failures: bad token, failed chat, error event, requires_action, workflow interrupt', async t => {
  const up = await startCozeUpstream(t, {
    chat: (body) => {
      const last = body.additional_messages[body.additional_messages.length - 1]?.content
      if (last === 'fail') return { answer: ['Part'], fail: { code: 4013, msg: 'model error' } }
      if (last === 'event') return { errorEvent: { code: 4009, msg: 'busy' } }
      return { requiresAction: ['get_weather'] }
    },
    workflow: () => ({ messages: ['Which city?'], interrupt: 'Question' }),
  })
  const chat = target(t, { headers: {}, settings: SETTINGS, overridesAllowed: false })
  const denied = await send(up, cozeBackend(chat).encodeRequest(canonical([user('x')]), { model: 'm', defaultMaxTokens: 1 }), 'wrong')
  t.equal(denied.status, 401)
  t.same(cozeBackend(chat).parseError(denied.status, denied.json, undefined), { kind: 'authentication', status: 401, message: 'authentication is invalid (Coze code 4100)' })
  t.same((await run(up, chat, canonical([user('fail')]))).error, { kind: 'server_error', status: 500, message: 'model error (Coze code 4013)' })
  t.same((await run(up, chat, canonical([user('event')]))).error, { kind: 'overloaded', status: 503, message: 'busy (Coze code 4009)' })
  t.match((await run(up, chat, canonical([user('tools')]))).error, { kind: 'invalid_request', message: /get_weather/ })
  const wf = target(t, { headers: { 'x-model-type': 'workflow' }, settings: SETTINGS, overridesAllowed: false })
  t.match((await run(up, wf, canonical([user('weather')]))).error, { kind: 'invalid_request', message: /"Question".*Interrupt/ })
})

t.test('the mock frames chat without a space and workflows with one, as Coze does', async t => {
  const up = await startCozeUpstream(t)
  const chat = await send(up, cozeBackend({ mode: 'chat', botId: 'b' }).encodeRequest(canonical([user('x')]), { model: 'm', defaultMaxTokens: 1 }))
  t.match(chat.text, /^event:conversation\.chat\.created\ndata:\{/)
  t.match(chat.text, /event:done\ndata:"\[DONE\]"\n\n$/)
  const wf = await send(up, cozeBackend({ mode: 'workflow', workflowId: 'w', input: 'input' }).encodeRequest(canonical([user('x')]), { model: 'm', defaultMaxTokens: 1 }))
  t.match(wf.text, /^id: 0\nevent: Message\ndata: \{/)
  t.equal(chat.type, 'text/event-stream')
})
