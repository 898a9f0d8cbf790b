// Coze workflow stream → canonical events. Frames are the docs' workflow_stream_run examples
// (`id: N\nevent: Message\ndata: {…}` with spaces), fed as raw bytes through the SSE decoder.
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { CozeWorkflowStreamDecoder } from '../../../../src/dialects/coze/workflow-stream-decoder.js'
import { SseDecoder } from '../../../../src/sse/decoder.js'
import { violations } from '../anthropic/invariants.js'

const REQUEST: CanonicalRequest = { model: 'wf', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'joke' }] }], stream: true }

function decode (text: string): CanonicalEvent[] {
  const sse = new SseDecoder()
  const decoder = new CozeWorkflowStreamDecoder(REQUEST)
  const events: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent): void => { events.push(e) }
  for (const f of [...sse.feed(Buffer.from(text)), ...sse.end()]) decoder.push(f, sink)
  decoder.end()
  return events
}

const deltas = (events: readonly CanonicalEvent[]): string[] => events.flatMap(e => e.type === 'text-delta' ? [e.delta] : [])

/** The docs' Message example (an Output node streaming, then the End node's variables). */
const DOCS_MESSAGES = `id: 0
event: Message
data: {"content":"msg","node_is_finish":false,"node_seq_id":"0","node_title":"Message"}

id: 1
event: Message
data: {"content":"为","node_is_finish":false,"node_seq_id":"1","node_title":"Message"}

id: 2
event: Message
data: {"content":"什么小明要带一把尺子去看电影？\\n因","node_is_finish":false,"node_seq_id":"2","node_title":"Message"}

id: 3
event: Message
data: {"content":"为他听说电影很长，怕","node_is_finish":false,"node_seq_id":"3","node_title":"Message"}

id: 4
event: Message
data: {"content":"坐不下！","node_is_finish":true,"node_seq_id":"4","node_title":"Message"}

id: 5
event: Message
data: {"content":"{\\"output\\":\\"done\\"}","cost":"0.00","node_is_finish":true,"node_seq_id":"0","node_title":"","token":0}

id: 6
event: Done
data: {}

`

t.test('the docs example: every Message content in order, one text block, stop at Done', async t => {
  const events = decode(DOCS_MESSAGES)
  t.same(violations(events), [])
  t.match(events[0], { type: 'message-start', model: 'wf', id: /^coze-wf-/ })
  t.same(deltas(events), ['msg', '为', '什么小明要带一把尺子去看电影？\n因', '为他听说电影很长，怕', '坐不下！', '{"output":"done"}'])
  t.same(events.slice(-2), [{ type: 'block-end', index: 0 }, { type: 'message-end', finish: { reason: 'stop', raw: 'Done' } }])
})

t.test('usage on a Message is the reply\'s usage, emitted before message-end', async t => {
  const events = decode('id: 0\nevent: Message\ndata: {"content":"ok","node_is_finish":true,"node_seq_id":"0","node_title":"End","usage":{"token_count":150,"output_count":100,"input_count":50}}\n\n' +
    'id: 1\nevent: Done\ndata: {"debug_url":"https://www.coze.cn/work_flow?execute_id=1"}\n\n')
  t.same(events.slice(-2), [{ type: 'usage', usage: { input: 50, output: 100 } }, { type: 'message-end', finish: { reason: 'stop', raw: 'Done' } }])
})

t.test('the docs Error example becomes the canonical error', async t => {
  const events = decode('id: 0\nevent: Error\ndata: {"error_code":4000,"error_message":"Request parameter error"}\n\n')
  t.same(events, [{ type: 'error', error: { kind: 'invalid_request', status: 400, message: 'Request parameter error (Coze code 4000)' } }])
})

t.test('the docs Interrupt example is an error explaining input-waiting workflows are unsupported', async t => {
  const events = decode('id: 0\nevent: Message\ndata: {"content":"请问你想查看哪个城市、哪一天的天气呢","content_type":"text","node_is_finish":true,"node_seq_id":"0","node_title":"问答"}\n\n' +
    'id: 1\nevent: Interrupt\ndata: {"interrupt_data":{"data":"","event_id":"7404830425073352713/2769808280134765896","type":2},"node_title":"问答"}\n\n')
  t.same(violations(events), [])
  t.same(deltas(events), ['请问你想查看哪个城市、哪一天的天气呢'])
  const last = events[events.length - 1]
  t.equal(last?.type, 'error')
  if (last?.type === 'error') {
    t.equal(last.error.kind, 'invalid_request')
    t.match(last.error.message, /at node "问答".*Interrupt.*not supported/)
  }
})

t.test('PING is a keep-alive; Done without data or Messages still gives an empty reply', async t => {
  const events = decode('id: 0\nevent: PING\ndata: \n\nid: 1\nevent: Done\ndata: \n\n')
  t.same(events.map(e => e.type), ['ping', 'message-start', 'message-end'])
})

t.test('a stream cut before Done ends with nothing more', async t => {
  const events = decode('id: 0\nevent: Message\ndata: {"content":"part","node_is_finish":false,"node_seq_id":"0","node_title":"End"}\n\n')
  t.same(events.map(e => e.type), ['message-start', 'block-start', 'text-delta'])
})

t.test('an Error without a code is a server error; events after the end are ignored', async t => {
  const events = decode('id: 0\nevent: Error\ndata: {"error_message":"boom"}\n\nid: 1\nevent: Message\ndata: {"content":"late"}\n\n')
  t.same(events, [{ type: 'error', error: { kind: 'server_error', status: 500, message: 'boom (Coze code 5000)' } }])
})

t.test('invalid JSON is upstream-invalid data', async t => {
  t.throws(() => decode('event: Message\ndata: {oops\n\n'), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
})
