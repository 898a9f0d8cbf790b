// Upstream Chat chunks → canonical events (PROTOCOLS.md §1.3, §6.12, §7.1–7.4, §7.19, conformance
// case 5). Every decoded stream is also run through the invariant checker below, which restates
// the rules of src/canonical/events.ts.
import fc from 'fast-check'
import t, { type Test } from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { ChatStreamDecoder } from '../../../../src/dialects/openai-chat/stream-decoder.js'
import type { SseFrame } from '../../../../src/sse/frame.js'
import { REQUEST } from '../scenarios.js'

const CREATED = 1700000000
const DONE: SseFrame = { data: '[DONE]' }
const chunk = (delta: object, finish: string | null = null, extra: object = {}): SseFrame => ({
  data: JSON.stringify({ id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: CREATED, model: 'gpt-up', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra }),
})
const usageChunk = (prompt: number, completion: number): SseFrame => ({
  data: JSON.stringify({ id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: CREATED, model: 'gpt-up', choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } }),
})
const call = (index: number | undefined, fields: { id?: string | null, name?: string | null, args?: string }): object => {
  const fn: Record<string, unknown> = {}
  if (fields.name !== undefined) fn.name = fields.name
  if (fields.args !== undefined) fn.arguments = fields.args
  const out: Record<string, unknown> = { function: fn }
  if (index !== undefined) out.index = index
  if (fields.id !== undefined) out.id = fields.id
  if (typeof fields.id === 'string') out.type = 'function'
  return out
}
const tools = (...calls: object[]): SseFrame => chunk({ tool_calls: calls })
const START: CanonicalEvent = { type: 'message-start', id: 'chatcmpl-abc', model: 'gpt-up', created: CREATED }
const ROLE = chunk({ role: 'assistant', content: '' })

/** The rules of src/canonical/events.ts, checked over one decoded stream. */
function checkInvariants (t: Test, events: readonly CanonicalEvent[]): void {
  let started = false
  let ended = false
  let next = 0
  let open: { index: number, kind: string } | undefined
  for (const e of events) {
    if (e.type === 'ping') continue
    t.notOk(ended, 'nothing after message-end or error: ' + e.type)
    if (e.type === 'error') { ended = true; continue }
    if (e.type === 'message-start') { t.notOk(started, 'message-start once'); started = true; continue }
    t.ok(started, 'message-start first, before ' + e.type)
    switch (e.type) {
      case 'block-start':
        t.equal(open, undefined, 'one open block at a time')
        t.equal(e.index, next++, 'dense block indexes in start order')
        if (e.kind === 'tool-call') t.ok(e.toolCallId !== undefined && e.toolCallId !== '' && e.toolName !== undefined && e.toolName !== '', 'tool id and name at start')
        open = { index: e.index, kind: e.kind }
        break
      case 'text-delta':
        t.ok(open?.index === e.index && (open.kind === 'text' || open.kind === 'refusal'), 'text delta targets the open text block')
        break
      case 'reasoning-delta':
        t.ok(open?.index === e.index && open.kind === 'reasoning', 'reasoning delta targets the open reasoning block')
        break
      case 'tool-input-delta':
        t.ok(open?.index === e.index && open.kind === 'tool-call', 'tool delta targets the open tool block')
        break
      case 'signature':
        t.equal(open?.index, e.index)
        break
      case 'block-end':
        t.equal(open?.index, e.index, 'block-end closes the open block')
        open = undefined
        break
      case 'message-end':
        t.equal(open, undefined, 'no block open at message-end')
        ended = true
        break
    }
  }
}

function decode (t: Test, frames: readonly SseFrame[], request: CanonicalRequest = REQUEST, withEnd = true): CanonicalEvent[] {
  const events: CanonicalEvent[] = []
  const decoder = new ChatStreamDecoder(request)
  const sink = (e: CanonicalEvent): void => { events.push(e) }
  for (const f of frames) decoder.push(f, sink)
  if (withEnd) decoder.end(sink)
  checkInvariants(t, events)
  return events
}

interface Block { kind: string, id?: string, name?: string, toolKind?: string, text: string, deltas: number }
/** Blocks reassembled from the events, in order. */
function blocks (events: readonly CanonicalEvent[]): Block[] {
  const out: Block[] = []
  for (const e of events) {
    if (e.type === 'block-start') {
      const b: Block = { kind: e.kind, text: '', deltas: 0 }
      if (e.toolCallId !== undefined) b.id = e.toolCallId
      if (e.toolName !== undefined) b.name = e.toolName
      if (e.toolKind !== undefined) b.toolKind = e.toolKind
      out[e.index] = b
    } else if (e.type === 'text-delta' || e.type === 'reasoning-delta' || e.type === 'tool-input-delta') {
      const b = out[e.index]
      if (b !== undefined) { b.text += e.delta; b.deltas++ }
    }
  }
  return out
}

t.test('text: role chunk, empty content ignored, finish held until the usage chunk', async t => {
  const events = decode(t, [ROLE, chunk({ content: 'Hel' }), chunk({ content: '' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk(10, 2), DONE])
  t.strictSame(events, [
    START,
    { type: 'block-start', index: 0, kind: 'text' },
    { type: 'text-delta', index: 0, delta: 'Hel' },
    { type: 'text-delta', index: 0, delta: 'lo' },
    { type: 'block-end', index: 0 },
    { type: 'usage', usage: { input: 10, output: 2 } },
    { type: 'message-end', finish: { reason: 'stop', raw: 'stop' } },
  ])
})

t.test('message-end waits for the usage chunk; usage comes before it', async t => {
  const events: CanonicalEvent[] = []
  const decoder = new ChatStreamDecoder(REQUEST)
  const sink = (e: CanonicalEvent): void => { events.push(e) }
  for (const f of [ROLE, chunk({ content: 'x' }), chunk({}, 'length')]) decoder.push(f, sink)
  t.strictSame(events.map(e => e.type), ['message-start', 'block-start', 'text-delta', 'block-end'], 'held after finish')
  decoder.push(usageChunk(5, 1), sink)
  t.strictSame(events.slice(4), [{ type: 'usage', usage: { input: 5, output: 1 } }, { type: 'message-end', finish: { reason: 'length', raw: 'length' } }])
  decoder.push(DONE, sink)
  decoder.end(sink)
  t.equal(events.length, 6, 'nothing after message-end')
  checkInvariants(t, events)
})

t.test('usage riding on the finish chunk ends at once; detail counters mapped', async t => {
  const usage = { prompt_tokens: 1000, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 800 }, completion_tokens_details: { reasoning_tokens: 30 } }
  const events = decode(t, [ROLE, chunk({ content: 'x' }), chunk({}, 'stop', { usage })], REQUEST, false)
  t.strictSame(events.slice(-2), [
    { type: 'usage', usage: { input: 1000, output: 40, cacheRead: 800, reasoning: 30 } },
    { type: 'message-end', finish: { reason: 'stop', raw: 'stop' } },
  ])
})

t.test('[DONE] missing but EOF after finish → message-end at end()', async t => {
  const events = decode(t, [ROLE, chunk({ content: 'x' }), chunk({}, 'stop')])
  t.strictSame(events.at(-1), { type: 'message-end', finish: { reason: 'stop', raw: 'stop' } })
  t.notOk(events.some(e => e.type === 'usage'))
})

t.test('[DONE] after finish without a usage chunk → message-end', async t => {
  const events = decode(t, [ROLE, chunk({ content: 'x' }), chunk({}, 'stop'), DONE], REQUEST, false)
  t.strictSame(events.at(-1), { type: 'message-end', finish: { reason: 'stop', raw: 'stop' } })
})

t.test('no finish_reason before EOF or [DONE]: nothing more (the client encoder renders the truncation)', async t => {
  const cut = decode(t, [ROLE, chunk({ content: 'x' })])
  t.strictSame(cut.map(e => e.type), ['message-start', 'block-start', 'text-delta'])
  const done = decode(t, [ROLE, chunk({ content: 'x' }), DONE, chunk({ content: 'late' })])
  t.strictSame(done.map(e => e.type), ['message-start', 'block-start', 'text-delta'])
})

t.test('reasoning and content in the SAME chunk: two blocks, reasoning closed first (§7.4)', async t => {
  const events = decode(t, [
    ROLE,
    chunk({ reasoning_content: 'Think' }),
    chunk({ reasoning_content: 'ing', content: 'Ans' }),
    chunk({ content: 'wer', reasoning_content: null }),
    chunk({}, 'stop'),
    DONE,
  ])
  t.strictSame(events.slice(1, 8), [
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'Think' },
    { type: 'reasoning-delta', index: 0, delta: 'ing' },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'text' },
    { type: 'text-delta', index: 1, delta: 'Ans' },
    { type: 'text-delta', index: 1, delta: 'wer' },
  ])
  t.strictSame(blocks(decode(t, [chunk({ reasoning: 'OpenRouter', content: 'A' }), chunk({}, 'stop')])).map(b => [b.kind, b.text]),
    [['reasoning', 'OpenRouter'], ['text', 'A']])
  t.strictSame(blocks(decode(t, [chunk({ reasoning_content: 'once', reasoning: 'once' }), chunk({}, 'stop')])).map(b => b.text), ['once'], 'never both fields')
})

t.test('delta.refusal → refusal block', async t => {
  const events = decode(t, [ROLE, chunk({ refusal: 'I cannot' }), chunk({ refusal: ' help.' }), chunk({}, 'stop')])
  t.strictSame(blocks(events), [{ kind: 'refusal', text: 'I cannot help.', deltas: 2 }])
})

t.test('two parallel calls sent sequentially: both stream live', async t => {
  const events = decode(t, [
    ROLE,
    chunk({ content: 'Checking.' }),
    tools(call(0, { id: 'call_a', name: 'get_weather', args: '' })),
    tools(call(0, { args: '{"ci' })),
    tools(call(0, { args: 'ty":"Paris"}' })),
    tools(call(1, { id: 'call_b', name: 'get_time', args: '{"tz"' })),
    tools(call(1, { args: ':"CET"}' })),
    chunk({}, 'tool_calls'),
    usageChunk(10, 9),
    DONE,
  ])
  t.strictSame(events.slice(3, 12), [
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather' },
    { type: 'tool-input-delta', index: 1, delta: '{"ci' },
    { type: 'tool-input-delta', index: 1, delta: 'ty":"Paris"}' },
    { type: 'block-end', index: 1 },
    { type: 'block-start', index: 2, kind: 'tool-call', toolCallId: 'call_b', toolName: 'get_time' },
    { type: 'tool-input-delta', index: 2, delta: '{"tz"' },
    { type: 'tool-input-delta', index: 2, delta: ':"CET"}' },
    { type: 'block-end', index: 2 },
  ])
  t.strictSame(events.at(-1), { type: 'message-end', finish: { reason: 'tool-calls', raw: 'tool_calls' } })
})

t.test('interleaved upstream calls → two sequential blocks with the right full arguments (conformance 5)', async t => {
  const events = decode(t, [
    ROLE,
    tools(call(0, { id: 'call_a', name: 'get_weather', args: '{"city":' })),
    tools(call(1, { id: 'call_b', name: 'get_time', args: '{"tz":' })),
    tools(call(0, { args: '"Paris"}' })),
    tools(call(1, { args: '"CET"}' })),
    chunk({}, 'tool_calls'),
    DONE,
  ])
  t.strictSame(blocks(events), [
    { kind: 'tool-call', id: 'call_a', name: 'get_weather', text: '{"city":"Paris"}', deltas: 2 },
    { kind: 'tool-call', id: 'call_b', name: 'get_time', text: '{"tz":"CET"}', deltas: 1 },
  ])
  t.strictSame(events.slice(1, 4).map(e => e.type), ['block-start', 'tool-input-delta', 'tool-input-delta'], 'the first call streams live')
})

t.test('1-based indexes, id/name null continuations, ids only on the first fragment (§7.3)', async t => {
  const events = decode(t, [
    ROLE,
    tools(call(1, { id: 'call_a', name: 'f', args: '' })),
    tools(call(1, { id: null, name: null, args: '{"a":' })),
    tools(call(1, { id: null, name: null, args: '1}' })),
    tools(call(2, { id: 'call_b', name: 'g', args: '{}' })),
    tools(call(2, { id: null, name: null, args: '' })),
    chunk({}, 'tool_calls'),
  ])
  t.strictSame(blocks(events), [
    { kind: 'tool-call', id: 'call_a', name: 'f', text: '{"a":1}', deltas: 2 },
    { kind: 'tool-call', id: 'call_b', name: 'g', text: '{}', deltas: 1 },
  ])
})

t.test('missing indexes: a new id is a new call, id-less fragments continue the latest', async t => {
  const events = decode(t, [
    tools(call(undefined, { id: 'call_a', name: 'f', args: '{"x":' })),
    tools(call(undefined, { args: '1}' })),
    tools(call(undefined, { id: 'call_b', name: 'g', args: '{"y":2}' })),
    tools(call(0, { id: 'call_c', name: 'h', args: '{}' })),
    tools(call(0, { id: 'call_d', name: 'h', args: '{"z"' })),
    tools(call(0, { args: ':3}' })),
    chunk({}, 'stop'),
  ])
  t.strictSame(blocks(events).map(b => [b.id, b.name, b.text]), [
    ['call_a', 'f', '{"x":1}'], ['call_b', 'g', '{"y":2}'], ['call_c', 'h', '{}'], ['call_d', 'h', '{"z":3}'],
  ])
})

t.test('a call whose name comes later is buffered until then; never-sent ids are synthesised', async t => {
  const events = decode(t, [
    ROLE,
    tools(call(0, { args: '{"q"' })),
    tools(call(0, { name: 'search', args: ':"x"}' })),
    tools(call(1, { name: 'other', args: '{}' })),
    chunk({}, 'tool_calls'),
  ])
  t.strictSame(blocks(events), [
    { kind: 'tool-call', id: 'call_abc_0', name: 'search', text: '{"q":"x"}', deltas: 1 },
    { kind: 'tool-call', id: 'call_abc_1', name: 'other', text: '{}', deltas: 1 },
  ])
  t.throws(() => decode(t, [tools(call(0, { args: '{}' })), chunk({}, 'tool_calls')]), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /never received a name/ })
})

t.test('text after a tool call closes it; later fragments of an ended call are a protocol error', async t => {
  const events = decode(t, [tools(call(0, { id: 'c', name: 'f', args: '{}' })), chunk({ content: '\n' }), tools(call(0, { args: ' ' })), chunk({}, 'stop')])
  t.strictSame(blocks(events).map(b => [b.kind, b.text]), [['tool-call', '{}'], ['text', '\n']])
  t.throws(() => decode(t, [tools(call(0, { id: 'c', name: 'f', args: '{"a"' })), chunk({ content: 'x' }), tools(call(0, { args: ':1}' }))]),
    { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /after the call ended/ })
})

t.test('calls to custom tools are unwrapped from {"input": …} when they end', async t => {
  const req: CanonicalRequest = { ...REQUEST, tools: [{ kind: 'custom', name: 'apply_patch' }] }
  const events = decode(t, [
    tools(call(0, { id: 'c1', name: 'apply_patch', args: '{"input":"*** Begin' })),
    tools(call(0, { args: ' Patch\\n\\"x\\""}' })),
    tools(call(1, { id: 'c2', name: 'f', args: '{}' })),
    chunk({}, 'tool_calls'),
  ], req)
  t.strictSame(blocks(events), [
    { kind: 'tool-call', id: 'c1', name: 'apply_patch', toolKind: 'custom', text: '*** Begin Patch\n"x"', deltas: 1 },
    { kind: 'tool-call', id: 'c2', name: 'f', text: '{}', deltas: 1 },
  ])
})

t.test('error chunk mid-stream → canonical error last, the rest ignored', async t => {
  const events = decode(t, [
    ROLE,
    chunk({ content: 'Hel' }),
    { data: JSON.stringify({ error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: null } }) },
    chunk({ content: 'lo' }),
    chunk({}, 'stop'),
    DONE,
  ])
  t.strictSame(events.slice(3), [{ type: 'error', error: { kind: 'overloaded', status: 503, message: 'Overloaded' } }])
  const named = decode(t, [ROLE, { event: 'error', data: JSON.stringify({ message: 'bad', code: 400 }) }])
  t.strictSame(named.at(-1), { type: 'error', error: { kind: 'invalid_request', status: 400, message: 'bad' } })
})

t.test('comments become pings; invalid JSON is an upstream protocol error', async t => {
  const events = decode(t, [{ data: '', comment: 'OPENROUTER PROCESSING' }, ROLE, chunk({}, 'stop')])
  t.strictSame(events[0], { type: 'ping' })
  t.throws(() => decode(t, [ROLE, { data: '{"choices":[' }]), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /not valid JSON/ })
  t.throws(() => decode(t, [{ data: '[1]' }]), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /not a JSON object/ })
})

t.test('property: any fragmentation of two calls, interleaved or not, reassembles the exact arguments', async t => {
  const args = fc.dictionary(fc.string(), fc.oneof(fc.string({ unit: 'binary' }), fc.integer())).map(o => JSON.stringify(o))
  const cuts = fc.array(fc.nat(), { maxLength: 8 })
  const split = (s: string, at: number[]): string[] => {
    const points = [...new Set(at.map(n => n % (s.length + 1)))].sort((a, b) => a - b)
    const out: string[] = []
    let prev = 0
    for (const p of points) { out.push(s.slice(prev, p)); prev = p }
    out.push(s.slice(prev))
    return out
  }
  fc.assert(fc.property(args, args, cuts, cuts, fc.boolean(), fc.boolean(), (a1, a2, c1, c2, interleave, oneBased) => {
    const base = oneBased ? 1 : 0
    const f1 = split(a1, c1).map((args, i) => tools(i === 0 ? call(base, { id: 'call_1', name: 'f', args }) : call(base, { id: null, args })))
    const f2 = split(a2, c2).map((args, i) => tools(i === 0 ? call(base + 1, { id: 'call_2', name: 'g', args }) : call(base + 1, { args })))
    const frames: SseFrame[] = [ROLE]
    if (interleave) {
      frames.push(f1[0]!, f2[0]!)
      for (let i = 1; i < Math.max(f1.length, f2.length); i++) {
        if (f1[i] !== undefined) frames.push(f1[i]!)
        if (f2[i] !== undefined) frames.push(f2[i]!)
      }
    } else {
      frames.push(...f1, ...f2)
    }
    frames.push(chunk({}, 'tool_calls'), usageChunk(1, 1), DONE)
    const events = decode(t, frames)
    const got = blocks(events).map(b => [b.id, b.name, b.text])
    return JSON.stringify(got) === JSON.stringify([['call_1', 'f', a1], ['call_2', 'g', a2]]) && events.at(-1)?.type === 'message-end'
  }), { numRuns: 300 })
  t.pass('property holds')
})
