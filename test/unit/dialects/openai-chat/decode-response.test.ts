// Upstream `chat.completion` → CanonicalResponse (PROTOCOLS.md §1.2, §6.7, §6.8).
import t from 'tap'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { decodeResponse } from '../../../../src/dialects/openai-chat/decode-response.js'
import { REQUEST } from '../scenarios.js'

const reply = (message: object, extra: object = {}) => ({
  id: 'chatcmpl-abc', object: 'chat.completion', created: 1700000000, model: 'gpt-up',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: 'stop' }],
  ...extra,
})

t.test('text with full usage', async t => {
  t.strictSame(decodeResponse(reply({ content: 'Hello', refusal: null }, {
    usage: {
      prompt_tokens: 1000, completion_tokens: 50, total_tokens: 1050,
      prompt_tokens_details: { cached_tokens: 800, audio_tokens: 0, cache_write_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 20, audio_tokens: 0 },
    },
  }), REQUEST), {
    id: 'chatcmpl-abc',
    model: 'gpt-up',
    created: 1700000000,
    content: [{ type: 'text', text: 'Hello' }],
    finish: { reason: 'stop', raw: 'stop' },
    usage: { input: 1000, output: 50, cacheRead: 800, cacheWrite: 100, reasoning: 20 },
  })
})

t.test('reasoning (either field) before text, then refusal, then tool calls with verbatim arguments', async t => {
  const res = decodeResponse(reply({
    content: 'Checking.',
    reasoning_content: 'Think',
    refusal: 'Partly refused.',
    tool_calls: [
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{ "city" : "Paris" }' } },
      { type: 'function', function: { name: 'now', arguments: '' } },
    ],
  }), REQUEST)
  t.strictSame(res.content, [
    { type: 'reasoning', text: 'Think' },
    { type: 'text', text: 'Checking.' },
    { type: 'refusal', text: 'Partly refused.' },
    { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{ "city" : "Paris" }' },
    { type: 'tool-call', id: 'call_abc_1', name: 'now', arguments: '' },
  ])
  t.strictSame(decodeResponse(reply({ content: 'A', reasoning: 'OpenRouter style' }), REQUEST).content,
    [{ type: 'reasoning', text: 'OpenRouter style' }, { type: 'text', text: 'A' }])
  t.notOk('usage' in res)
})

t.test('finish reasons', async t => {
  const finish = (finish_reason: unknown) => decodeResponse({ ...reply({ content: 'x' }), choices: [{ index: 0, message: { content: 'x' }, finish_reason }] }, REQUEST).finish
  t.strictSame(finish('stop'), { reason: 'stop', raw: 'stop' })
  t.strictSame(finish('length'), { reason: 'length', raw: 'length' })
  t.strictSame(finish('tool_calls'), { reason: 'tool-calls', raw: 'tool_calls' })
  t.strictSame(finish('function_call'), { reason: 'tool-calls', raw: 'function_call' })
  t.strictSame(finish('content_filter'), { reason: 'content-filter', raw: 'content_filter' })
  t.strictSame(finish('eos'), { reason: 'other', raw: 'eos' })
  t.strictSame(finish('constructor'), { reason: 'other', raw: 'constructor' })
  t.strictSame(finish(null), { reason: 'other' })
})

t.test('only tool calls: content null gives no text block; calls to custom tools are unwrapped', async t => {
  const req: CanonicalRequest = { ...REQUEST, tools: [{ kind: 'custom', name: 'apply_patch' }] }
  const res = decodeResponse(reply({
    content: null,
    tool_calls: [
      { id: 'c1', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' } },
      { id: 'c2', type: 'function', function: { name: 'apply_patch', arguments: 'not json' } },
      { id: 'c3', type: 'function', function: { name: 'f', arguments: { a: 1 } } },
    ],
  }), req)
  t.strictSame(res.content, [
    { type: 'tool-call', id: 'c1', name: 'apply_patch', arguments: '*** Begin Patch', toolKind: 'custom' },
    { type: 'tool-call', id: 'c2', name: 'apply_patch', arguments: 'not json', toolKind: 'custom' },
    { type: 'tool-call', id: 'c3', name: 'f', arguments: '{"a":1}' },
  ])
})

t.test('lenient on id/model/created, content as parts', async t => {
  const res = decodeResponse({ choices: [{ message: { content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, finish_reason: 'stop' }] }, REQUEST)
  t.match(res.id, /^chatcmpl-[0-9a-f-]{36}$/)
  t.equal(res.model, REQUEST.model)
  t.type(res.created, 'number')
  t.strictSame(res.content, [{ type: 'text', text: 'ab' }])
})

t.test('malformed replies are upstream protocol errors', async t => {
  const bad = (body: unknown, message: RegExp) =>
    t.throws(() => decodeResponse(body, REQUEST), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', statusCode: 502, message }, String(message))
  bad('nope', /not a JSON object/)
  bad({ id: 'x' }, /no choices array/)
  bad({ error: { message: 'boom' } }, /the reply is an error: boom/)
  bad({ choices: [] }, /no choices\[0\]\.message/)
  bad({ choices: [{ finish_reason: 'stop' }] }, /no choices\[0\]\.message/)
  bad(reply({ tool_calls: [{ id: 'c', function: { arguments: '{}' } }] }), /tool_calls\[0\]\.function\.name is missing/)
  bad(reply({ tool_calls: ['x'] }), /tool_calls\[0\] is not an object/)
})
