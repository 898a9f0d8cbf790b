// Responses request → canonical (PROTOCOLS.md §2.1, §6.1) and the field-path errors.
import t, { type Test } from 'tap'
import { decodeRequest, IGNORED_FIELDS } from '../../../../src/dialects/openai-responses/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'openai-responses', operation: 'responses' }
const base = { model: 'gpt', input: 'hi' }
const fails = (t: Test, body: unknown, message: string, code = 'SWY_ERR_CONVERT_INVALID', op = OP) =>
  t.throws(() => decodeRequest(body, op), { message, code, statusCode: 400 }, message)

t.test('string input, instructions, limits and sampling', async t => {
  t.strictSame(decodeRequest({ ...base, instructions: 'Be brief.', stream: true, max_output_tokens: 20, temperature: 0.3, top_p: 1, store: true, user: 'u' }, OP), {
    model: 'gpt', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
    stream: true, maxTokens: 20, temperature: 0.3, topP: 1,
  })
})

t.test('message items: instructions then system/developer items; replayed assistant output; images', async t => {
  const req = decodeRequest({
    model: 'gpt',
    instructions: 'A',
    input: [
      { role: 'developer', content: 'B' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'https://x/i.png', detail: 'auto' }] },
      { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'seen', annotations: [] }] },
      { role: 'system', content: [{ type: 'input_text', text: 'C' }] },
    ],
  }, OP)
  t.strictSame(req.system, [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }, { type: 'text', text: 'C' }])
  t.strictSame(req.messages, [
    { role: 'user', parts: [{ type: 'text', text: 'look' }, { type: 'image', url: 'https://x/i.png', detail: 'auto' }] },
    { role: 'assistant', parts: [{ type: 'text', text: 'seen' }] },
  ])
})

t.test('bad input names the JSON path', async t => {
  fails(t, { input: 'x' }, 'model: required')
  fails(t, { model: 'gpt' }, 'input: required')
  fails(t, { model: 'gpt', input: 3 }, 'input: must be an array')
  fails(t, { model: 'gpt', input: [{ role: 'tool', content: 'x' }] }, 'input[0].role: must be one of user, assistant, system, developer')
  fails(t, { model: 'gpt', input: [{ role: 'user', content: [{ type: 'input_text' }] }] }, 'input[0].content[0].text: required')
  fails(t, { ...base, max_output_tokens: -1 }, 'max_output_tokens: must be a positive integer')
  fails(t, { ...base, instructions: ['x'] }, 'instructions: must be a string')
})

t.test('what is not mapped yet is rejected, by path, as unsupported', async t => {
  const unsupported = (body: unknown, message: string) => fails(t, body, message, 'SWY_ERR_CONVERT_UNSUPPORTED')
  unsupported({ ...base, tools: [{ type: 'function', name: 'f' }] }, 'tools: not supported yet')
  unsupported({ ...base, reasoning: { effort: 'low' } }, 'reasoning: not supported yet')
  unsupported({ ...base, previous_response_id: 'resp_1' }, 'previous_response_id: not supported yet')
  unsupported({ ...base, include: ['reasoning.encrypted_content'] }, 'include: not supported yet')
  unsupported({ ...base, text: { format: { type: 'json_object' } } }, 'text: not supported yet')
  unsupported({ ...base, input: [{ type: 'function_call_output', call_id: 'c', output: 'x' }] }, "input[0].type: 'function_call_output' is not supported yet")
  unsupported({ ...base, input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, "input[0].content[0].type: 'input_file' is not supported yet")
  unsupported({ ...base, input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] }, 'input[0].content[0].file_id: not supported yet')
  unsupported({ ...base, input: [{ role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] }] }, "input[0].content[0].type: 'refusal' is not supported yet")
  unsupported({ ...base, stream_options: { other: 1 } }, 'stream_options.other: not supported yet')
})

t.test('IGNORED_FIELDS each have a reason; get/delete have no canonical form', async t => {
  t.equal(decodeRequest({ ...base, stream_options: { include_obfuscation: false }, client_metadata: { a: 1 }, prompt_cache_key: 'k' }, OP).model, 'gpt')
  for (const [field, reason] of Object.entries(IGNORED_FIELDS)) t.ok(reason.length > 10, field)
  fails(t, undefined, 'operation: responses-get has no canonical form', 'SWY_ERR_CONVERT_UNSUPPORTED', { dialect: 'openai-responses', operation: 'responses-get' })
})
