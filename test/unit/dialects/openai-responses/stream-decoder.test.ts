// Responses SSE → canonical events, for a Responses backend (PROTOCOLS.md §2.3–§2.5, §6.12,
// §7.1–7.3, §7.16, §7.29). Streams are written in the shapes of openai-node's ResponseStream
// snapshots and vercel/ai's Responses fixtures (Appendix A), fed as raw SSE text in small chunks
// through Switchyard's own SSE decoder; every output is checked against the canonical stream
// invariants.
import t, { type Test } from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { ResponsesStreamDecoder } from '../../../../src/dialects/openai-responses/stream-decoder.js'
import { ResponsesStreamEncoder } from '../../../../src/dialects/openai-responses/stream-encoder.js'
import { SseDecoder } from '../../../../src/sse/decoder.js'
import type { SseFrame } from '../../../../src/sse/frame.js'
import { violations } from '../anthropic/invariants.js'
import { REASONING, REQUEST, TEXT, TOOL, TWO_TOOLS, ERROR } from '../scenarios.js'
import { CUSTOM_TOOL, FAILED_IN_CALL, OPENAI_SIG, REFUSAL, signedReasoning, TOOLS_REQUEST } from './fixtures.js'

type Json = Record<string, unknown>
const CREATED_AT = 1741290958
const ENCRYPTED = 'gAAAAABoEncryptedReasoning=='
const USAGE = { input_tokens: 36, input_tokens_details: { cached_tokens: 0 }, output_tokens: 87, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 123 }
const START: CanonicalEvent = { type: 'message-start', id: 'resp_1', model: 'gpt-5', created: CREATED_AT }

const response = (status: string, extra: Json = {}): Json => ({
  id: 'resp_1', object: 'response', created_at: CREATED_AT, status, error: null, incomplete_details: null,
  model: 'gpt-5', output: [], parallel_tool_calls: true, usage: null, metadata: {}, ...extra,
})
const CREATED: Json = { type: 'response.created', response: response('in_progress') }
const IN_PROGRESS: Json = { type: 'response.in_progress', response: response('in_progress') }
const completed = (output: Json[] = [], usage: Json | null = USAGE): Json => ({ type: 'response.completed', response: response('completed', { output, usage }) })

const textPart = (text: string): Json => ({ type: 'output_text', text, annotations: [], logprobs: [] })
const message = (id: string, status: string, content: Json[]): Json => ({ type: 'message', id, status, role: 'assistant', content })
/** §2.5(a): added → content_part.added → deltas → output_text.done → content_part.done → item done. */
function messageEvents (index: number, id: string, deltas: readonly string[]): Json[] {
  const text = deltas.join('')
  const at = { item_id: id, output_index: index, content_index: 0 }
  return [
    { type: 'response.output_item.added', output_index: index, item: message(id, 'in_progress', []) },
    { type: 'response.content_part.added', ...at, part: textPart('') },
    ...deltas.map(delta => ({ type: 'response.output_text.delta', ...at, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...at, text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part: textPart(text) },
    { type: 'response.output_item.done', output_index: index, item: message(id, 'completed', [textPart(text)]) },
  ]
}
const call = (id: string, callId: string, name: string, args: string, status: string, extra: Json = {}): Json =>
  ({ type: 'function_call', id, call_id: callId, name, arguments: args, status, ...extra })
/** §2.5(b): added → arguments deltas → arguments.done → item done. */
function callEvents (index: number, id: string, callId: string, name: string, deltas: readonly string[], extra: Json = {}): Json[] {
  const args = deltas.join('')
  return [
    { type: 'response.output_item.added', output_index: index, item: call(id, callId, name, '', 'in_progress', extra) },
    ...deltas.map(delta => ({ type: 'response.function_call_arguments.delta', item_id: id, output_index: index, delta })),
    { type: 'response.function_call_arguments.done', item_id: id, output_index: index, arguments: args, name },
    { type: 'response.output_item.done', output_index: index, item: call(id, callId, name, args, 'completed', extra) },
  ]
}

/** Raw SSE with `event:` lines and contiguous sequence numbers, as OpenAI sends it (§2.3). */
function sse (events: readonly Json[]): string {
  return events.map((e, n) => `event: ${String(e.type)}\ndata: ${JSON.stringify({ ...e, sequence_number: n })}\n\n`).join('')
}

function decode (t: Test, events: readonly Json[] | string, request: CanonicalRequest = REQUEST, chunk = 11): CanonicalEvent[] {
  const parser = new SseDecoder()
  const decoder = new ResponsesStreamDecoder(request)
  const out: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent): void => { out.push(e) }
  const bytes = Buffer.from(typeof events === 'string' ? events : sse(events))
  for (let i = 0; i < bytes.length; i += chunk) for (const f of parser.feed(bytes.subarray(i, i + chunk))) decoder.push(f, sink)
  for (const f of parser.end()) decoder.push(f, sink)
  decoder.end(sink)
  t.strictSame(violations(out), [], 'canonical stream invariants hold')
  return out
}

t.test('text (§2.5 a): deltas stream; .done repeats are not re-emitted; usage then message-end', async t => {
  t.strictSame(decode(t, [CREATED, IN_PROGRESS, ...messageEvents(0, 'msg_1', ['Hel', 'lo']), completed([message('msg_1', 'completed', [textPart('Hello')])])]), [
    START,
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Hel' },
    { type: 'text-delta', index: 0, delta: 'lo' },
    { type: 'block-end', index: 0 },
    { type: 'usage', usage: { input: 36, output: 87, cacheRead: 0, reasoning: 0 } },
    { type: 'message-end', finish: { reason: 'stop', raw: 'completed' } },
  ])
})

t.test('reasoning with two summary parts + encrypted_content, then text (§2.5 d, §6.9)', async t => {
  const at = (i: number) => ({ item_id: 'rs_1', output_index: 0, summary_index: i })
  const summary = [{ type: 'summary_text', text: 'Think it.' }, { type: 'summary_text', text: 'Check it.' }]
  const events = decode(t, [
    CREATED,
    IN_PROGRESS,
    // The Azure fixture sends a partial encrypted_content on .added: only the .done one counts.
    { type: 'response.output_item.added', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'PARTIAL' } },
    { type: 'response.reasoning_summary_part.added', ...at(0), part: { type: 'summary_text', text: '' } },
    { type: 'response.reasoning_summary_text.delta', ...at(0), delta: 'Think', obfuscation: 'x' },
    { type: 'response.reasoning_summary_text.delta', ...at(0), delta: ' it.' },
    { type: 'response.reasoning_summary_text.done', ...at(0), text: 'Think it.' },
    { type: 'response.reasoning_summary_part.done', ...at(0), part: summary[0] },
    { type: 'response.reasoning_summary_part.added', ...at(1), part: { type: 'summary_text', text: '' } },
    { type: 'response.reasoning_summary_text.delta', ...at(1), delta: 'Check' },
    { type: 'response.reasoning_summary_text.delta', ...at(1), delta: ' it.' },
    { type: 'response.reasoning_summary_text.done', ...at(1), text: 'Check it.' },
    { type: 'response.reasoning_summary_part.done', ...at(1), part: summary[1] },
    { type: 'response.output_item.done', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary, encrypted_content: ENCRYPTED } },
    ...messageEvents(1, 'msg_1', ['Answer']),
    { type: 'response.completed', response: response('completed', { usage: { ...USAGE, output_tokens_details: { reasoning_tokens: 64 } } }) },
  ])
  t.strictSame(events, [
    START,
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'Think' },
    { type: 'reasoning-delta', index: 0, delta: ' it.' },
    { type: 'reasoning-delta', index: 0, delta: '\n\nCheck' },
    { type: 'reasoning-delta', index: 0, delta: ' it.' },
    { type: 'signature', index: 0, signature: { family: 'openai', value: ENCRYPTED } },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'text' },
    { type: 'text-delta', index: 1, delta: 'Answer' },
    { type: 'block-end', index: 1 },
    { type: 'usage', usage: { input: 36, output: 87, cacheRead: 0, reasoning: 64 } },
    { type: 'message-end', finish: { reason: 'stop', raw: 'completed' } },
  ], 'openai-node ResponseStream shapes: completed.output may be empty, deltas are what count')
})

t.test('reasoning: only encrypted_content → an empty signed block; neither → dropped; reasoning_text streams', async t => {
  const rs = (index: number, item: Json): Json[] => [
    { type: 'response.output_item.added', output_index: index, item: { id: 'rs_' + index, type: 'reasoning', summary: [] } },
    { type: 'response.output_item.done', output_index: index, item: { id: 'rs_' + index, type: 'reasoning', ...item } },
  ]
  t.strictSame(decode(t, [CREATED, ...rs(0, { summary: [], encrypted_content: ENCRYPTED }), ...rs(1, { summary: [], encrypted_content: null }), completed([], null)]), [
    START,
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'signature', index: 0, signature: { family: 'openai', value: ENCRYPTED } },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'stop', raw: 'completed' } },
  ])
  const at = { item_id: 'rs_0', output_index: 0, content_index: 0 }
  const raw = decode(t, [
    CREATED,
    { type: 'response.output_item.added', output_index: 0, item: { id: 'rs_0', type: 'reasoning', summary: [], content: [] } },
    { type: 'response.content_part.added', ...at, part: { type: 'reasoning_text', text: '' } },
    { type: 'response.reasoning_text.delta', ...at, delta: 'raw ' },
    { type: 'response.reasoning_text.delta', ...at, delta: 'thought' },
    { type: 'response.reasoning_text.done', ...at, text: 'raw thought' },
    { type: 'response.output_item.done', output_index: 0, item: { id: 'rs_0', type: 'reasoning', summary: [{ type: 'summary_text', text: 'summary' }], content: [{ type: 'reasoning_text', text: 'raw thought' }] } },
    completed(),
  ])
  t.strictSame(raw.slice(1, 5), [
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'raw ' },
    { type: 'reasoning-delta', index: 0, delta: 'thought' },
    { type: 'block-end', index: 0 },
  ], 'the streamed source wins; the summary in the done item is not appended')
})

t.test('two function calls (§2.5 c): sequential blocks, call_id as id, tool reason on completed (§6.7)', async t => {
  t.strictSame(decode(t, [
    CREATED,
    ...messageEvents(0, 'msg_1', ['Checking.']),
    ...callEvents(1, 'fc_1', 'call_a', 'get_weather', ['{"ci', 'ty":"Paris"}']),
    ...callEvents(2, 'fc_2', 'call_b', 'get_time', ['{}']),
    completed(),
  ]), [
    START,
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Checking.' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather' },
    { type: 'tool-input-delta', index: 1, delta: '{"ci' },
    { type: 'tool-input-delta', index: 1, delta: 'ty":"Paris"}' },
    { type: 'block-end', index: 1 },
    { type: 'block-start', index: 2, kind: 'tool-call', toolCallId: 'call_b', toolName: 'get_time' },
    { type: 'tool-input-delta', index: 2, delta: '{}' },
    { type: 'block-end', index: 2 },
    { type: 'usage', usage: { input: 36, output: 87, cacheRead: 0, reasoning: 0 } },
    { type: 'message-end', finish: { reason: 'tool-calls', raw: 'completed' } },
  ])
})

t.test('custom tool call (vercel/ai openai-custom-tool fixture: no sequence numbers, no event lines)', async t => {
  const added = { type: 'custom_tool_call', id: 'ct_1', call_id: 'call_custom_sql_001', name: 'write_sql', input: '' }
  const lines = [
    CREATED,
    { type: 'response.output_item.added', output_index: 0, item: added },
    { type: 'response.custom_tool_call_input.delta', item_id: 'ct_1', output_index: 0, delta: 'SELECT * ' },
    { type: 'response.custom_tool_call_input.delta', item_id: 'ct_1', output_index: 0, delta: 'FROM users' },
    { type: 'response.output_item.done', output_index: 0, item: { ...added, input: 'SELECT * FROM users', status: 'completed' } },
    completed(),
  ].map(e => `data: ${JSON.stringify(e)}\n\n`).join('')
  t.strictSame(decode(t, lines).slice(1, 5), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'call_custom_sql_001', toolName: 'write_sql', toolKind: 'custom' },
    { type: 'tool-input-delta', index: 0, delta: 'SELECT * ' },
    { type: 'tool-input-delta', index: 0, delta: 'FROM users' },
    { type: 'block-end', index: 0 },
  ])
})

t.test('namespaced function call → toolNamespace on block-start', async t => {
  const events = decode(t, [CREATED, ...callEvents(0, 'fc_1', 'call_a', 'list_files', ['{}'], { namespace: 'mcp_fs' }), completed()])
  t.strictSame(events[1], { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'call_a', toolName: 'list_files', toolNamespace: 'mcp_fs' })
})

t.test('§7.29: arguments only in .done events, or only in the complete item, become one delta', async t => {
  const added = { type: 'response.output_item.added', output_index: 0, item: call('fc_1', 'call_a', 'get_weather', '', 'in_progress') }
  const itemDone = { type: 'response.output_item.done', output_index: 0, item: call('fc_1', 'call_a', 'get_weather', '{"city":"Paris"}', 'completed') }
  const expected: CanonicalEvent[] = [
    START,
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather' },
    { type: 'tool-input-delta', index: 0, delta: '{"city":"Paris"}' },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'tool-calls', raw: 'completed' } },
  ]
  const argsDone = { type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 0, arguments: '{"city":"Paris"}', name: 'get_weather' }
  t.strictSame(decode(t, [CREATED, added, argsDone, itemDone, completed([], null)]), expected, 'from function_call_arguments.done')
  t.strictSame(decode(t, [CREATED, added, itemDone, completed([], null)]), expected, 'from output_item.done')
  t.strictSame(decode(t, [CREATED, itemDone, completed([], null)]), expected, 'output_item.done without .added')
  const text = decode(t, [
    CREATED,
    { type: 'response.output_item.added', output_index: 0, item: message('msg_1', 'in_progress', []) },
    { type: 'response.output_text.done', item_id: 'msg_1', output_index: 0, content_index: 0, text: 'Whole', logprobs: [] },
    { type: 'response.output_item.done', output_index: 0, item: message('msg_1', 'completed', [textPart('Whole')]) },
    { type: 'response.output_item.added', output_index: 1, item: { id: 'rs_1', type: 'reasoning', summary: [] } },
    { type: 'response.output_item.done', output_index: 1, item: { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'A' }, { type: 'summary_text', text: 'B' }] } },
    completed([], null),
  ])
  t.strictSame(text.slice(1, -1), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Whole' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 1, delta: 'A' },
    { type: 'reasoning-delta', index: 1, delta: '\n\nB' },
    { type: 'block-end', index: 1 },
  ], 'text from output_text.done, summaries from the done item')
})

t.test('an item added before the previous one finished is buffered and flushed as its own block', async t => {
  const msg = { item_id: 'msg_1', output_index: 0, content_index: 0 }
  const fc = { item_id: 'fc_1', output_index: 1 }
  t.strictSame(decode(t, [
    CREATED,
    { type: 'response.output_item.added', output_index: 0, item: message('msg_1', 'in_progress', []) },
    { type: 'response.output_text.delta', ...msg, delta: 'Hel' },
    { type: 'response.output_item.added', output_index: 1, item: call('fc_1', 'call_a', 'f', '', 'in_progress') },
    { type: 'response.function_call_arguments.delta', ...fc, delta: '{"a"' },
    { type: 'response.output_text.delta', ...msg, delta: 'lo' },
    { type: 'response.function_call_arguments.delta', ...fc, delta: ':1}' },
    { type: 'response.output_item.done', output_index: 0, item: message('msg_1', 'completed', [textPart('Hello')]) },
    { type: 'response.function_call_arguments.delta', ...fc, delta: '' },
    { type: 'response.output_item.done', output_index: 1, item: call('fc_1', 'call_a', 'f', '{"a":1}', 'completed') },
    completed([], null),
  ]), [
    START,
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Hel' },
    { type: 'text-delta', index: 0, delta: 'lo' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_a', toolName: 'f' },
    { type: 'tool-input-delta', index: 1, delta: '{"a":1}' },
    { type: 'block-end', index: 1 },
    { type: 'message-end', finish: { reason: 'tool-calls', raw: 'completed' } },
  ])
  // The later item finishes first: it waits, then flushes whole right after the earlier one.
  const reversed = decode(t, [
    CREATED,
    { type: 'response.output_item.added', output_index: 0, item: call('fc_0', 'call_0', 'f', '', 'in_progress') },
    { type: 'response.output_item.added', output_index: 1, item: call('fc_1', 'call_1', 'g', '', 'in_progress') },
    { type: 'response.output_item.done', output_index: 1, item: call('fc_1', 'call_1', 'g', '{"b":2}', 'completed') },
    { type: 'response.function_call_arguments.delta', item_id: 'fc_0', output_index: 0, delta: '{"a":1}' },
    { type: 'response.output_item.done', output_index: 0, item: call('fc_0', 'call_0', 'f', '{"a":1}', 'completed') },
    completed([], null),
  ])
  t.strictSame(reversed.slice(1, -1), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'call_0', toolName: 'f' },
    { type: 'tool-input-delta', index: 0, delta: '{"a":1}' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_1', toolName: 'g' },
    { type: 'tool-input-delta', index: 1, delta: '{"b":2}' },
    { type: 'block-end', index: 1 },
  ])
})

t.test('incomplete (max_output_tokens): length finish; an item left open is closed first', async t => {
  const at = { item_id: 'msg_1', output_index: 0, content_index: 0 }
  const incomplete = { type: 'response.incomplete', response: response('incomplete', { incomplete_details: { reason: 'max_output_tokens' }, usage: USAGE }) }
  t.strictSame(decode(t, [
    CREATED,
    { type: 'response.output_item.added', output_index: 0, item: message('msg_1', 'in_progress', []) },
    { type: 'response.output_text.delta', ...at, delta: 'Cut sh' },
    incomplete,
  ]), [
    START,
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Cut sh' },
    { type: 'block-end', index: 0 },
    { type: 'usage', usage: { input: 36, output: 87, cacheRead: 0, reasoning: 0 } },
    { type: 'message-end', finish: { reason: 'length', raw: 'max_output_tokens' } },
  ])
  const filtered = { type: 'response.incomplete', response: response('incomplete', { incomplete_details: { reason: 'content_filter' } }) }
  t.strictSame(decode(t, [CREATED, filtered]).at(-1), { type: 'message-end', finish: { reason: 'content-filter', raw: 'content_filter' } })
})

t.test('response.failed → canonical error from response.error (vercel/ai openai-response-failed-only)', async t => {
  const failed = { type: 'response.failed', response: response('failed', { error: { code: 'rate_limit_exceeded', message: 'Request too large for gpt-4o-mini' } }) }
  t.strictSame(decode(t, [CREATED, failed]), [
    START,
    { type: 'error', error: { kind: 'rate_limit', status: 429, message: 'Request too large for gpt-4o-mini' } },
  ])
  const opaque = decode(t, [CREATED, ...messageEvents(0, 'msg_1', ['x']).slice(0, 3), { type: 'response.failed', response: response('failed') }])
  t.strictSame(opaque.slice(-1), [{ type: 'error', error: { kind: 'server_error', status: 500, message: 'the backend response failed without an error message' } }],
    'error:null still fails, mid-block (§7.22)')
})

t.test('error event (§2.5 e, §7.16): canonical error; the following response.failed is ignored', async t => {
  const quota = { type: 'error', error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota', param: null } }
  const failed = { type: 'response.failed', response: response('failed', { error: { code: 'insufficient_quota', message: 'You exceeded your current quota' } }) }
  t.strictSame(decode(t, [CREATED, IN_PROGRESS, quota, failed]), [
    START,
    { type: 'error', error: { kind: 'rate_limit', status: 429, message: 'You exceeded your current quota' } },
  ])
  const flat = { type: 'error', code: 'server_error', message: 'An error occurred while processing the request.', param: null }
  t.strictSame(decode(t, [flat]), [{ type: 'error', error: { kind: 'server_error', status: 500, message: 'An error occurred while processing the request.' } }],
    'flat documented shape, before any other event')
  const nullCode = { type: 'error', error: { type: 'server_error', code: null, message: 'An error occurred.', param: null } }
  t.strictSame(decode(t, [CREATED, nullCode]).at(-1), { type: 'error', error: { kind: 'server_error', status: 500, message: 'An error occurred.' } })
})

t.test('keepalive events and comment frames → ping', async t => {
  t.strictSame(decode(t, [CREATED, { type: 'keepalive' }, completed([], null)]).map(e => e.type), ['message-start', 'ping', 'message-end'])
  const out: CanonicalEvent[] = []
  new ResponsesStreamDecoder(REQUEST).push({ data: '', comment: 'keepalive' }, e => { out.push(e) })
  t.strictSame(out, [{ type: 'ping' }])
})

t.test('unknown and uninteresting events are ignored; hosted-tool items are skipped', async t => {
  const events = decode(t, [
    CREATED,
    { type: 'response.queued', response: response('queued') },
    { type: 'response.metadata', metadata: {} },
    { type: 'response.output_item.added', output_index: 0, item: { type: 'web_search_call', id: 'ws_1', status: 'in_progress' } },
    { type: 'response.web_search_call.searching', item_id: 'ws_1', output_index: 0 },
    { type: 'response.output_item.done', output_index: 0, item: { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } } },
    ...messageEvents(1, 'msg_1', ['Found.']),
    { type: 'response.output_text.annotation.added', item_id: 'msg_1', output_index: 1, content_index: 0, annotation_index: 0, annotation: { type: 'url_citation' } },
    { type: 'response.something_newer', output_index: 7, whatever: true },
    completed([], null),
  ])
  t.strictSame(events, [
    START,
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Found.' },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'stop', raw: 'completed' } },
  ])
})

t.test('refusal parts → refusal block', async t => {
  const at = { item_id: 'msg_1', output_index: 0, content_index: 0 }
  const events = decode(t, [
    CREATED,
    { type: 'response.output_item.added', output_index: 0, item: message('msg_1', 'in_progress', []) },
    { type: 'response.content_part.added', ...at, part: { type: 'refusal', refusal: '' } },
    { type: 'response.refusal.delta', ...at, delta: 'I cannot' },
    { type: 'response.refusal.delta', ...at, delta: ' help.' },
    { type: 'response.refusal.done', ...at, refusal: 'I cannot help.' },
    completed([], null),
  ])
  t.strictSame(events.slice(1, -1), [
    { type: 'block-start', index: 0, kind: 'refusal' },
    { type: 'text-delta', index: 0, delta: 'I cannot' },
    { type: 'text-delta', index: 0, delta: ' help.' },
    { type: 'block-end', index: 0 },
  ])
})

t.test('partial sequences (§7.21): items only in response.completed.output; events before response.created', async t => {
  const output = [message('msg_1', 'completed', [textPart('Hi')]), call('fc_1', 'call_a', 'f', '{}', 'completed')]
  t.strictSame(decode(t, [CREATED, completed(output, null)]), [
    START,
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Hi' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_a', toolName: 'f' },
    { type: 'tool-input-delta', index: 1, delta: '{}' },
    { type: 'block-end', index: 1 },
    { type: 'message-end', finish: { reason: 'tool-calls', raw: 'completed' } },
  ])
  const unfinished = decode(t, [
    CREATED,
    { type: 'response.output_item.added', output_index: 0, item: call('fc_1', 'call_a', 'f', '', 'in_progress') },
    completed([call('fc_1', 'call_a', 'f', '{"a":1}', 'completed')], null),
  ])
  t.strictSame(unfinished.slice(1, -1), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'call_a', toolName: 'f' },
    { type: 'tool-input-delta', index: 0, delta: '{"a":1}' },
    { type: 'block-end', index: 0 },
  ], 'an item never finished is completed from the final output')
  const early = decode(t, [...messageEvents(0, 'msg_1', ['x']), completed([], null)])
  const start = early[0]
  t.ok(start?.type === 'message-start' && start.id.startsWith('resp_') && start.model === REQUEST.model, 'message-start synthesised on the first item')
})

t.test('a stream cut before its terminal event ends with nothing more', async t => {
  const events = decode(t, [CREATED, ...messageEvents(0, 'msg_1', ['Hel']).slice(0, 3)])
  t.strictSame(events, [START, { type: 'block-start', index: 0, kind: 'text' }, { type: 'text-delta', index: 0, delta: 'Hel' }])
})

t.test('unusable upstream data throws the upstream-invalid-data error naming what was wrong', async t => {
  const push = (...frames: string[]): void => {
    const decoder = new ResponsesStreamDecoder(REQUEST)
    for (const data of frames) decoder.push({ data }, () => {})
  }
  const created = JSON.stringify(CREATED)
  const added = JSON.stringify({ type: 'response.output_item.added', output_index: 0, item: message('m', 'in_progress', []) })
  const code = { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' }
  t.throws(() => push('{"type":"response.output_text.delta",'), { ...code, message: 'a stream event is not valid JSON' })
  t.throws(() => push('[1,2]'), { ...code, message: 'a stream event is not a JSON object' })
  t.throws(() => push('{"delta":"x"}'), { ...code, message: 'a stream event has no type' })
  t.throws(() => push('{"type":"response.created"}'), { ...code, message: 'response.created without a response object' })
  t.throws(() => push(created, '{"type":"response.output_text.delta","delta":"x"}'), { ...code, message: 'response.output_text.delta without an output_index' })
  t.throws(() => push(created, '{"type":"response.output_text.delta","output_index":3,"delta":"x"}'),
    { ...code, message: 'response.output_text.delta for output 3, which was never added' })
  t.throws(() => push(created, added, '{"type":"response.output_text.delta","output_index":0,"delta":7}'),
    { ...code, message: 'response.output_text.delta without a string delta' })
  t.throws(() => push(created, added, '{"type":"response.function_call_arguments.delta","output_index":0,"delta":"{"}'),
    { ...code, message: 'response.function_call_arguments.delta for output 0, a message item' })
  t.throws(() => push(created, added, added), { ...code, message: 'output 0 was added twice' })
  t.throws(() => push(created, JSON.stringify({ type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id: 'fc', name: 'f', arguments: '' } })),
    { ...code, message: 'output 0 has no call_id' })
  t.throws(() => push(created, JSON.stringify({ type: 'response.completed' })), { ...code, message: 'response.completed without a response object' })
})

t.test('round trip: what Switchyard\'s own Responses encoder sends decodes back to the same blocks', async t => {
  /** Blocks and their non-empty deltas; errors by kind and status (the encoder words messages its own way). */
  const content = (events: readonly CanonicalEvent[]): unknown[] => events.flatMap((e): unknown[] => {
    if (e.type === 'error') return [{ error: e.error.kind, status: e.error.status }]
    if (e.type === 'text-delta' || e.type === 'reasoning-delta' || e.type === 'tool-input-delta') return e.delta === '' ? [] : [e]
    return e.type === 'block-start' || e.type === 'block-end' || e.type === 'signature' ? [e] : []
  })
  const roundTrip = (events: readonly CanonicalEvent[], request: CanonicalRequest): CanonicalEvent[] => {
    const encoder = new ResponsesStreamEncoder(request)
    const frames: SseFrame[] = []
    const sink = (f: SseFrame): void => { frames.push(f) }
    encoder.open?.(sink)
    for (const e of events) encoder.push(e, sink)
    encoder.end(sink)
    return decode(t, frames.filter(f => f.comment === undefined).map(f => `event: ${String(f.event)}\ndata: ${f.data}\n\n`).join(''), request)
  }
  const signed: CanonicalRequest = { ...REQUEST, encryptedReasoning: true }
  const cases: Array<[string, readonly CanonicalEvent[], CanonicalRequest]> = [
    ['text', TEXT, REQUEST], ['text + call', TOOL, REQUEST], ['reasoning', REASONING, REQUEST], ['refusal', REFUSAL, REQUEST],
    ['custom call', CUSTOM_TOOL, TOOLS_REQUEST], ['signed reasoning', signedReasoning(OPENAI_SIG), signed],
    ['error mid-block', ERROR, REQUEST], ['error mid-call', FAILED_IN_CALL, REQUEST],
  ]
  for (const [name, events, request] of cases) {
    const back = roundTrip(events, request)
    t.strictSame(content(back), content(events), name)
    t.equal(back.at(-1)?.type, events.at(-1)?.type, name + ': same terminal event')
  }
  // A call with no arguments: the encoder's done item says `{}`, which the decoder then reports.
  t.strictSame(content(roundTrip(TWO_TOOLS, REQUEST)).slice(-3), [
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_b', toolName: 'get_time' },
    { type: 'tool-input-delta', index: 1, delta: '{}' },
    { type: 'block-end', index: 1 },
  ])
})
