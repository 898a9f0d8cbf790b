// Exact frames for PROTOCOLS.md §3.4 (a) text, (b) tool, (c) two calls, (d) thinking, (e) error.
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import { openSignature, sealEnvelope } from '../../../../src/canonical/signature.js'
import { AnthropicStreamEncoder } from '../../../../src/dialects/anthropic/stream-encoder.js'
import { encodeAll, ERROR, parsed, REASONING, REQUEST, TEXT, TOOL, TRUNCATED, TWO_TOOLS } from '../scenarios.js'

const encode = (events: Parameters<typeof encodeAll>[1]) => encodeAll(new AnthropicStreamEncoder(REQUEST), events)
const ev = (type: string, data: Record<string, unknown>) => ({ event: type, data: { type, ...data } })
const START = ev('message_start', {
  message: {
    id: 'msg_mock-abc', type: 'message', role: 'assistant', model: 'm1', content: [], stop_reason: null, stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
})
const textDelta = (index: number, text: string) => ev('content_block_delta', { index, delta: { type: 'text_delta', text } })

t.test('(a) text', async t => {
  const frames = encode(TEXT)
  t.strictSame(parsed(frames), [
    START,
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    textDelta(0, 'Hel'),
    textDelta(0, 'lo'),
    ev('content_block_stop', { index: 0 }),
    ev('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 10, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }),
    ev('message_stop', {}),
  ])
  for (const f of frames) t.equal((JSON.parse(f.data) as { type: string }).type, f.event, 'event: equals data.type')
})

t.test('(b) text then tool call; cache reads leave input_tokens (§6.8)', async t => {
  t.strictSame(parsed(encode(TOOL)).slice(1), [
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    textDelta(0, 'Checking.'),
    ev('content_block_stop', { index: 0 }),
    ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} } }),
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"ci' } }),
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: 'ty":"Paris"}' } }),
    ev('content_block_stop', { index: 1 }),
    ev('message_delta', {
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 6, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 4 },
    }),
    ev('message_stop', {}),
  ])
})

t.test('(c) two calls are sequential blocks; an empty fragment is skipped', async t => {
  const types = parsed(encode(TWO_TOOLS)).map(f => f.event)
  t.strictSame(types, ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop',
    'content_block_start', 'content_block_stop', 'message_delta', 'message_stop'])
  t.match(parsed(encode(TWO_TOOLS))[4], { data: { index: 1, content_block: { type: 'tool_use', id: 'call_b', name: 'get_time' } } })
})

t.test('(d) thinking then text; length → max_tokens', async t => {
  t.strictSame(parsed(encode(REASONING)).slice(1), [
    ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Think' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'ing' } }),
    // No signature from the backend: an envelope carrying the text, so it can come back (§6.9).
    ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: sealEnvelope(undefined, 'Thinking') } }),
    ev('content_block_stop', { index: 0 }),
    ev('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
    textDelta(1, 'Answer'),
    ev('content_block_stop', { index: 1 }),
    ev('message_delta', {
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { input_tokens: 10, output_tokens: 6, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }),
    ev('message_stop', {}),
  ])
})

t.test('(e) error mid-stream: event error, no message_stop', async t => {
  const frames = parsed(encode(ERROR))
  t.strictSame(frames.slice(-1), [ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })])
  t.notOk(frames.some(f => f.event === 'message_stop'))
})

t.test('a stream that breaks off ends with an error event, never a clean stop', async t => {
  const frames = parsed(encode(TRUNCATED))
  t.match(frames.at(-1), { event: 'error', data: { type: 'error', error: { type: 'api_error' } } })
})

t.test('stop sequence and kept raw reasons', async t => {
  const end = (finish: object) => parsed(encode([TEXT[0]!, { type: 'message-end', finish } as never]))[1]
  t.match(end({ reason: 'stop', stopSequence: 'END' }), { data: { delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' } } })
  t.match(end({ reason: 'other', raw: 'pause_turn' }), { data: { delta: { stop_reason: 'pause_turn' } } })
  t.match(end({ reason: 'content-filter' }), { data: { delta: { stop_reason: 'refusal' } } })
})

const reasoning = (start: Partial<CanonicalEvent & { type: 'block-start' }>, ...mid: CanonicalEvent[]): CanonicalEvent[] => [
  TEXT[0]!,
  { type: 'block-start', index: 0, kind: 'reasoning', ...start },
  ...mid,
  { type: 'block-end', index: 0 },
  { type: 'message-end', finish: { reason: 'stop' } },
]

t.test('thinking with an Anthropic signature: ONE signature_delta with the raw value, just before the stop', async t => {
  const frames = parsed(encode(reasoning({},
    { type: 'reasoning-delta', index: 0, delta: 'Hmm' },
    { type: 'signature', index: 0, signature: { family: 'anthropic', value: 'EqQB+/=' } },
    { type: 'reasoning-delta', index: 0, delta: '.' },
  ))).slice(1, -2)
  t.strictSame(frames, [
    ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: '.' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'EqQB+/=' } }),
    ev('content_block_stop', { index: 0 }),
  ])
})

t.test('foreign reasoning gets a swy1 envelope with family, value and the full text', async t => {
  const frames = parsed(encode(reasoning({},
    { type: 'reasoning-delta', index: 0, delta: 'sum' },
    { type: 'reasoning-delta', index: 0, delta: 'mary' },
    { type: 'signature', index: 0, signature: { family: 'openai', value: 'gAAAA-enc' } },
  )))
  const sig = frames.find(f => (f.data as { delta?: { type?: string } }).delta?.type === 'signature_delta')
  const value = (sig?.data as { delta: { signature: string } }).delta.signature
  t.match(value, /^swy1\./)
  t.strictSame(openSignature(value, 'anthropic'), { envelope: true, signature: { family: 'openai', value: 'gAAAA-enc' }, text: 'summary' })
})

t.test('redacted reasoning: content_block_start held until the signature, as redacted_thinking{data}; no deltas', async t => {
  const frames = parsed(encode([
    ...reasoning({ redacted: true }, { type: 'ping' }, { type: 'signature', index: 0, signature: { family: 'anthropic', value: 'EmwKAhgB' } }).slice(0, -1),
    { type: 'block-start', index: 1, kind: 'text' },
    { type: 'text-delta', index: 1, delta: 'ok' },
    { type: 'block-end', index: 1 },
    { type: 'message-end', finish: { reason: 'stop' } },
  ])).slice(1, -2)
  t.strictSame(frames, [
    { event: 'ping', data: { type: 'ping' } },
    ev('content_block_start', { index: 0, content_block: { type: 'redacted_thinking', data: 'EmwKAhgB' } }),
    ev('content_block_stop', { index: 0 }),
    ev('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
    textDelta(1, 'ok'),
    ev('content_block_stop', { index: 1 }),
  ])
  const unsigned = parsed(encode(reasoning({ redacted: true }))).slice(1, -2)
  t.match(unsigned, [{ data: { type: 'content_block_start', content_block: { type: 'redacted_thinking' } } }, { data: { type: 'content_block_stop' } }])
  const data = (unsigned[0]?.data as { content_block: { data: string } }).content_block.data
  t.strictSame(openSignature(data, 'anthropic'), { envelope: true, redacted: true }, 'no signature: an envelope that says redacted')
})

t.test('refusal blocks are text blocks and the stop reason is refusal', async t => {
  const frames = parsed(encode([
    TEXT[0]!,
    { type: 'block-start', index: 0, kind: 'refusal' },
    { type: 'text-delta', index: 0, delta: "I can't help with that." },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'stop' } },
  ]))
  t.strictSame(frames.slice(1, 4), [
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    textDelta(0, "I can't help with that."),
    ev('content_block_stop', { index: 0 }),
  ])
  t.match(frames[4], { event: 'message_delta', data: { delta: { stop_reason: 'refusal' } } })
})

t.test('ping → event: ping, exactly as Anthropic sends it', async t => {
  const frames = encode([TEXT[0]!, { type: 'ping' }])
  t.strictSame(frames[1], { event: 'ping', data: '{"type":"ping"}' })
})

t.test('a tool call signature (Gemini) has no Anthropic slot and is not written', async t => {
  const frames = parsed(encode([
    TEXT[0]!,
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'c', toolName: 'f' },
    { type: 'tool-input-delta', index: 0, delta: '{}' },
    { type: 'signature', index: 0, signature: { family: 'gemini', value: 'g' } },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'stop' } },
  ]))
  t.notOk(JSON.stringify(frames).includes('signature'))
})
