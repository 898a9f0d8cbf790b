// Exact chunks for PROTOCOLS.md §1.4 (a) text, (b) tool call, (c) two calls, (d) reasoning, (e) error.
import t from 'tap'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { ChatStreamEncoder } from '../../../../src/dialects/openai-chat/stream-encoder.js'
import { CREATED, encodeAll, ERROR, parsed, REASONING, REQUEST, TEXT, TOOL, TRUNCATED, TWO_TOOLS } from '../scenarios.js'

const WITH_USAGE: CanonicalRequest = { ...REQUEST, includeUsage: true }
const encode = (events: Parameters<typeof encodeAll>[1], req = WITH_USAGE) => parsed(encodeAll(new ChatStreamEncoder(req), events))
const chunk = (delta: object, finish: string | null = null) => ({
  data: {
    id: 'chatcmpl-mock-abc', object: 'chat.completion.chunk', created: CREATED, model: 'm1',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  },
})
const usageChunk = (usage: object) => ({ data: { id: 'chatcmpl-mock-abc', object: 'chat.completion.chunk', created: CREATED, model: 'm1', choices: [], usage } })
const ROLE = chunk({ role: 'assistant', content: '', refusal: null })
const DONE = { data: '[DONE]' }
const usage = (prompt: number, completion: number, cached = 0, reasoning = 0) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
})

t.test('(a) text with include_usage', async t => {
  t.strictSame(encode(TEXT), [ROLE, chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk(usage(10, 2)), DONE])
})

t.test('(a) text without include_usage: no usage chunk, still [DONE]', async t => {
  t.strictSame(encode(TEXT, REQUEST), [ROLE, chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), DONE])
})

t.test('(b) text then one call: first delta carries index/id/type/name; finish is tool_calls', async t => {
  t.strictSame(encode(TOOL), [
    ROLE,
    chunk({ content: 'Checking.' }),
    chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
    chunk({}, 'tool_calls'),
    usageChunk(usage(10, 7, 4)),
    DONE,
  ])
})

t.test('(c) two calls: dense indexes 0 and 1, sequential', async t => {
  t.strictSame(encode(TWO_TOOLS, REQUEST), [
    ROLE,
    chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }),
    chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
    // No arguments streamed: "{}" at the block's end, so the accumulated text is JSON (§7.7).
    chunk({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
    chunk({}, 'tool_calls'),
    DONE,
  ])
})

t.test('(d) reasoning is dropped and counted in reasoning_tokens; length', async t => {
  t.strictSame(encode(REASONING), [ROLE, chunk({ content: 'Answer' }), chunk({}, 'length'), usageChunk(usage(10, 6, 0, 3)), DONE])
})

t.test('(e) error mid-stream: error object, no finish_reason, no [DONE]', async t => {
  t.strictSame(encode(ERROR), [
    ROLE,
    chunk({ content: 'Hel' }),
    { data: { error: { message: 'Overloaded', type: 'server_error', param: null, code: 'server_overloaded' } } },
  ])
})

t.test('a stream that breaks off ends with an error chunk', async t => {
  t.match(encode(TRUNCATED).at(-1), { data: { error: { type: 'server_error' } } })
  t.notOk(encode(TRUNCATED).some(f => f.data === '[DONE]'))
})

t.test('frames are data-only, one line each', async t => {
  for (const f of encodeAll(new ChatStreamEncoder(WITH_USAGE), TOOL)) {
    t.equal(f.event, undefined)
    t.notOk(f.data.includes('\n'))
  }
})

t.test('refusal block streams as delta.refusal; signature ignored; ping is a keepalive comment', async t => {
  const frames = encodeAll(new ChatStreamEncoder(REQUEST), [
    { type: 'ping' },
    { type: 'message-start', id: 'mock-abc', model: 'm1', created: CREATED },
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'hmm' },
    { type: 'signature', index: 0, signature: { family: 'anthropic', value: 'sig' } },
    { type: 'block-end', index: 0 },
    { type: 'ping' },
    { type: 'block-start', index: 1, kind: 'refusal' },
    { type: 'text-delta', index: 1, delta: 'I cannot' },
    { type: 'block-end', index: 1 },
    { type: 'block-start', index: 2, kind: 'text' },
    { type: 'text-delta', index: 2, delta: 'But here:' },
    { type: 'block-end', index: 2 },
    { type: 'message-end', finish: { reason: 'content-filter' } },
  ])
  t.strictSame(frames[0], { data: '', comment: 'keepalive' })
  t.strictSame(frames[2], { data: '', comment: 'keepalive' })
  t.strictSame(parsed(frames.filter(f => f.comment === undefined)), [
    ROLE, chunk({ refusal: 'I cannot' }), chunk({ content: 'But here:' }), chunk({}, 'content_filter'), DONE,
  ])
})

t.test('a refusal with a natural finish stays stop', async t => {
  t.strictSame(encode([
    { type: 'message-start', id: 'mock-abc', model: 'm1', created: CREATED },
    { type: 'block-start', index: 0, kind: 'refusal' },
    { type: 'text-delta', index: 0, delta: 'No.' },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'stop' } },
  ], REQUEST), [ROLE, chunk({ refusal: 'No.' }), chunk({}, 'stop'), DONE])
})
