// Management endpoints: path matching, the Coze call behind each, and the list/deletion replies
// (shapes from the docs pages list_conversations, list_message, delete_conversation).
import t from 'tap'
import { cozeManagementCall, matchCozeManagement, type CozeManagementOp } from '../../../../src/dialects/coze/management-routes.js'
import { cozeManagementReply } from '../../../../src/dialects/coze/management-replies.js'
import type { CozeRequestContext } from '../../../../src/dialects/coze/target.js'

const CTX: CozeRequestContext = { headers: {}, settings: { botId: '73428668' }, overridesAllowed: false }
const LIST: CozeManagementOp = { kind: 'list-conversations' }
const MESSAGES: CozeManagementOp = { kind: 'list-messages', conversationId: '737363834493434' }

t.test('paths: list, messages, delete; other methods and paths are not ours', async t => {
  t.same(matchCozeManagement('GET', '/v1/conversations'), { ok: true, value: LIST })
  t.same(matchCozeManagement('GET', '/v1/conversations/737363834493434/messages'), { ok: true, value: MESSAGES })
  t.same(matchCozeManagement('DELETE', '/v1/conversations/737363834493434'), { ok: true, value: { kind: 'delete-conversation', conversationId: '737363834493434' } })
  t.equal(matchCozeManagement('POST', '/v1/conversations'), undefined)
  t.equal(matchCozeManagement('GET', '/v1/conversations/123'), undefined)
  t.equal(matchCozeManagement('GET', '/v1/chat/completions'), undefined)
  t.match(matchCozeManagement('DELETE', '/v1/conversations/12/34'), { ok: false, error: { status: 400, param: 'conversation_id' } })
  t.match(matchCozeManagement('GET', '/v1/conversations//messages'), { ok: false, error: { param: 'conversation_id' } })
})

t.test('list conversations: the configured bot, paging and order mapped to Coze names', async t => {
  t.same(cozeManagementCall(LIST, '', CTX), { ok: true, value: { method: 'GET', path: '/v1/conversations', query: 'bot_id=73428668' } })
  t.same(cozeManagementCall(LIST, 'page=2&limit=40&order=asc', CTX),
    { ok: true, value: { method: 'GET', path: '/v1/conversations', query: 'bot_id=73428668&page_num=2&page_size=40&sort_order=ASC' } })
  t.match(cozeManagementCall(LIST, 'limit=51', CTX), { ok: false, error: { param: 'limit', status: 400 } })
  t.match(cozeManagementCall(LIST, 'order=up', CTX), { ok: false, error: { param: 'order' } })
  t.match(cozeManagementCall(LIST, 'cursor=1', CTX), { ok: false, error: { param: 'cursor', message: /unknown query parameter/ } })
})

t.test('list conversations: x-bot-id follows the override rule', async t => {
  t.match(cozeManagementCall(LIST, '', { ...CTX, headers: { 'x-bot-id': '99' } }), { ok: false, error: { kind: 'permission', param: 'x-bot-id' } })
  t.match(cozeManagementCall(LIST, '', { ...CTX, headers: { 'x-bot-id': '99' }, overridesAllowed: true }), { ok: true, value: { query: 'bot_id=99' } })
})

t.test('messages: POST message/list with the conversation in the query, oldest first by default', async t => {
  t.same(cozeManagementCall(MESSAGES, '', CTX), {
    ok: true,
    value: { method: 'POST', path: '/v1/conversation/message/list', query: 'conversation_id=737363834493434', body: { order: 'asc' } },
  })
  t.match(cozeManagementCall(MESSAGES, 'limit=30&order=desc&before=7373&after=7374', CTX), {
    ok: true, value: { body: { order: 'desc', limit: 30, before_id: '7373', after_id: '7374' } },
  })
  t.match(cozeManagementCall(MESSAGES, 'before=x%20y', CTX), { ok: false, error: { param: 'before' } })
})

t.test('delete: DELETE /v1/conversations/{id}', async t => {
  t.same(cozeManagementCall({ kind: 'delete-conversation', conversationId: '7379' }, '', CTX), { ok: true, value: { method: 'DELETE', path: '/v1/conversations/7379', query: '' } })
})

t.test('the docs list_conversations reply → an OpenAI-like list', async t => {
  const reply = cozeManagementReply(LIST, {
    code: 0,
    msg: '',
    data: {
      has_more: false,
      conversations: [{ id: '737999610479815', name: '推荐杭州美食', meta_data: { uuid: 'newid1234' }, creator_id: '247877439325', connector_id: '1024', created_at: 1718289297, updated_at: 1718289297, last_section_id: '7495664347616952360' }],
    },
    detail: { logid: '20241210152726467C48D89D6DB2' },
  })
  t.same(reply, {
    ok: true,
    value: {
      object: 'list',
      data: [{ id: '737999610479815', object: 'conversation', created_at: 1718289297, updated_at: 1718289297, name: '推荐杭州美食', metadata: { uuid: 'newid1234' }, last_section_id: '7495664347616952360' }],
      has_more: false,
    },
  })
})

t.test('the docs list_message reply → a list of messages, string timestamps normalised', async t => {
  const reply = cozeManagementReply(MESSAGES, {
    code: 0,
    data: [
      { bot_id: '7373', chat_id: '7473', content: '你的名字叫什么', content_type: 'text', conversation_id: '737363834493434', created_at: 1716809829, id: '7373638344934370', meta_data: {}, role: 'user', type: '', updated_at: '1716809829' },
      { bot_id: '7373', chat_id: '7473', content: '我的名字叫bot', content_type: 'text', conversation_id: '737363834493434', created_at: '1716809829', id: '7373638344934400', meta_data: {}, role: 'assistant', type: 'answer', reasoning_content: 'thinking', updated_at: '1716936779' },
    ],
    first_id: '7373638344934370',
    has_more: true,
    last_id: '7373638344934400',
    msg: '',
  })
  t.same(reply, {
    ok: true,
    value: {
      object: 'list',
      data: [
        { id: '7373638344934370', object: 'message', conversation_id: '737363834493434', role: 'user', content: '你的名字叫什么', content_type: 'text', created_at: 1716809829 },
        { id: '7373638344934400', object: 'message', conversation_id: '737363834493434', role: 'assistant', type: 'answer', content: '我的名字叫bot', content_type: 'text', reasoning_content: 'thinking', created_at: 1716809829 },
      ],
      first_id: '7373638344934370',
      last_id: '7373638344934400',
      has_more: true,
    },
  })
})

t.test('delete reply; Coze failures come back as errors; garbage throws', async t => {
  t.same(cozeManagementReply({ kind: 'delete-conversation', conversationId: '7379' }, { code: 0, msg: '', detail: { logid: 'x' } }),
    { ok: true, value: { id: '7379', object: 'conversation.deleted', deleted: true } })
  t.same(cozeManagementReply(MESSAGES, { code: 4002, msg: 'invalid conversation' }),
    { ok: false, error: { kind: 'not_found', status: 404, message: 'invalid conversation (Coze code 4002)' } })
  t.throws(() => cozeManagementReply(LIST, { code: 0, data: {} }), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
  t.throws(() => cozeManagementReply(MESSAGES, { code: 0, data: [{ content: 'no id' }] }), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
})
