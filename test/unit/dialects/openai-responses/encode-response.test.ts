// CanonicalResponse → Responses object (PROTOCOLS.md §2.2, §6.7, §6.8, §6.9): every item kind,
// and the same items the stream's terminal output carries for the same content.
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import type { CanonicalResponse } from '../../../../src/canonical/response.js'
import { openSignature } from '../../../../src/canonical/signature.js'
import { encodeResponse } from '../../../../src/dialects/openai-responses/encode-response.js'
import { ResponsesStreamEncoder } from '../../../../src/dialects/openai-responses/stream-encoder.js'
import { CREATED, encodeAll, REQUEST, TEXT, TEXT_RESPONSE, TOOL_RESPONSE } from '../scenarios.js'
import {
  ANTHROPIC_SIG, CUSTOM_RESPONSE, CUSTOM_TOOL, NAMESPACED, NAMESPACED_RESPONSE, OPENAI_SIG, PATCH, REDACTED, REDACTED_RESPONSE, REFUSAL,
  REFUSAL_RESPONSE, signedReasoning, signedReasoningResponse, TOOLS_REQUEST,
} from './fixtures.js'

const ENCRYPTED: CanonicalRequest = { ...REQUEST, encryptedReasoning: true }

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

t.test('reasoning, message, function_call items in order; no encrypted_content unless asked', async t => {
  t.strictSame(encodeResponse(TOOL_RESPONSE, REQUEST).output, [
    { type: 'reasoning', id: 'rs_mock-abc_0', summary: [{ type: 'summary_text', text: 'Think' }] },
    { type: 'message', id: 'msg_mock-abc_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
    { type: 'function_call', id: 'fc_mock-abc_2', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
  ])
})

t.test('refusal, custom and namespaced calls, argument-less call', async t => {
  t.strictSame(encodeResponse(REFUSAL_RESPONSE, REQUEST).output, [
    { type: 'message', id: 'msg_mock-abc_0', status: 'completed', role: 'assistant', content: [{ type: 'refusal', refusal: "I can't help." }] },
  ])
  t.strictSame(encodeResponse(CUSTOM_RESPONSE, REQUEST).output, [
    { type: 'custom_tool_call', id: 'ctc_mock-abc_0', call_id: 'call_p', name: 'apply_patch', input: PATCH, status: 'completed' },
  ])
  t.strictSame(encodeResponse(NAMESPACED_RESPONSE, TOOLS_REQUEST).output, [
    { type: 'function_call', id: 'fc_mock-abc_0', call_id: 'call_r', name: 'read', arguments: '{"path":"a"}', status: 'completed', namespace: 'fs' },
    { type: 'function_call', id: 'fc_mock-abc_1', call_id: 'call_s', name: 'shell', arguments: '{"path":"b"}', status: 'completed' },
  ])
  const noArgs = { ...TEXT_RESPONSE, content: [{ type: 'tool-call', id: '', name: 'get_time', arguments: '' }] } satisfies CanonicalResponse
  t.strictSame(encodeResponse(noArgs, REQUEST).output, [
    { type: 'function_call', id: 'fc_mock-abc_0', call_id: 'call_mock-abc_0', name: 'get_time', arguments: '{}', status: 'completed' },
  ], 'an empty call id gets a synthetic call_…')
})

t.test('encrypted_content: Anthropic proof sealed with its text, OpenAI verbatim, redacted without summary', async t => {
  const [sealed] = encodeResponse(signedReasoningResponse(ANTHROPIC_SIG), ENCRYPTED).output
  t.match(sealed, { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking' }], encrypted_content: /^swy1\./ })
  t.strictSame(openSignature((sealed as { encrypted_content: string }).encrypted_content, 'openai'), { envelope: true, signature: ANTHROPIC_SIG, text: 'Thinking' })
  t.match(encodeResponse(signedReasoningResponse(OPENAI_SIG), ENCRYPTED).output[0], { encrypted_content: OPENAI_SIG.value })
  const [redacted] = encodeResponse(REDACTED_RESPONSE, ENCRYPTED).output
  t.match(redacted, { type: 'reasoning', id: 'rs_mock-abc_0', summary: [] })
  t.strictSame(openSignature((redacted as { encrypted_content: string }).encrypted_content, 'openai'), {
    envelope: true, signature: { family: 'anthropic', value: 'redacted-data' }, redacted: true,
  })
  t.strictSame(encodeResponse(REDACTED_RESPONSE, REQUEST).output[0], { type: 'reasoning', id: 'rs_mock-abc_0', summary: [] })
})

t.test('the whole reply holds the same items as the stream\'s terminal output', async t => {
  const cases: Array<[string, readonly CanonicalEvent[], CanonicalResponse, CanonicalRequest]> = [
    ['text', TEXT, TEXT_RESPONSE, REQUEST],
    ['refusal', REFUSAL, REFUSAL_RESPONSE, REQUEST],
    ['custom', CUSTOM_TOOL, CUSTOM_RESPONSE, REQUEST],
    ['namespaced', NAMESPACED, NAMESPACED_RESPONSE, TOOLS_REQUEST],
    ['anthropic reasoning', signedReasoning(ANTHROPIC_SIG), signedReasoningResponse(ANTHROPIC_SIG), ENCRYPTED],
    ['openai reasoning', signedReasoning(OPENAI_SIG), signedReasoningResponse(OPENAI_SIG), ENCRYPTED],
    ['redacted', REDACTED, REDACTED_RESPONSE, ENCRYPTED],
  ]
  for (const [name, events, res, req] of cases) {
    const frames = encodeAll(new ResponsesStreamEncoder(req), events)
    const final = JSON.parse(frames.at(-1)?.data ?? '{}') as { response: { output: unknown } }
    t.strictSame(encodeResponse(res, req).output, final.response.output, name)
  }
})

t.test('request fields echo as in the stream', async t => {
  const req: CanonicalRequest = { ...TOOLS_REQUEST, toolChoice: { type: 'required' }, parallelToolCalls: false, user: 'u-1', verbosity: 'high' }
  t.match(encodeResponse(TEXT_RESPONSE, req), {
    tool_choice: 'required', parallel_tool_calls: false, user: 'u-1', text: { format: { type: 'text' }, verbosity: 'high' },
    tools: [{ type: 'function', name: 'read' }, { type: 'function', name: 'write' }, { type: 'custom', name: 'apply_patch' }],
  })
  t.notOk('user' in encodeResponse(TEXT_RESPONSE, REQUEST), 'no user key when the request had none')
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

t.test('usage: input includes cached, output includes reasoning, total is their sum (§6.8)', async t => {
  t.strictSame(encodeResponse(TOOL_RESPONSE, REQUEST).usage, {
    input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 17,
  })
})
