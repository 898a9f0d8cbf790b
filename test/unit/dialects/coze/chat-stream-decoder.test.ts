// Coze chat v3 stream → canonical events. Frames are the docs' chat_v3 example (ids, order and
// the `event:name` framing without a space), fed as raw bytes through the SSE decoder, plus the
// failure shapes of @coze/api 1.3.9 (`last_error`, `{code,msg}` error event, required_action).
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { CozeChatStreamDecoder } from '../../../../src/dialects/coze/chat-stream-decoder.js'
import { SseDecoder } from '../../../../src/sse/decoder.js'
import type { SseFrame } from '../../../../src/sse/frame.js'
import { violations } from '../anthropic/invariants.js'

const REQUEST: CanonicalRequest = { model: 'my-bot', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: '2024年10月1日是星期几' }] }], stream: true }
const HEAD = '"conversation_id":"7381473525342978089","bot_id":"7379462189365198898"'
const CHAT = `{"id":"7382159487131697202",${HEAD},"completed_at":1718792949,"last_error":{"code":0,"msg":""}`
const MSG = `"id":"7382159494123470858",${HEAD},"role":"assistant","type":"answer","content_type":"text","chat_id":"7382159487131697202"`

/** The docs' chat_v3 stream example, verbatim apart from the elided middle deltas. */
const DOCS_EXAMPLE = [
  `event:conversation.chat.created\ndata:${CHAT},"status":"created","usage":{"token_count":0,"output_count":0,"input_count":0}}\n\n`,
  `event:conversation.chat.in_progress\ndata:${CHAT},"status":"in_progress","usage":{"token_count":0,"output_count":0,"input_count":0}}\n\n`,
  `event:conversation.message.delta\ndata:{${MSG},"content":"2"}\n\n`,
  `event:conversation.message.delta\ndata:{${MSG},"content":"0"}\n\n`,
  `event:conversation.message.delta\ndata:{${MSG},"content":"星期三"}\n\n`,
  `event:conversation.message.delta\ndata:{${MSG},"content":"。"}\n\n`,
  `event:conversation.message.completed\ndata:{${MSG},"content":"20星期三。"}\n\n`,
  `event:conversation.message.completed\ndata:{"id":"7382159494123552778",${HEAD},"role":"assistant","type":"verbose","content":"{\\"msg_type\\":\\"generate_answer_finish\\",\\"data\\":\\"\\",\\"from_module\\":null,\\"from_unit\\":null}","content_type":"text","chat_id":"7382159487131697202"}\n\n`,
  `event:conversation.chat.completed\ndata:${CHAT},"status":"completed","usage":{"token_count":633,"output_count":19,"input_count":614}}\n\n`,
  'event:done\ndata:"[DONE]"\n\n',
]

function framesOf (chunks: readonly string[]): SseFrame[] {
  const sse = new SseDecoder()
  const frames: SseFrame[] = []
  for (const c of chunks) frames.push(...sse.feed(Buffer.from(c)))
  frames.push(...sse.end())
  return frames
}

function decode (frames: readonly SseFrame[], withEnd = true): CanonicalEvent[] {
  const decoder = new CozeChatStreamDecoder(REQUEST)
  const events: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent): void => { events.push(e) }
  for (const f of frames) decoder.push(f, sink)
  if (withEnd) decoder.end()
  return events
}

const frame = (event: string, data: object | string): SseFrame => ({ event, data: typeof data === 'string' ? data : JSON.stringify(data) })
const msg = (fields: object): object => ({ id: 'm1', conversation_id: 'c1', bot_id: 'b1', chat_id: 'chat1', role: 'assistant', type: 'answer', content_type: 'text', ...fields })
const created = frame('conversation.chat.created', { id: 'chat1', conversation_id: 'c1', bot_id: 'b1', created_at: 1700000000, status: 'created', last_error: { code: 0, msg: '' } })
const completed = (input: number, output: number): SseFrame => frame('conversation.chat.completed', { id: 'chat1', status: 'completed', usage: { token_count: input + output, output_count: output, input_count: input } })

t.test('the docs example: deltas become one text block, completed gives usage and stop', async t => {
  const events = decode(framesOf(DOCS_EXAMPLE))
  t.same(violations(events), [])
  t.equal(events[0]?.type, 'message-start')
  t.match(events[0], { id: '7382159487131697202', model: 'my-bot' })
  t.same(events.slice(1), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: '2' },
    { type: 'text-delta', index: 0, delta: '0' },
    { type: 'text-delta', index: 0, delta: '星期三' },
    { type: 'text-delta', index: 0, delta: '。' },
    { type: 'block-end', index: 0 },
    { type: 'usage', usage: { input: 614, output: 19 } },
    { type: 'message-end', finish: { reason: 'stop', raw: 'completed' } },
  ])
})

t.test('the same bytes split at every offset decode the same', async t => {
  const whole = DOCS_EXAMPLE.join('')
  const expected = decode(framesOf([whole])).slice(1)
  for (let at = 1; at < whole.length; at += 37) {
    t.same(decode(framesOf([whole.slice(0, at), whole.slice(at)])).slice(1), expected, 'split at ' + at)
  }
})

t.test('reasoning_content deltas become a reasoning block before the text', async t => {
  const events = decode([
    created,
    frame('conversation.message.delta', msg({ content: '', reasoning_content: 'Let me ' })),
    frame('conversation.message.delta', msg({ content: '', reasoning_content: 'think.' })),
    frame('conversation.message.delta', msg({ content: 'Wednesday', reasoning_content: '' })),
    completed(5, 3),
  ])
  t.same(violations(events), [])
  t.same(events.slice(1), [
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'Let me ' },
    { type: 'reasoning-delta', index: 0, delta: 'think.' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'text' },
    { type: 'text-delta', index: 1, delta: 'Wednesday' },
    { type: 'block-end', index: 1 },
    { type: 'usage', usage: { input: 5, output: 3 } },
    { type: 'message-end', finish: { reason: 'stop', raw: 'completed' } },
  ])
})

t.test('tool, verbose and follow-up messages are ignored; each answer message is its own block', async t => {
  const events = decode([
    created,
    frame('conversation.message.delta', msg({ id: 'f1', type: 'function_call', content: '{"name":"search"}' })),
    frame('conversation.message.completed', msg({ id: 'f2', type: 'tool_response', content: '{"result":1}' })),
    frame('conversation.message.delta', msg({ id: 'a1', content: 'First.' })),
    frame('conversation.message.delta', msg({ id: 'a2', content: 'Second.' })),
    frame('conversation.message.completed', msg({ id: 'v1', type: 'verbose', content: '{"msg_type":"generate_answer_finish"}' })),
    frame('conversation.message.completed', msg({ id: 'u1', type: 'follow_up', content: 'Ask me more?' })),
    completed(1, 2),
  ])
  t.same(violations(events), [])
  t.same(events.filter(e => e.type === 'text-delta').map(e => e.type === 'text-delta' ? e.delta : ''), ['First.', 'Second.'])
  t.same(events.filter(e => e.type === 'block-start').length, 2)
})

t.test('an answer that only arrives completed is still emitted, once', async t => {
  const events = decode([created, frame('conversation.message.completed', msg({ id: 'card', content: 'Whole answer' })), completed(1, 1)])
  t.same(events.slice(1, 4), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Whole answer' },
    { type: 'block-end', index: 0 },
  ])
})

t.test('chat.failed becomes the canonical error with Coze code and message', async t => {
  const events = decode([
    created,
    frame('conversation.message.delta', msg({ content: 'Partial' })),
    frame('conversation.chat.failed', { id: 'chat1', status: 'failed', last_error: { code: 4013, msg: 'model service error' } }),
    completed(1, 1),
  ])
  t.same(violations(events), [])
  t.same(events[events.length - 1], { type: 'error', error: { kind: 'server_error', status: 500, message: 'model service error (Coze code 4013)' } })
  t.notOk(events.some(e => e.type === 'message-end'), 'nothing after the error')
})

t.test('a failed chat without a code is a 502', async t => {
  const events = decode([created, frame('conversation.chat.failed', { id: 'chat1', status: 'failed', last_error: { code: 0, msg: '' } })])
  t.match(events[events.length - 1], { type: 'error', error: { kind: 'server_error', status: 502 } })
})

t.test('the error event {code,msg} becomes the canonical error, even first', async t => {
  const events = decode([frame('error', { code: 4100, msg: 'authentication is invalid' })])
  t.same(events, [{ type: 'error', error: { kind: 'authentication', status: 401, message: 'authentication is invalid (Coze code 4100)' } }])
})

t.test('requires_action is an error naming the local plugins', async t => {
  const events = decode([
    created,
    frame('conversation.chat.requires_action', {
      id: 'chat1',
      status: 'requires_action',
      required_action: { type: 'submit_tool_outputs', submit_tool_outputs: { tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] } },
    }),
    frame('done', '"[DONE]"'),
  ])
  const last = events[events.length - 1]
  t.equal(last?.type, 'error')
  if (last?.type === 'error') {
    t.equal(last.error.kind, 'invalid_request')
    t.match(last.error.message, /local plugin\(s\) get_weather/)
    t.match(last.error.message, /requires_action/)
  }
})

t.test('done without chat.completed ends with nothing more (truncation is the encoder\'s)', async t => {
  const events = decode([created, frame('conversation.message.delta', msg({ content: 'Hi' })), frame('done', '[DONE]')])
  t.same(events.map(e => e.type), ['message-start', 'block-start', 'text-delta'])
})

t.test('events after the end, audio deltas and unknown events are ignored; comments are pings', async t => {
  const events = decode([
    { data: '', comment: 'keepalive' },
    created,
    frame('conversation.audio.delta', msg({ content: 'AAAA' })),
    frame('conversation.something.new', { id: 'x' }),
    completed(1, 1),
    frame('conversation.message.completed', msg({ id: 'late', type: 'follow_up', content: 'late' })),
  ])
  t.same(events.map(e => e.type), ['ping', 'message-start', 'usage', 'message-end'])
})

t.test('an unnamed failure envelope is an error; other unnamed data is ignored', async t => {
  t.same(decode([{ data: '{"code":4015,"msg":"bot not published"}' }]), [
    { type: 'error', error: { kind: 'permission', status: 403, message: 'bot not published (Coze code 4015)' } },
  ])
  t.same(decode([{ data: '{"hello":1}' }]), [])
})

t.test('invalid JSON is upstream-invalid data', async t => {
  t.throws(() => decode([frame('conversation.message.delta', '{not json')]), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
})
