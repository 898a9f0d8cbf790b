// Anthropic Messages SSE → canonical events (PROTOCOLS.md §3.3, §3.4, §6.12), fed as raw SSE
// text through Switchyard's own SSE decoder; every output is checked against the canonical
// stream invariants.
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { AnthropicStreamDecoder } from '../../../../src/dialects/anthropic/stream-decoder.js'
import { SseDecoder } from '../../../../src/sse/decoder.js'
import { REQUEST } from '../scenarios.js'
import { violations } from './invariants.js'

type Json = Record<string, unknown>
const frame = (data: Json): string => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`
const START = frame({
  type: 'message_start',
  message: {
    id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null,
    usage: { input_tokens: 377, cache_creation_input_tokens: 10, cache_read_input_tokens: 100, output_tokens: 1 },
  },
})
const blockStart = (index: number, content_block: Json) => frame({ type: 'content_block_start', index, content_block })
const delta = (index: number, d: Json) => frame({ type: 'content_block_delta', index, delta: d })
const stop = (index: number) => frame({ type: 'content_block_stop', index })
const messageDelta = (stop_reason: string, usage: Json = { output_tokens: 65 }, stop_sequence: string | null = null) =>
  frame({ type: 'message_delta', delta: { stop_reason, stop_sequence }, usage })
const MESSAGE_STOP = frame({ type: 'message_stop' })
const PING = 'event: ping\ndata: {"type": "ping"}\n\n'

function decode (sse: string, request: CanonicalRequest = REQUEST, chunk = 7): CanonicalEvent[] {
  const parser = new SseDecoder()
  const decoder = new AnthropicStreamDecoder(request)
  const events: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent) => { events.push(e) }
  const bytes = Buffer.from(sse)
  for (let i = 0; i < bytes.length; i += chunk) for (const f of parser.feed(bytes.subarray(i, i + chunk))) decoder.push(f, sink)
  for (const f of parser.end()) decoder.push(f, sink)
  decoder.end(sink)
  return events
}

const withoutCreated = (events: CanonicalEvent[]) => events.map(e => {
  if (e.type !== 'message-start') return e
  const { created: _c, ...rest } = e
  return rest
})

t.test('(a) text with a ping; usage: input adds cache reads and writes back (§6.8)', async t => {
  const events = decode(START + blockStart(0, { type: 'text', text: '' }) + PING + delta(0, { type: 'text_delta', text: 'Hel' }) +
    delta(0, { type: 'text_delta', text: 'lo' }) + stop(0) + messageDelta('end_turn') + MESSAGE_STOP)
  t.strictSame(violations(events), [])
  t.strictSame(withoutCreated(events), [
    { type: 'message-start', id: 'msg_01', model: 'claude-x', usage: { input: 487, output: 1, cacheRead: 100, cacheWrite: 10 } },
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'ping' },
    { type: 'text-delta', index: 0, delta: 'Hel' },
    { type: 'text-delta', index: 0, delta: 'lo' },
    { type: 'block-end', index: 0 },
    { type: 'usage', usage: { input: 487, output: 65, cacheRead: 100, cacheWrite: 10 } },
    { type: 'message-end', finish: { reason: 'stop', raw: 'end_turn' } },
  ])
  const start = events[0]
  t.ok(start?.type === 'message-start' && Number.isInteger(start.created) && start.created > 1_700_000_000)
})

t.test('(b) tool call: id/name at block-start, start input ignored, the empty first fragment skipped', async t => {
  const events = decode(START + blockStart(0, { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { stale: true } }) +
    delta(0, { type: 'input_json_delta', partial_json: '' }) + delta(0, { type: 'input_json_delta', partial_json: '{"locati' }) +
    delta(0, { type: 'input_json_delta', partial_json: 'on": "Paris"}' }) + stop(0) + messageDelta('tool_use') + MESSAGE_STOP)
  t.strictSame(violations(events), [])
  t.strictSame(events.slice(1, -2), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'toolu_01', toolName: 'get_weather' },
    { type: 'tool-input-delta', index: 0, delta: '{"locati' },
    { type: 'tool-input-delta', index: 0, delta: 'on": "Paris"}' },
    { type: 'block-end', index: 0 },
  ])
  t.strictSame(events.at(-1), { type: 'message-end', finish: { reason: 'tool-calls', raw: 'tool_use' } })
})

t.test('(c) two tools, the second without arguments', async t => {
  const events = decode(START + blockStart(0, { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} }) +
    delta(0, { type: 'input_json_delta', partial_json: '{"x":1}' }) + stop(0) +
    blockStart(1, { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} }) + delta(1, { type: 'input_json_delta', partial_json: '' }) + stop(1) +
    messageDelta('tool_use') + MESSAGE_STOP)
  t.strictSame(violations(events), [])
  t.strictSame(events.filter(e => e.type === 'block-start' || e.type === 'tool-input-delta' || e.type === 'block-end'), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'toolu_a', toolName: 'a' },
    { type: 'tool-input-delta', index: 0, delta: '{"x":1}' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'toolu_b', toolName: 'b' },
    { type: 'block-end', index: 1 },
  ])
})

t.test('(d) thinking + signature, redacted thinking, then text; usage from message_delta incl. thinking tokens', async t => {
  const events = decode(START + blockStart(0, { type: 'thinking', thinking: '', signature: '' }) +
    delta(0, { type: 'thinking_delta', thinking: 'Let me ' }) + delta(0, { type: 'thinking_delta', thinking: 'think.' }) +
    delta(0, { type: 'signature_delta', signature: 'EqQBCkYI+/=' }) + stop(0) +
    blockStart(1, { type: 'redacted_thinking', data: 'EmwKAhgB' }) + stop(1) +
    blockStart(2, { type: 'text', text: '' }) + delta(2, { type: 'text_delta', text: 'Answer' }) + stop(2) +
    messageDelta('max_tokens', { output_tokens: 120, input_tokens: 400, cache_read_input_tokens: 0, output_tokens_details: { thinking_tokens: 90 } }) + MESSAGE_STOP)
  t.strictSame(violations(events), [])
  t.strictSame(events.slice(1), [
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'Let me ' },
    { type: 'reasoning-delta', index: 0, delta: 'think.' },
    { type: 'signature', index: 0, signature: { family: 'anthropic', value: 'EqQBCkYI+/=' } },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'reasoning', redacted: true },
    { type: 'signature', index: 1, signature: { family: 'anthropic', value: 'EmwKAhgB' } },
    { type: 'block-end', index: 1 },
    { type: 'block-start', index: 2, kind: 'text' },
    { type: 'text-delta', index: 2, delta: 'Answer' },
    { type: 'block-end', index: 2 },
    { type: 'usage', usage: { input: 410, output: 120, cacheRead: 0, cacheWrite: 10, reasoning: 90 } },
    { type: 'message-end', finish: { reason: 'length', raw: 'max_tokens' } },
  ])
})

t.test('(e) error event mid-stream: canonical error with kind and status from error.type, nothing after', async t => {
  const events = decode(START + blockStart(0, { type: 'text', text: '' }) + delta(0, { type: 'text_delta', text: 'Hel' }) +
    frame({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) + stop(0) + MESSAGE_STOP)
  t.strictSame(violations(events), [])
  t.strictSame(events.at(-1), { type: 'error', error: { kind: 'overloaded', status: 529, message: 'Overloaded' } })
  const kinds = (type: string) => decode(START + frame({ type: 'error', error: { type, message: 'm' } })).at(-1)
  t.match(kinds('rate_limit_error'), { error: { kind: 'rate_limit', status: 429 } })
  t.match(kinds('api_error'), { error: { kind: 'server_error', status: 500 } })
  t.match(kinds('invalid_request_error'), { error: { kind: 'invalid_request', status: 400 } })
  t.match(kinds('something_new'), { error: { kind: 'server_error', status: 500 } })
})

t.test('stop sequences, refusal, pause_turn and context-window stops', async t => {
  const finish = (reason: string, seq: string | null = null) => decode(START + messageDelta(reason, { output_tokens: 1 }, seq) + MESSAGE_STOP).at(-1)
  t.strictSame(finish('stop_sequence', '###'), { type: 'message-end', finish: { reason: 'stop', raw: 'stop_sequence', stopSequence: '###' } })
  t.strictSame(finish('refusal'), { type: 'message-end', finish: { reason: 'content-filter', raw: 'refusal' } })
  t.strictSame(finish('pause_turn'), { type: 'message-end', finish: { reason: 'other', raw: 'pause_turn' } })
  t.strictSame(finish('model_context_window_exceeded'), { type: 'message-end', finish: { reason: 'length', raw: 'model_context_window_exceeded' } })
})

t.test('server tool blocks, citations deltas and unknown events are not forwarded; indexes stay dense', async t => {
  const events = decode(START + blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }) +
    delta(0, { type: 'input_json_delta', partial_json: '{"q":1}' }) + stop(0) +
    blockStart(1, { type: 'text', text: '' }) + delta(1, { type: 'citations_delta', citation: {} }) + delta(1, { type: 'text_delta', text: 'x' }) + stop(1) +
    frame({ type: 'brand_new_event', x: 1 }) + messageDelta('end_turn') + MESSAGE_STOP)
  t.strictSame(violations(events), [])
  t.strictSame(events.slice(1, 4), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'x' },
    { type: 'block-end', index: 0 },
  ])
})

t.test('a delta whose type is not one of its names (an object, `toString`) is an unknown delta: ignored, not a crash', async t => {
  // Found by test/hardening/fuzz-sse.test.ts: `{"type":{"toString":null}}` threw a TypeError.
  const events = decode(START + blockStart(0, { type: 'text', text: '' }) + delta(0, { type: { toString: null }, text: 'a' }) +
    delta(0, { type: 'toString', text: 'b' }) + delta(0, { type: 'text_delta', text: 'x' }) + stop(0) + messageDelta('end_turn') + MESSAGE_STOP)
  t.strictSame(violations(events), [])
  t.strictSame(events.slice(1, 4), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'x' },
    { type: 'block-end', index: 0 },
  ])
})

t.test('custom (freeform) tools: the {input} wrapper is removed, one raw-text fragment', async t => {
  const request: CanonicalRequest = { ...REQUEST, tools: [{ kind: 'custom', name: 'apply_patch' }, { kind: 'function', name: 'f' }] }
  const events = decode(START + blockStart(0, { type: 'tool_use', id: 'toolu_p', name: 'apply_patch', input: {} }) +
    delta(0, { type: 'input_json_delta', partial_json: '{"input": "*** Begin' }) + delta(0, { type: 'input_json_delta', partial_json: ' Patch\\n"}' }) +
    stop(0) + messageDelta('tool_use') + MESSAGE_STOP, request)
  t.strictSame(violations(events), [])
  t.strictSame(events.slice(1, 4), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'toolu_p', toolName: 'apply_patch', toolKind: 'custom' },
    { type: 'tool-input-delta', index: 0, delta: '*** Begin Patch\n' },
    { type: 'block-end', index: 0 },
  ])
})

t.test('end(): message_delta without message_stop still finishes; a bare cut does not', async t => {
  const cut = decode(START + blockStart(0, { type: 'text', text: '' }) + stop(0) + messageDelta('end_turn'))
  t.strictSame(violations(cut), [])
  t.match(cut.at(-1), { type: 'message-end', finish: { reason: 'stop' } })
  const truncated = decode(START + blockStart(0, { type: 'text', text: '' }) + delta(0, { type: 'text_delta', text: 'Hel' }))
  t.equal(truncated.at(-1)?.type, 'text-delta', 'no invented finish: the encoder shows the truncation')
})

t.test('a repeated message_start is ignored', async t => {
  const events = decode(START + START + blockStart(0, { type: 'text', text: '' }) + stop(0) + messageDelta('end_turn') + MESSAGE_STOP)
  t.strictSame(violations(events), [])
  t.equal(events.filter(e => e.type === 'message-start').length, 1)
})

t.test('malformed upstream events are protocol errors', async t => {
  const code = { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' }
  t.throws(() => decode('event: message_start\ndata: {not json\n\n'), code)
  t.throws(() => decode('data: [1,2]\n\n'), code)
  t.throws(() => decode(blockStart(0, { type: 'text', text: '' })), code, 'content before message_start')
  t.throws(() => decode(START + blockStart(0, { type: 'tool_use', name: 'f', input: {} })), code, 'tool_use without id')
  t.throws(() => decode(START + blockStart(0, { type: 'text', text: '' }) + delta(0, { type: 'text_delta', text: 3 })), code)
  t.throws(() => decode(frame({ type: 'message_stop' })), code)
})
