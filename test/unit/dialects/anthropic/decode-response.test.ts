// Anthropic `message` reply → CanonicalResponse (PROTOCOLS.md §3.2, §6.7, §6.8, §6.9).
import t from 'tap'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { decodeResponse } from '../../../../src/dialects/anthropic/decode-response.js'
import { REQUEST } from '../scenarios.js'

const message = (extra: Record<string, unknown> = {}) => ({
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  content: [{ type: 'text', text: 'Hello' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 20, output_tokens: 5, cache_creation_input_tokens: 30, cache_read_input_tokens: 50, service_tier: 'standard' },
  ...extra,
})

t.test('text reply: id, model, finish, usage with cache tokens added back to input', async t => {
  const res = decodeResponse(message(), REQUEST)
  const { created, ...rest } = res
  t.ok(Number.isInteger(created) && created > 1_700_000_000)
  t.strictSame(rest, {
    id: 'msg_01',
    model: 'claude-x',
    content: [{ type: 'text', text: 'Hello' }],
    finish: { reason: 'stop', raw: 'end_turn' },
    usage: { input: 100, output: 5, cacheRead: 50, cacheWrite: 30 },
  })
})

t.test('thinking, redacted thinking, tool calls; thinking tokens as reasoning', async t => {
  const res = decodeResponse(message({
    content: [
      { type: 'thinking', thinking: 'Let me see.', signature: 'EqQB+/=' },
      { type: 'redacted_thinking', data: 'EmwK' },
      { type: 'text', text: 'Checking.', citations: null },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} },
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
    ],
    stop_reason: 'tool_use',
    usage: { input_tokens: 10, output_tokens: 40, output_tokens_details: { thinking_tokens: 25 } },
  }), REQUEST)
  t.strictSame(res.content, [
    { type: 'reasoning', text: 'Let me see.', signature: { family: 'anthropic', value: 'EqQB+/=' } },
    { type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: 'EmwK' } },
    { type: 'text', text: 'Checking.' },
    { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { type: 'tool-call', id: 'toolu_2', name: 'now', arguments: '{}' },
  ])
  t.strictSame(res.finish, { reason: 'tool-calls', raw: 'tool_use' })
  t.strictSame(res.usage, { input: 10, output: 40, reasoning: 25 })
})

t.test('custom tool calls come back as raw text', async t => {
  const request: CanonicalRequest = { ...REQUEST, tools: [{ kind: 'custom', name: 'apply_patch' }] }
  const res = decodeResponse(message({ content: [{ type: 'tool_use', id: 'toolu_p', name: 'apply_patch', input: { input: '*** Begin Patch\n' } }] }), request)
  t.strictSame(res.content, [{ type: 'tool-call', id: 'toolu_p', name: 'apply_patch', arguments: '*** Begin Patch\n', toolKind: 'custom' }])
})

t.test('stop reasons (§6.7)', async t => {
  const finish = (stop_reason: unknown, stop_sequence: unknown = null) => decodeResponse(message({ stop_reason, stop_sequence }), REQUEST).finish
  t.strictSame(finish('max_tokens'), { reason: 'length', raw: 'max_tokens' })
  t.strictSame(finish('stop_sequence', 'END'), { reason: 'stop', raw: 'stop_sequence', stopSequence: 'END' })
  t.strictSame(finish('refusal'), { reason: 'content-filter', raw: 'refusal' })
  t.strictSame(finish('pause_turn'), { reason: 'other', raw: 'pause_turn' })
  t.strictSame(finish('model_context_window_exceeded'), { reason: 'length', raw: 'model_context_window_exceeded' })
  t.strictSame(finish('brand_new'), { reason: 'other', raw: 'brand_new' })
  t.strictSame(finish(null), { reason: 'other' })
})

t.test('malformed replies are upstream protocol errors', async t => {
  const code = { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' }
  t.throws(() => decodeResponse(null, REQUEST), code)
  t.throws(() => decodeResponse({ type: 'error', error: {} }, REQUEST), code)
  t.throws(() => decodeResponse(message({ content: 'Hello' }), REQUEST), code)
  t.throws(() => decodeResponse(message({ content: [{ type: 'text' }] }), REQUEST), code)
  t.throws(() => decodeResponse(message({ content: [{ type: 'tool_use', id: 't', name: 'f', input: '{}' }] }), REQUEST), code)
  t.throws(() => decodeResponse(message({ content: [{ type: 'thinking', thinking: 'x' }] }), REQUEST), code)
  t.throws(() => decodeResponse(message({ content: ['x'] }), REQUEST), code)
})

t.test('no usage → no usage', async t => {
  t.notOk('usage' in decodeResponse(message({ usage: undefined }), REQUEST))
})
