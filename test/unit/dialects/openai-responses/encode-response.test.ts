// CanonicalResponse → Responses object (PROTOCOLS.md §2.2, §6.7, §6.8).
import t from 'tap'
import { encodeResponse } from '../../../../src/dialects/openai-responses/encode-response.js'
import { CREATED, REQUEST, TEXT_RESPONSE, TOOL_RESPONSE } from '../scenarios.js'

t.test('text: every required field present, ids derived from res.id', async t => {
  t.strictSame(encodeResponse(TEXT_RESPONSE, REQUEST), {
    id: 'resp_mock-abc', object: 'response', created_at: CREATED, status: 'completed', background: false, error: null,
    incomplete_details: null, instructions: null, max_output_tokens: null, model: 'm1',
    output: [{ type: 'message', id: 'msg_mock-abc_0', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] }],
    parallel_tool_calls: true, previous_response_id: null, reasoning: { effort: null, summary: null }, store: false,
    temperature: null, text: { format: { type: 'text' } }, tool_choice: 'auto', tools: [], top_p: null, truncation: 'disabled',
    usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 12 },
    metadata: {},
  })
})

t.test('reasoning, message, function_call items in order', async t => {
  t.strictSame(encodeResponse(TOOL_RESPONSE, REQUEST).output, [
    { type: 'reasoning', id: 'rs_mock-abc_0', summary: [{ type: 'summary_text', text: 'Think' }] },
    { type: 'message', id: 'msg_mock-abc_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
    { type: 'function_call', id: 'fc_mock-abc_2', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
  ])
})

t.test('status per finish; no usage → null; ids keep a resp_/msg_ id body', async t => {
  t.match(encodeResponse({ ...TEXT_RESPONSE, finish: { reason: 'length' } }, REQUEST), { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } })
  t.match(encodeResponse({ ...TEXT_RESPONSE, finish: { reason: 'content-filter' } }, REQUEST), { status: 'incomplete', incomplete_details: { reason: 'content_filter' } })
  t.match(encodeResponse({ ...TEXT_RESPONSE, finish: { reason: 'error' } }, REQUEST), { status: 'failed', error: { code: 'server_error' } })
  const { usage: _u, ...noUsage } = TEXT_RESPONSE
  t.equal(encodeResponse(noUsage, REQUEST).usage, null)
  t.equal(encodeResponse({ ...TEXT_RESPONSE, id: 'msg_01XYZ' }, REQUEST).id, 'resp_01XYZ')
  t.equal(encodeResponse({ ...TEXT_RESPONSE, id: 'chatcmpl-9' }, REQUEST).id, 'resp_9')
})
