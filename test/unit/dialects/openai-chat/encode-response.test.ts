// CanonicalResponse → chat.completion (PROTOCOLS.md §1.2).
import t from 'tap'
import { encodeResponse } from '../../../../src/dialects/openai-chat/encode-response.js'
import { CREATED, REQUEST, TEXT_RESPONSE, TOOL_RESPONSE } from '../scenarios.js'

t.test('text', async t => {
  t.strictSame(encodeResponse(TEXT_RESPONSE, REQUEST), {
    id: 'chatcmpl-mock-abc',
    object: 'chat.completion',
    created: CREATED,
    model: 'm1',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 10, completion_tokens: 2, total_tokens: 12,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
  })
})

t.test('reasoning dropped, tool calls listed, finish tool_calls, cached and reasoning counted', async t => {
  const c = encodeResponse(TOOL_RESPONSE, REQUEST)
  t.strictSame(c.choices[0]?.message, {
    role: 'assistant',
    content: 'Checking.',
    refusal: null,
    tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    annotations: [],
  })
  t.equal(c.choices[0]?.finish_reason, 'tool_calls')
  t.match(c.usage, { prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } })
})

t.test('only tool calls → content null; finish reasons; no usage → no usage field', async t => {
  const onlyCall = encodeResponse({ ...TOOL_RESPONSE, content: TOOL_RESPONSE.content.slice(2) }, REQUEST)
  t.equal(onlyCall.choices[0]?.message.content, null)
  t.equal(encodeResponse({ ...TEXT_RESPONSE, finish: { reason: 'length' } }, REQUEST).choices[0]?.finish_reason, 'length')
  t.equal(encodeResponse({ ...TEXT_RESPONSE, finish: { reason: 'content-filter' } }, REQUEST).choices[0]?.finish_reason, 'content_filter')
  const { usage: _u, ...noUsage } = TEXT_RESPONSE
  t.notOk('usage' in encodeResponse(noUsage, REQUEST))
  t.equal(encodeResponse({ ...TEXT_RESPONSE, content: [] }, REQUEST).choices[0]?.message.content, '')
})

t.test('refusal block → message.refusal; finish stays what the canonical finish says', async t => {
  const refused = encodeResponse({ ...TEXT_RESPONSE, content: [{ type: 'refusal', text: 'I cannot ' }, { type: 'refusal', text: 'help.' }] }, REQUEST)
  t.strictSame(refused.choices[0]?.message, { role: 'assistant', content: null, refusal: 'I cannot help.', annotations: [] })
  t.equal(refused.choices[0]?.finish_reason, 'stop')
  const filtered = encodeResponse({ ...TEXT_RESPONSE, content: [{ type: 'text', text: 'Hi' }, { type: 'refusal', text: 'No.' }], finish: { reason: 'content-filter' } }, REQUEST)
  t.strictSame(filtered.choices[0]?.message, { role: 'assistant', content: 'Hi', refusal: 'No.', annotations: [] })
  t.equal(filtered.choices[0]?.finish_reason, 'content_filter')
})

t.test('tool call ids are the canonical ones; custom calls use the custom shape', async t => {
  const c = encodeResponse({
    ...TEXT_RESPONSE,
    content: [
      { type: 'tool-call', id: 'toolu_01ABC', name: 'f', arguments: '{}' },
      { type: 'tool-call', id: 'call_p', name: 'apply_patch', arguments: '*** Begin Patch', toolKind: 'custom' },
    ],
  }, REQUEST)
  t.strictSame(c.choices[0]?.message.tool_calls, [
    { id: 'toolu_01ABC', type: 'function', function: { name: 'f', arguments: '{}' } },
    { id: 'call_p', type: 'custom', custom: { name: 'apply_patch', input: '*** Begin Patch' } },
  ])
  t.equal(c.choices[0]?.message.content, null)
  t.equal(c.choices[0]?.finish_reason, 'tool_calls')
})
