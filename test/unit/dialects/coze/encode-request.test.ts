// CanonicalRequest + CozeTarget → the Coze call: chat (whole history, stateless), conversation
// (new turn only, whole history into a fresh conversation), workflow (last user text), and the
// refusals that name the field.
import t from 'tap'
import type { CanonicalMessage, CanonicalRequest } from '../../../../src/canonical/request.js'
import { encodeCozeRequest } from '../../../../src/dialects/coze/encode-request.js'
import type { CozeTarget } from '../../../../src/dialects/coze/target.js'

const user = (text: string): CanonicalMessage => ({ role: 'user', parts: [{ type: 'text', text }] })
const assistant = (text: string): CanonicalMessage => ({ role: 'assistant', parts: [{ type: 'reasoning', text: 'hmm' }, { type: 'text', text }] })
const HISTORY: readonly CanonicalMessage[] = [user('Hi'), assistant('Hello!'), user('What day is 2024-10-01?')]
const request = (fields: Partial<CanonicalRequest> = {}): CanonicalRequest =>
  ({ model: 'gpt-4o', system: [{ type: 'text', text: 'You are terse.' }], messages: HISTORY, stream: false, temperature: 0.2, maxTokens: 100, ...fields })
const CHAT: CozeTarget = { mode: 'chat', botId: 'bot1' }

t.test('chat: the whole history, streaming, not saved, default user id', async t => {
  t.same(encodeCozeRequest(request(), CHAT), {
    method: 'POST',
    path: '/v3/chat',
    query: '',
    body: {
      bot_id: 'bot1',
      user_id: 'switchyard',
      stream: true,
      auto_save_history: false,
      additional_messages: [
        { role: 'user', type: 'question', content: 'Hi', content_type: 'text' },
        { role: 'assistant', type: 'answer', content: 'Hello!', content_type: 'text' },
        { role: 'user', type: 'question', content: 'What day is 2024-10-01?', content_type: 'text' },
      ],
    },
  })
})

t.test('user id: the request\'s end user, else the configured one', async t => {
  t.match(encodeCozeRequest(request({ user: 'u-42' }), { ...CHAT, userId: 'ops' }).body, { user_id: 'u-42' })
  t.match(encodeCozeRequest(request(), { ...CHAT, userId: 'ops' }).body, { user_id: 'ops' })
})

t.test('conversation: only the turn after the last assistant message, saved', async t => {
  const call = encodeCozeRequest(request(), { mode: 'conversation', botId: 'bot1', conversationId: '7381473525342978089' })
  t.equal(call.query, 'conversation_id=7381473525342978089')
  t.match(call.body, { auto_save_history: true, stream: true })
  t.same((call.body as { additional_messages: unknown }).additional_messages, [{ role: 'user', type: 'question', content: 'What day is 2024-10-01?', content_type: 'text' }])
})

t.test('conversation created for this request: seeded with the whole history', async t => {
  const call = encodeCozeRequest(request(), { mode: 'conversation', botId: 'bot1', conversationId: '9', fresh: true })
  t.equal((call.body as { additional_messages: unknown[] }).additional_messages.length, 3)
})

t.test('conversation without its id is a wiring error, not a forward', async t => {
  t.throws(() => encodeCozeRequest(request(), { mode: 'conversation', botId: 'bot1' }), /conversation created first/)
})

t.test('workflow: the last user text under the configured parameter name', async t => {
  t.same(encodeCozeRequest(request(), { mode: 'workflow', workflowId: 'wf1', input: 'query' }), {
    method: 'POST', path: '/v1/workflow/stream_run', query: '', body: { workflow_id: 'wf1', parameters: { query: 'What day is 2024-10-01?' } },
  })
  t.match(encodeCozeRequest(request(), { mode: 'workflow', workflowId: 'wf1', input: 'input', botId: 'b' }).body, { bot_id: 'b' })
})

t.test('workflow input must be the user\'s text', async t => {
  t.throws(() => encodeCozeRequest(request({ messages: [user('a'), assistant('b')] }), { mode: 'workflow', workflowId: 'w', input: 'input' }), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[1]' })
  t.throws(() => encodeCozeRequest(request({ messages: [{ role: 'user', parts: [{ type: 'image', url: 'https://x/y.png' }] }] }), { mode: 'workflow', workflowId: 'w', input: 'input' }),
    { field: 'messages[0].content[0]', code: 'SWY_ERR_CONVERT_UNSUPPORTED' })
})

t.test('images and files by URL become object_string content; inline data is refused', async t => {
  const call = encodeCozeRequest(request({
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'What is this?' }, { type: 'image', url: 'https://example.com/a.png' }, { type: 'document', url: 'https://example.com/b.pdf' }] }],
  }), CHAT)
  const first = (call.body as { additional_messages: Array<{ content: string, content_type: string }> }).additional_messages[0]
  t.equal(first?.content_type, 'object_string')
  t.same(JSON.parse(first?.content ?? ''), [
    { type: 'text', text: 'What is this?' },
    { type: 'image', file_url: 'https://example.com/a.png' },
    { type: 'file', file_url: 'https://example.com/b.pdf' },
  ])
  t.throws(() => encodeCozeRequest(request({ messages: [{ role: 'user', parts: [{ type: 'image', url: 'data:image/png;base64,AAAA' }] }] }), CHAT),
    { field: 'messages[0].content[0]', code: 'SWY_ERR_CONVERT_UNSUPPORTED' })
})

t.test('several text parts join with a blank line; a text document is text', async t => {
  const call = encodeCozeRequest(request({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'a' }, { type: 'document', text: 'doc body' }] }] }), CHAT)
  t.match(call.body, { additional_messages: [{ content: 'a\n\ndoc body', content_type: 'text' }] })
})

t.test('tools, forced tool choice, JSON formats and tool history are refused naming the field', async t => {
  t.throws(() => encodeCozeRequest(request({ tools: [{ kind: 'function', name: 'f' }] }), CHAT), { field: 'tools', code: 'SWY_ERR_CONVERT_UNSUPPORTED' })
  t.throws(() => encodeCozeRequest(request({ toolChoice: { type: 'required' } }), CHAT), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'tool_choice' })
  t.throws(() => encodeCozeRequest(request({ responseFormat: { type: 'json_object' } }), CHAT), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'response_format' })
  t.throws(() => encodeCozeRequest(request({ messages: [user('a'), { role: 'assistant', parts: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{}' }] }, user('b')] }), CHAT),
    { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'messages[1].content[0]' })
  t.throws(() => encodeCozeRequest(request({ messages: [{ role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c', content: [] }] }] }), CHAT),
    { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'messages[0].content[0]' })
  t.doesNotThrow(() => encodeCozeRequest(request({ toolChoice: { type: 'auto' }, responseFormat: { type: 'text' } }), CHAT))
})

t.test('the chat must end with a user message and hold at most 100', async t => {
  t.throws(() => encodeCozeRequest(request({ messages: [user('a'), assistant('b')] }), CHAT), { field: 'messages', message: /end with a user message/ })
  t.throws(() => encodeCozeRequest(request({ messages: [] }), CHAT), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages' })
  const long = Array.from({ length: 101 }, (_, i) => i % 2 === 0 ? user('u' + i) : assistant('a' + i))
  t.throws(() => encodeCozeRequest(request({ messages: long }), CHAT), { field: 'messages', message: /at most 100/ })
})

t.test('an assistant turn of reasoning only is skipped', async t => {
  const call = encodeCozeRequest(request({ messages: [user('a'), { role: 'assistant', parts: [{ type: 'reasoning', text: 'x' }] }, user('b')] }), CHAT)
  t.same((call.body as { additional_messages: Array<{ content: string }> }).additional_messages.map(m => m.content), ['a', 'b'])
})
