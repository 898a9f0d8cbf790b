// CanonicalResponse → Anthropic message (PROTOCOLS.md §3.2, §6.7, §6.8).
import t from 'tap'
import { encodeResponse } from '../../../../src/dialects/anthropic/encode-response.js'
import { REQUEST, TEXT_RESPONSE, TOOL_RESPONSE } from '../scenarios.js'

t.test('text', async t => {
  t.strictSame(encodeResponse(TEXT_RESPONSE, REQUEST), {
    id: 'msg_mock-abc',
    type: 'message',
    role: 'assistant',
    model: 'm1',
    content: [{ type: 'text', text: 'Hello' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 10,
      output_tokens: 2,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      service_tier: 'standard',
    },
  })
})

t.test('thinking, text, tool_use; tool reason wins; cached tokens leave input_tokens', async t => {
  const msg = encodeResponse(TOOL_RESPONSE, REQUEST)
  t.strictSame(msg.content, [
    { type: 'thinking', thinking: 'Think', signature: 'sig' },
    { type: 'text', text: 'Checking.' },
    { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
  ])
  t.equal(msg.stop_reason, 'tool_use')
  t.match(msg.usage, { input_tokens: 6, cache_read_input_tokens: 4, output_tokens: 7 })
})

t.test('a stop sequence is reported; unparsable tool arguments are an upstream protocol error', async t => {
  t.match(encodeResponse({ ...TEXT_RESPONSE, finish: { reason: 'stop', stopSequence: '###' } }, REQUEST), { stop_reason: 'stop_sequence', stop_sequence: '###' })
  t.throws(() => encodeResponse({ ...TEXT_RESPONSE, content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{"a":' }] }, REQUEST),
    { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
  t.match(encodeResponse({ ...TEXT_RESPONSE, content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '' }] }, REQUEST).content, [{ input: {} }])
})

t.test('no usage → zeros (usage is mandatory on the wire)', async t => {
  const { usage: _u, ...noUsage } = TEXT_RESPONSE
  t.match(encodeResponse(noUsage, REQUEST).usage, { input_tokens: 0, output_tokens: 0 })
})

t.test('reasoning: foreign signatures become swy1 envelopes; redacted → redacted_thinking; refusal → text + refusal', async t => {
  const { openSignature } = await import('../../../../src/canonical/signature.js')
  const msg = encodeResponse({
    ...TEXT_RESPONSE,
    content: [
      { type: 'reasoning', text: 'summary', signature: { family: 'openai', value: 'enc' } },
      { type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: 'EmwK' } },
      { type: 'reasoning', text: 'bare' },
      { type: 'refusal', text: 'No.' },
    ],
  }, REQUEST)
  const [a, b, c, d] = msg.content
  t.match(a, { type: 'thinking', thinking: 'summary', signature: /^swy1\./ })
  t.strictSame(openSignature(a?.type === 'thinking' ? a.signature : '', 'anthropic'), { envelope: true, signature: { family: 'openai', value: 'enc' }, text: 'summary' })
  t.strictSame(b, { type: 'redacted_thinking', data: 'EmwK' })
  t.strictSame(openSignature(c?.type === 'thinking' ? c.signature : '', 'anthropic'), { envelope: true, text: 'bare' })
  t.strictSame(d, { type: 'text', text: 'No.' })
  t.equal(msg.stop_reason, 'refusal')
})
