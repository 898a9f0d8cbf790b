// Gemini `streamGenerateContent?alt=sse` chunks → canonical events (PROTOCOLS.md §4.3, §4.4 a–e,
// §6.7, §6.8, §6.12, §7.35). Frames are fed directly (CRLF framing is the SSE parser's job; one
// test goes through it); every output is checked against the canonical stream invariants.
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { openCallId } from '../../../../src/dialects/gemini/call-ids.js'
import { GeminiStreamDecoder } from '../../../../src/dialects/gemini/stream-decoder.js'
import { SseDecoder } from '../../../../src/sse/decoder.js'
import type { SseFrame } from '../../../../src/sse/frame.js'
import { REQUEST } from '../scenarios.js'
import { violations } from '../anthropic/invariants.js'

type Json = Record<string, unknown>
const HEAD = { modelVersion: 'gemini-2.5-pro', responseId: 'resp-1' }
const chunk = (parts: Json[], extra: Json = {}): Json =>
  ({ candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }], ...HEAD })
const last = (parts: Json[], finishReason = 'STOP', usageMetadata?: Json): Json =>
  ({ ...chunk(parts, { finishReason }), ...(usageMetadata === undefined ? {} : { usageMetadata }) })
const call = (name: string, args: Json | undefined, extra: Json = {}): Json =>
  ({ functionCall: { name, ...(args === undefined ? {} : { args }) }, ...extra })

function feed (frames: readonly SseFrame[], request: CanonicalRequest = REQUEST, end = true): CanonicalEvent[] {
  const decoder = new GeminiStreamDecoder(request)
  const events: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent): void => { events.push(e) }
  for (const f of frames) decoder.push(f, sink)
  if (end) decoder.end(sink)
  return events
}
const decode = (chunks: readonly Json[], request: CanonicalRequest = REQUEST, end = true): CanonicalEvent[] =>
  feed(chunks.map(c => ({ data: JSON.stringify(c) })), request, end)

/** The events without message-start (its `created` is the clock's). */
const body = (events: CanonicalEvent[]): CanonicalEvent[] => events.filter(e => e.type !== 'message-start')
const blocks = (events: CanonicalEvent[]): CanonicalEvent[] =>
  events.filter(e => e.type !== 'message-start' && e.type !== 'usage' && e.type !== 'message-end')
const toolIds = (events: CanonicalEvent[]): string[] =>
  events.flatMap(e => e.type === 'block-start' && e.kind === 'tool-call' ? [e.toolCallId ?? ''] : [])

t.test('(a) text: message-start from the first chunk (with its usage), deltas, the empty last part adds nothing', async t => {
  const events = decode([
    { ...chunk([{ text: 'Hel' }]), usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 } },
    chunk([{ text: 'lo' }]),
    last([{ text: '' }], 'STOP', { promptTokenCount: 10, candidatesTokenCount: 2, totalTokenCount: 12 }),
  ])
  t.strictSame(violations(events), [])
  const start = events[0]
  t.ok(start?.type === 'message-start' && Number.isInteger(start.created) && start.created > 1_700_000_000)
  t.match(start, { type: 'message-start', id: 'resp-1', model: 'gemini-2.5-pro', usage: { input: 10, output: 0 } })
  t.strictSame(body(events), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Hel' },
    { type: 'text-delta', index: 0, delta: 'lo' },
    { type: 'usage', usage: { input: 10, output: 2 } },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'stop', raw: 'STOP' } },
  ])
})

t.test('CRLF-framed bytes through the SSE parser; fallbacks: minted id, requested model, Vertex createTime', async t => {
  const sse = 'data: ' + JSON.stringify({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }], createTime: '2025-06-01T00:00:00.5Z' }) + '\r\n\r\n' +
    'data: ' + JSON.stringify({ candidates: [{ content: { parts: [{ text: '!' }] }, finishReason: 'STOP' }] }) + '\r\n\r\n'
  const parser = new SseDecoder()
  const frames = [...parser.feed(Buffer.from(sse)), ...parser.end()]
  const events = feed(frames)
  t.strictSame(violations(events), [])
  const start = events[0]
  t.ok(start?.type === 'message-start' && start.id.length > 10, 'an id is minted when responseId is absent')
  t.match(start, { model: 'm1', created: Date.parse('2025-06-01T00:00:00Z') / 1000 })
  t.notOk(start !== undefined && 'usage' in start)
  t.strictSame(body(events).filter(e => e.type === 'text-delta').map(e => e.type === 'text-delta' && e.delta), ['Hi', '!'])
})

t.test('(b) one call: whole call as start, ONE delta, end; Gemini id and signature ride in the id; STOP → tool-calls', async t => {
  const events = decode([last([call('get_weather', { city: 'Paris' }, { thoughtSignature: 'sigA' })])])
  t.strictSame(violations(events), [])
  const id = toolIds(events)[0] ?? ''
  t.strictSame(openCallId(id), { signature: 'sigA' })
  t.strictSame(body(events), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: id, toolName: 'get_weather' },
    { type: 'tool-input-delta', index: 0, delta: '{"city":"Paris"}' },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'tool-calls', raw: 'STOP' } },
  ])
  const withId = toolIds(decode([last([call('f', undefined, { functionCall: { id: 'fc-7', name: 'f' } })])]))[0] ?? ''
  t.strictSame(openCallId(withId), { id: 'fc-7' }, "Gemini's own id travels back too")
})

t.test('(c) two calls, one chunk or two: text closed first, signature only in the first id, args absent → {}', async t => {
  const parts = [call('get_weather', { city: 'Paris' }, { thoughtSignature: 'sigA' }), call('get_time', undefined)]
  const together = decode([chunk([{ text: 'Checking.' }]), last(parts)])
  const apart = decode([chunk([{ text: 'Checking.' }]), chunk([parts[0] as Json]), chunk([parts[1] as Json]), last([])])
  for (const events of [together, apart]) {
    t.strictSame(violations(events), [])
    const [a = '', b = ''] = toolIds(events)
    t.strictSame(openCallId(a), { signature: 'sigA' })
    t.ok(b.startsWith('call_'), 'a call with neither id nor signature gets a plain call_ id')
    t.strictSame(openCallId(b), {})
    t.strictSame(body(events), [
      { type: 'block-start', index: 0, kind: 'text' },
      { type: 'text-delta', index: 0, delta: 'Checking.' },
      { type: 'block-end', index: 0 },
      { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: a, toolName: 'get_weather' },
      { type: 'tool-input-delta', index: 1, delta: '{"city":"Paris"}' },
      { type: 'block-end', index: 1 },
      { type: 'block-start', index: 2, kind: 'tool-call', toolCallId: b, toolName: 'get_time' },
      { type: 'tool-input-delta', index: 2, delta: '{}' },
      { type: 'block-end', index: 2 },
      { type: 'message-end', finish: { reason: 'tool-calls', raw: 'STOP' } },
    ])
  }
})

t.test('namespaced and custom tools: split back, raw input unwrapped', async t => {
  const request: CanonicalRequest = {
    ...REQUEST,
    tools: [
      { kind: 'function', name: 'list_files', namespace: 'mcp_fs' },
      { kind: 'custom', name: 'apply_patch' },
      { kind: 'custom', name: 'run', namespace: 'sh' },
    ],
  }
  const events = decode([last([
    call('mcp_fs__list_files', { dir: '.' }),
    call('apply_patch', { input: '*** Begin Patch\n*** End Patch' }),
    call('sh__run', { input: '' }),
    call('apply_patch', { patch: 'x' }),
  ])], request)
  t.strictSame(violations(events), [])
  const [a, b, c, d] = toolIds(events)
  t.strictSame(blocks(events), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: a, toolName: 'list_files', toolNamespace: 'mcp_fs' },
    { type: 'tool-input-delta', index: 0, delta: '{"dir":"."}' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: b, toolName: 'apply_patch', toolKind: 'custom' },
    { type: 'tool-input-delta', index: 1, delta: '*** Begin Patch\n*** End Patch' },
    { type: 'block-end', index: 1 },
    { type: 'block-start', index: 2, kind: 'tool-call', toolCallId: c, toolName: 'run', toolKind: 'custom', toolNamespace: 'sh' },
    { type: 'block-end', index: 2 },
    { type: 'block-start', index: 3, kind: 'tool-call', toolCallId: d, toolName: 'apply_patch', toolKind: 'custom' },
    { type: 'tool-input-delta', index: 3, delta: '{"patch":"x"}' },
    { type: 'block-end', index: 3 },
  ], 'empty raw input sends no delta; arguments not of the {input} shape pass on as JSON')
})

t.test('(d) thinking then text: the signature on the answer\'s first text part signs the reasoning block', async t => {
  const events = decode([
    chunk([{ text: 'Let me ', thought: true }]),
    chunk([{ text: 'think.', thought: true }]),
    chunk([{ text: 'Answer', thoughtSignature: 'sigT' }]),
    last([{ text: ' done', thoughtSignature: 'late' }], 'STOP', { promptTokenCount: 5, candidatesTokenCount: 3, thoughtsTokenCount: 9, totalTokenCount: 17 }),
  ])
  t.strictSame(violations(events), [])
  t.strictSame(body(events), [
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'Let me ' },
    { type: 'reasoning-delta', index: 0, delta: 'think.' },
    { type: 'signature', index: 0, signature: { family: 'gemini', value: 'sigT' } },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'text' },
    { type: 'text-delta', index: 1, delta: 'Answer' },
    { type: 'usage', usage: { input: 5, output: 12, reasoning: 9 } },
    { type: 'text-delta', index: 1, delta: ' done' },
    { type: 'block-end', index: 1 },
    { type: 'message-end', finish: { reason: 'stop', raw: 'STOP' } },
  ], 'a signature on text with no reasoning open is dropped')
})

t.test('(d) the signature on an empty-text part, or on the thought part itself', async t => {
  const emptyPart = decode([
    chunk([{ text: 'Hmm.', thought: true }]),
    chunk([{ text: '', thoughtSignature: 'sigE' }]),
    last([{ text: 'Yes.' }]),
  ])
  t.strictSame(violations(emptyPart), [])
  t.strictSame(blocks(emptyPart), [
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'Hmm.' },
    { type: 'signature', index: 0, signature: { family: 'gemini', value: 'sigE' } },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'text' },
    { type: 'text-delta', index: 1, delta: 'Yes.' },
    { type: 'block-end', index: 1 },
  ])
  const onThought = decode([chunk([{ text: 'A', thought: true }, { text: 'B', thought: true, thoughtSignature: 's1' }]),
    chunk([{ text: 'C', thought: true, thoughtSignature: 's2' }]), last([{ text: 'ok', thoughtSignature: 's3' }])])
  t.strictSame(violations(onThought), [])
  t.strictSame(blocks(onThought), [
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'A' },
    { type: 'reasoning-delta', index: 0, delta: 'B' },
    { type: 'signature', index: 0, signature: { family: 'gemini', value: 's1' } },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 1, delta: 'C' },
    { type: 'signature', index: 1, signature: { family: 'gemini', value: 's2' } },
    { type: 'block-end', index: 1 },
    { type: 'block-start', index: 2, kind: 'text' },
    { type: 'text-delta', index: 2, delta: 'ok' },
    { type: 'block-end', index: 2 },
  ], 'a second signature in one run starts a new reasoning block; the already-signed run drops the third')
})

t.test('thinking then a call: reasoning closes unsigned, the call signature goes into its id', async t => {
  const events = decode([chunk([{ text: 'Plan.', thought: true }]), last([call('f', {}, { thoughtSignature: 'sigC' })])])
  t.strictSame(violations(events), [])
  t.strictSame(blocks(events).map(e => e.type), ['block-start', 'reasoning-delta', 'block-end', 'block-start', 'tool-input-delta', 'block-end'])
  t.strictSame(openCallId(toolIds(events)[0] ?? ''), { signature: 'sigC' })
})

t.test('usage: a running total (latest wins), thoughts added to output, cache and tool-use prompt counted', async t => {
  const events = decode([
    { ...chunk([{ text: 'a' }]), usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 40, totalTokenCount: 100 } },
    { ...chunk([{ text: 'b' }]), usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 40, candidatesTokenCount: 1, thoughtsTokenCount: 20, totalTokenCount: 121 } },
    // §7.35: usage on the final chunk that also carries text is not dropped.
    last([{ text: 'c' }], 'STOP', { promptTokenCount: 100, cachedContentTokenCount: 40, candidatesTokenCount: 3, thoughtsTokenCount: 20, toolUsePromptTokenCount: 7, totalTokenCount: 130 }),
  ])
  t.strictSame(violations(events), [])
  t.match(events[0], { type: 'message-start', usage: { input: 100, output: 0, cacheRead: 40 } })
  t.strictSame(events.filter(e => e.type === 'usage'), [
    { type: 'usage', usage: { input: 100, output: 21, cacheRead: 40, reasoning: 20 } },
    { type: 'usage', usage: { input: 107, output: 23, cacheRead: 40, reasoning: 20 } },
  ])
  t.strictSame(events.filter(e => e.type === 'text-delta').length, 3)
})

t.test('finish words: mapping with raw kept; calls make tool-calls whatever the word', async t => {
  const cases: Array<[string, string]> = [
    ['STOP', 'stop'], ['MAX_TOKENS', 'length'], ['SAFETY', 'content-filter'], ['RECITATION', 'content-filter'],
    ['LANGUAGE', 'content-filter'], ['BLOCKLIST', 'content-filter'], ['PROHIBITED_CONTENT', 'content-filter'],
    ['SPII', 'content-filter'], ['IMAGE_SAFETY', 'content-filter'], ['MALFORMED_FUNCTION_CALL', 'other'],
    ['UNEXPECTED_TOOL_CALL', 'other'], ['TOO_MANY_TOOL_CALLS', 'other'], ['OTHER', 'other'],
    ['FINISH_REASON_UNSPECIFIED', 'other'], ['SOMETHING_NEW', 'other'], ['toString', 'other'],
  ]
  for (const [raw, reason] of cases) {
    t.strictSame(decode([last([{ text: 'x' }], raw)]).at(-1), { type: 'message-end', finish: { reason, raw } }, raw)
  }
  t.strictSame(decode([chunk([call('f', {})]), last([], 'MAX_TOKENS')]).at(-1), { type: 'message-end', finish: { reason: 'tool-calls', raw: 'MAX_TOKENS' } })
  const safety = decode([{ candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: [] }], ...HEAD }])
  t.strictSame(body(safety), [{ type: 'message-end', finish: { reason: 'content-filter', raw: 'SAFETY' } }], 'a finish with no content')
})

t.test('the finishReason chunk ends the reply at once; anything after it is ignored', async t => {
  const decoder = new GeminiStreamDecoder(REQUEST)
  const events: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent): void => { events.push(e) }
  decoder.push({ data: JSON.stringify(last([{ text: 'a' }])) }, sink)
  t.strictSame(body(events).slice(-2), [
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'stop', raw: 'STOP' } },
  ], 'over with the finish chunk: an upstream that holds its connection open holds nobody')
  const before = events.length
  decoder.push({ data: JSON.stringify({ ...chunk([{ text: 'late' }]), usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1 } }) }, sink)
  decoder.end(sink)
  decoder.end(sink)
  t.equal(events.length, before, 'nothing after the finish')
  t.strictSame(violations(events), [])
})

t.test('a blocked prompt: no candidates, promptFeedback.blockReason → content-filter stop', async t => {
  const events = decode([{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT', safetyRatings: [] }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 }, ...HEAD }])
  t.strictSame(violations(events), [])
  t.match(events[0], { type: 'message-start', usage: { input: 8, output: 0 } })
  t.strictSame(body(events), [{ type: 'message-end', finish: { reason: 'content-filter', raw: 'PROHIBITED_CONTENT' } }])
})

t.test('(e) error chunk mid-stream: 503 UNAVAILABLE → overloaded error event, nothing after', async t => {
  const decoder = new GeminiStreamDecoder(REQUEST)
  const events: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent): void => { events.push(e) }
  for (const c of [chunk([{ text: 'Hel' }]), { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }, last([{ text: 'lo' }])]) {
    decoder.push({ data: JSON.stringify(c) }, sink)
  }
  decoder.end(sink)
  t.strictSame(violations(events), [])
  t.strictSame(body(events), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Hel' },
    { type: 'error', error: { kind: 'overloaded', status: 503, message: 'The model is overloaded.' } },
  ])
  const first = decode([{ error: { code: 500, message: 'Internal error', status: 'INTERNAL' } }])
  t.strictSame(first, [{ type: 'error', error: { kind: 'server_error', status: 500, message: 'Internal error' } }], 'an error as the first chunk')
})

t.test('truncated: no finishReason and no error → nothing made up (the client encoder renders the truncation)', async t => {
  const events = decode([chunk([{ text: 'Hel' }]), chunk([{ text: 'lo' }])])
  t.strictSame(body(events), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Hel' },
    { type: 'text-delta', index: 0, delta: 'lo' },
  ])
  t.strictSame(decode([]), [])
})

t.test('pings, skipped outputs and other candidates', async t => {
  const events = feed([
    { data: '', comment: 'keepalive' },
    { data: JSON.stringify(chunk([{ executableCode: { language: 'PYTHON', code: 'print(1)' } }, { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '1' } },
      { inlineData: { mimeType: 'image/png', data: 'AAAA' }, thoughtSignature: 'ignored' }, { text: 'Done.' }])) },
    { data: '' },
    { data: JSON.stringify({ candidates: [{ content: { parts: [{ text: 'other' }] }, index: 1 }, { content: { parts: [{ text: '!' }] }, index: 0, finishReason: 'STOP' }], ...HEAD }) },
  ])
  t.strictSame(violations(events), [])
  t.strictSame(events[0], { type: 'ping' })
  t.strictSame(body(events).slice(1), [
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Done.' },
    { type: 'text-delta', index: 0, delta: '!' },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'stop', raw: 'STOP' } },
  ])
})

t.test('unusable upstream data throws the upstream-invalid-data error', async t => {
  const bad = (data: string) => () => feed([{ data }])
  t.throws(bad('{"candidates":'), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /not valid JSON/ })
  t.throws(bad('[{"candidates":[]}]'), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /not a JSON object/ })
  t.throws(bad(JSON.stringify(chunk([call('', {})]))), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /without a name/ })
  t.throws(bad(JSON.stringify(chunk([call('f', undefined, { functionCall: { name: 'f', args: '{}' } })]))), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /not an object/ })
  t.throws(bad(JSON.stringify(chunk(['text' as unknown as Json]))), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
  t.throws(bad(JSON.stringify({ candidates: [{ content: { parts: 'x' } }] })), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /parts/ })
})
