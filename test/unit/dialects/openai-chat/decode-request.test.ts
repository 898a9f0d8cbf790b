// Chat Completions request → canonical (PROTOCOLS.md §1.1, §6.1) and the field-path errors.
import t, { type Test } from 'tap'
import { decodeRequest, IGNORED_FIELDS } from '../../../../src/dialects/openai-chat/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'openai-chat', operation: 'chat' }
const base = { model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }
const fails = (t: Test, body: unknown, message: string, code = 'SWY_ERR_CONVERT_INVALID') =>
  t.throws(() => decodeRequest(body, OP), { message, code, statusCode: 400 }, message)

t.test('system/developer hoisted in order; text, image parts; sampling; stop; include_usage', async t => {
  const req = decodeRequest({
    model: 'gpt',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA', detail: 'low' } }] },
      { role: 'assistant', content: 'ok', refusal: null },
      { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
      { role: 'user', content: '', name: 'bob' },
    ],
    stream: true,
    stream_options: { include_usage: true, include_obfuscation: false },
    max_completion_tokens: 50,
    max_tokens: 99,
    temperature: 1.2,
    top_p: 0.5,
    stop: 'END',
    n: 1,
    user: 'u1',
    store: false,
  }, OP)
  t.strictSame(req, {
    model: 'gpt',
    system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use French.' }],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'look' }, { type: 'image', url: 'data:image/png;base64,AA', detail: 'low' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'ok' }] },
      { role: 'user', parts: [] },
    ],
    stream: true,
    maxTokens: 50,
    temperature: 1.2,
    topP: 0.5,
    stop: ['END'],
    includeUsage: true,
  })
})

t.test('legacy max_tokens, stop list, nulls mean absent', async t => {
  const req = decodeRequest({ ...base, max_tokens: 10, stop: ['a', 'b'], temperature: null, tools: null, stream: null }, OP)
  t.strictSame(req, { model: 'gpt', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false, maxTokens: 10, stop: ['a', 'b'] })
})

t.test('bad input names the JSON path', async t => {
  fails(t, [], 'body: must be an object')
  fails(t, { messages: [] }, 'model: required')
  fails(t, { model: 'gpt', messages: 'hi' }, 'messages: must be an array')
  fails(t, { model: 'gpt', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'robot', content: 'c' }] },
    'messages[2].role: must be one of system, developer, user, assistant')
  fails(t, { model: 'gpt', messages: [{ content: 'x' }] }, 'messages[0].role: required')
  fails(t, { model: 'gpt', messages: [{ role: 'assistant', content: null }] }, 'messages[0].content: required')
  fails(t, { ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }] },
    'messages[0].content[0].image_url.url: must be an https or data: URL')
  fails(t, { ...base, stop: [1] }, 'stop[0]: must be a string')
  fails(t, { ...base, max_completion_tokens: 1.5 }, 'max_completion_tokens: must be a positive integer')
  fails(t, { ...base, stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage: must be a boolean')
})

t.test('what is not mapped yet is rejected, by path, as unsupported', async t => {
  const unsupported = (body: unknown, message: string) => fails(t, body, message, 'SWY_ERR_CONVERT_UNSUPPORTED')
  unsupported({ ...base, tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools: not supported yet')
  unsupported({ ...base, response_format: { type: 'json_object' } }, 'response_format: not supported yet')
  unsupported({ ...base, reasoning_effort: 'low' }, 'reasoning_effort: not supported yet')
  unsupported({ ...base, n: 2 }, 'n: values other than 1 are not supported yet')
  unsupported({ ...base, messages: [{ role: 'tool', tool_call_id: 'c', content: 'x' }] }, "messages[0].role: 'tool' is not supported yet")
  unsupported({ ...base, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c' }] }] }, 'messages[0].tool_calls: not supported yet')
  unsupported({ ...base, messages: [{ role: 'assistant', content: 'x', refusal: 'no' }] }, 'messages[0].refusal: not supported yet')
  unsupported({ ...base, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
    "messages[0].content[0].type: 'input_audio' is not supported yet")
  unsupported({ ...base, messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] },
    "messages[0].content[0].type: 'image_url' is not supported yet")
  unsupported({ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: {} }] }] },
    'messages[0].content[0].cache_control: not supported yet')
  unsupported({ ...base, stream_options: { something: true } }, 'stream_options.something: not supported yet')
})

t.test('IGNORED_FIELDS each have a reason; models has no canonical form', async t => {
  for (const [field, reason] of Object.entries(IGNORED_FIELDS)) t.ok(reason.length > 10, field)
  t.throws(() => decodeRequest({}, { dialect: 'openai-chat', operation: 'models' }), { code: 'SWY_ERR_CONVERT_UNSUPPORTED' })
})
