// Client headers + backend settings → CozeTarget: modes, the override rule of issue 6 §3, the
// conversation prepare step and the response header.
import t from 'tap'
import { cozeResponseHeaders, resolveCozeTarget, withConversation, type CozeRequestContext } from '../../../../src/dialects/coze/target.js'
import { prepareCall, readCreatedConversation } from '../../../../src/dialects/coze/prepare.js'

const SETTINGS = { botId: '7379462189365198898', workflowId: '73664689170551', userId: 'ops' }
const ctx = (headers: Record<string, string | string[]>, overridesAllowed = false, settings: CozeRequestContext['settings'] = SETTINGS): CozeRequestContext =>
  ({ headers, overridesAllowed, ...(settings === undefined ? {} : { settings }) })

t.test('chat is the default mode, on the configured bot', async t => {
  t.same(resolveCozeTarget(ctx({})), { ok: true, value: { mode: 'chat', botId: SETTINGS.botId, userId: 'ops' } })
  t.same(resolveCozeTarget(ctx({ 'x-model-type': ' Chat ' })), { ok: true, value: { mode: 'chat', botId: SETTINGS.botId, userId: 'ops' } })
})

t.test('an unknown mode is a 400 naming the header', async t => {
  t.same(resolveCozeTarget(ctx({ 'x-model-type': 'agent' })), {
    ok: false,
    error: { kind: 'invalid_request', status: 400, message: 'x-model-type: must be one of chat, conversation, workflow', param: 'x-model-type' },
  })
})

t.test('x-bot-id overrides the bot only for keys allowed to override', async t => {
  t.same(resolveCozeTarget(ctx({ 'x-bot-id': '111' }, true)), { ok: true, value: { mode: 'chat', botId: '111', userId: 'ops' } })
  const refused = resolveCozeTarget(ctx({ 'x-bot-id': '111' }, false))
  t.same(refused, { ok: false, error: { kind: 'permission', status: 403, message: 'x-bot-id: this key may not override the backend\'s Coze settings', param: 'x-bot-id' } })
})

t.test('without a bot anywhere the request is a 400 naming x-bot-id', async t => {
  const r = resolveCozeTarget(ctx({}, true, {}))
  t.match(r, { ok: false, error: { kind: 'invalid_request', status: 400, param: 'x-bot-id' } })
})

t.test('ids must be plain tokens (they go into upstream paths)', async t => {
  t.match(resolveCozeTarget(ctx({ 'x-bot-id': '../v1/x' }, true)), { ok: false, error: { param: 'x-bot-id', status: 400 } })
  t.match(resolveCozeTarget(ctx({ 'x-model-type': 'conversation', 'x-conversation-id': 'a b' })), { ok: false, error: { param: 'x-conversation-id' } })
})

t.test('conversation mode continues the client\'s conversation, without override rights', async t => {
  const r = resolveCozeTarget(ctx({ 'x-model-type': 'conversation', 'x-conversation-id': '7381473525342978089' }))
  t.same(r, { ok: true, value: { mode: 'conversation', botId: SETTINGS.botId, userId: 'ops', conversationId: '7381473525342978089' } })
  if (!r.ok) return
  t.equal(prepareCall(r.value), undefined, 'no prepare step for a known conversation')
  t.same(cozeResponseHeaders(r.value), { 'x-conversation-id': '7381473525342978089' })
})

t.test('conversation mode without an id: create it first, then return its id', async t => {
  const r = resolveCozeTarget(ctx({ 'x-model-type': 'conversation' }))
  t.same(r, { ok: true, value: { mode: 'conversation', botId: SETTINGS.botId, userId: 'ops' } })
  if (!r.ok) return
  t.same(cozeResponseHeaders(r.value), {})
  t.same(prepareCall(r.value), { method: 'POST', path: '/v1/conversation/create', query: '', body: { bot_id: SETTINGS.botId } })
  const created = readCreatedConversation({ code: 0, msg: '', data: { id: '737999610479815', created_at: 1718289297, meta_data: {} }, detail: { logid: 'x' } })
  t.same(created, { ok: true, value: '737999610479815' })
  if (!created.ok) return
  const target = withConversation(r.value, created.value)
  t.same(target, { mode: 'conversation', botId: SETTINGS.botId, userId: 'ops', conversationId: '737999610479815', fresh: true })
  t.same(cozeResponseHeaders(target), { 'x-conversation-id': '737999610479815' })
})

t.test('the create reply: a Coze failure is returned, garbage throws', async t => {
  t.same(readCreatedConversation({ code: 4101, msg: 'no permission' }), { ok: false, error: { kind: 'permission', status: 403, message: 'no permission (Coze code 4101)' } })
  t.throws(() => readCreatedConversation({ code: 0, data: {} }), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
})

t.test('x-conversation-id outside conversation mode is a 400', async t => {
  t.match(resolveCozeTarget(ctx({ 'x-conversation-id': '123' })), { ok: false, error: { param: 'x-conversation-id', status: 400 } })
})

t.test('workflow mode: configured or (allowed) header workflow, input name from settings', async t => {
  t.same(resolveCozeTarget(ctx({ 'x-model-type': 'workflow' })), { ok: true, value: { mode: 'workflow', workflowId: SETTINGS.workflowId, input: 'input' } })
  t.same(resolveCozeTarget(ctx({ 'x-model-type': 'workflow', 'x-workflow-id': '42', 'x-bot-id': '7' }, true, { workflowInput: 'query' })), {
    ok: true, value: { mode: 'workflow', workflowId: '42', input: 'query', botId: '7' },
  })
  t.match(resolveCozeTarget(ctx({ 'x-model-type': 'workflow', 'x-workflow-id': '42' })), { ok: false, error: { kind: 'permission', param: 'x-workflow-id' } })
  t.match(resolveCozeTarget(ctx({ 'x-model-type': 'workflow' }, false, { botId: '1' })), { ok: false, error: { kind: 'invalid_request', param: 'x-workflow-id' } })
})

t.test('a repeated header uses its first value', async t => {
  t.match(resolveCozeTarget(ctx({ 'x-model-type': ['workflow', 'chat'] })), { ok: true, value: { mode: 'workflow' } })
})
