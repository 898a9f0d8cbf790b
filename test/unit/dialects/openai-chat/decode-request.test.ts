// Chat Completions request → canonical (PROTOCOLS.md §1.1, §6.1–6.4, §6.9, §6.10) and the
// field-path errors: everything is mapped, ignored with a reason, or rejected naming its path.
import t, { type Test } from 'tap'
import { decodeRequest, IGNORED_FIELDS } from '../../../../src/dialects/openai-chat/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'openai-chat', operation: 'chat' }
const base = { model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }
const HI = { role: 'user', parts: [{ type: 'text', text: 'hi' }] }
const fails = (t: Test, body: unknown, message: string, code = 'SWY_ERR_CONVERT_INVALID') =>
  t.throws(() => decodeRequest(body, OP), { message, code, statusCode: 400 }, message)
const unsupported = (t: Test, body: unknown, message: string) => fails(t, body, message, 'SWY_ERR_CONVERT_UNSUPPORTED')

t.test('system/developer hoisted in order; text, image parts; sampling; stop; include_usage; user', async t => {
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
    user: 'u1',
    includeUsage: true,
  })
})

t.test('legacy max_tokens, stop list, nulls mean absent', async t => {
  const req = decodeRequest({ ...base, max_tokens: 10, stop: ['a', 'b'], temperature: null, tools: null, stream: null, reasoning_effort: null }, OP)
  t.strictSame(req, { model: 'gpt', system: [], messages: [HI], stream: false, maxTokens: 10, stop: ['a', 'b'] })
})

t.test('seed, penalties, safety_identifier wins over user, parallel_tool_calls', async t => {
  const req = decodeRequest({ ...base, seed: 7, presence_penalty: 0.5, frequency_penalty: -1, user: 'old', safety_identifier: 'new', parallel_tool_calls: false }, OP)
  t.strictSame(req, {
    model: 'gpt', system: [], messages: [HI], stream: false,
    seed: 7, presencePenalty: 0.5, frequencyPenalty: -1, user: 'new', parallelToolCalls: false,
  })
})

t.test('function and custom tools; every tool_choice form', async t => {
  const tools = [
    { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, strict: true } },
    { type: 'function', function: { name: 'now' } },
    { type: 'custom', custom: { name: 'apply_patch', description: 'Patch', format: { type: 'grammar', grammar: { syntax: 'lark', definition: 'x' } } } },
  ]
  const req = decodeRequest({ ...base, tools, tool_choice: 'required' }, OP)
  t.strictSame(req.tools, [
    { kind: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, strict: true },
    { kind: 'function', name: 'now' },
    { kind: 'custom', name: 'apply_patch', description: 'Patch', format: { type: 'grammar', grammar: { syntax: 'lark', definition: 'x' } } },
  ])
  t.strictSame(req.toolChoice, { type: 'required' })
  t.strictSame(decodeRequest({ ...base, tool_choice: 'none' }, OP).toolChoice, { type: 'none' })
  t.strictSame(decodeRequest({ ...base, tool_choice: 'auto' }, OP).toolChoice, { type: 'auto' })
  t.strictSame(decodeRequest({ ...base, tool_choice: { type: 'function', function: { name: 'now' } } }, OP).toolChoice, { type: 'tool', name: 'now' })
  t.strictSame(decodeRequest({ ...base, tool_choice: { type: 'custom', custom: { name: 'apply_patch' } } }, OP).toolChoice, { type: 'tool', name: 'apply_patch' })
})

t.test('tool messages: consecutive ones share ONE user message; text parts; no name', async t => {
  const req = decodeRequest({
    model: 'gpt',
    messages: [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'custom', custom: { name: 'apply_patch', input: '*** Begin Patch' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: 'done' }, { type: 'text', text: '' }] },
      { role: 'user', content: 'thanks' },
      { role: 'tool', tool_call_id: 'call_c', content: '' },
    ],
  }, OP)
  t.strictSame(req.messages, [
    { role: 'user', parts: [{ type: 'text', text: 'weather?' }] },
    {
      role: 'assistant',
      parts: [
        { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'call_b', name: 'apply_patch', arguments: '*** Begin Patch', toolKind: 'custom' },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool-result', toolCallId: 'call_a', content: [{ type: 'text', text: 'sunny' }] },
        { type: 'tool-result', toolCallId: 'call_b', content: [{ type: 'text', text: 'done' }] },
      ],
    },
    { role: 'user', parts: [{ type: 'text', text: 'thanks' }] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'call_c', content: [] }] },
  ])
})

t.test('assistant refusal (field and part) and text come before tool calls; content null allowed then', async t => {
  const req = decodeRequest({
    ...base,
    messages: [
      { role: 'assistant', content: [{ type: 'text', text: 'Sorry.' }, { type: 'refusal', refusal: 'I cannot.' }] },
      { role: 'assistant', content: null, refusal: 'No.' },
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }] },
    ],
  }, OP)
  t.strictSame(req.messages, [
    { role: 'assistant', parts: [{ type: 'text', text: 'Sorry.' }, { type: 'refusal', text: 'I cannot.' }] },
    { role: 'assistant', parts: [{ type: 'refusal', text: 'No.' }] },
    { role: 'assistant', parts: [{ type: 'text', text: 'Let me check.' }, { type: 'tool-call', id: 'c1', name: 'f', arguments: '' }] },
  ])
})

t.test('reasoning_effort: none turns reasoning off, other words are efforts', async t => {
  t.strictSame(decodeRequest({ ...base, reasoning_effort: 'none' }, OP).reasoning, { mode: 'off' })
  t.strictSame(decodeRequest({ ...base, reasoning_effort: 'high' }, OP).reasoning, { mode: 'on', effort: 'high' })
  t.strictSame(decodeRequest({ ...base, reasoning_effort: 'minimal' }, OP).reasoning, { mode: 'on', effort: 'minimal' })
  fails(t, { ...base, reasoning_effort: 'huge' }, 'reasoning_effort: must be one of none, minimal, low, medium, high, xhigh, max')
})

t.test('response_format: text, json_object, json_schema', async t => {
  t.strictSame(decodeRequest({ ...base, response_format: { type: 'text' } }, OP).responseFormat, { type: 'text' })
  t.strictSame(decodeRequest({ ...base, response_format: { type: 'json_object' } }, OP).responseFormat, { type: 'json_object' })
  const schema = { type: 'object', properties: { a: { type: 'string' } } }
  t.strictSame(
    decodeRequest({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'out', schema, strict: true, description: 'd' } } }, OP).responseFormat,
    { type: 'json_schema', name: 'out', schema, strict: true, description: 'd' },
  )
  fails(t, { ...base, response_format: { type: 'json_schema', json_schema: { name: 'out' } } }, 'response_format.json_schema.schema: required')
  fails(t, { ...base, response_format: { type: 'yaml' } }, 'response_format.type: must be one of text, json_object, json_schema')
})

t.test('user file parts become documents; file_id and input_audio are rejected by path', async t => {
  const req = decodeRequest({
    ...base,
    messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } }, { type: 'file', file: { file_data: 'data:text/plain;base64,aGk=' } }] }],
  }, OP)
  t.strictSame(req.messages, [{
    role: 'user',
    parts: [{ type: 'document', url: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' }, { type: 'document', url: 'data:text/plain;base64,aGk=' }],
  }])
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] },
    'messages[0].content[0].file.file_id: uploaded files are not supported; send file_data')
  fails(t, { ...base, messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'JVBER' } }] }] },
    'messages[0].content[0].file.file_data: must be a data: URL')
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
    "messages[0].content[0].type: 'input_audio' is not supported yet")
})

t.test('bad input names the JSON path', async t => {
  fails(t, [], 'body: must be an object')
  fails(t, { messages: [] }, 'model: required')
  fails(t, { model: 'gpt', messages: 'hi' }, 'messages: must be an array')
  fails(t, { model: 'gpt', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'robot', content: 'c' }] },
    'messages[2].role: must be one of system, developer, user, assistant, tool')
  fails(t, { model: 'gpt', messages: [{ content: 'x' }] }, 'messages[0].role: required')
  fails(t, { model: 'gpt', messages: [{ role: 'assistant', content: null }] }, 'messages[0].content: required')
  fails(t, { ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }] },
    'messages[0].content[0].image_url.url: must be an https or data: URL')
  fails(t, { ...base, stop: [1] }, 'stop[0]: must be a string')
  fails(t, { ...base, max_completion_tokens: 1.5 }, 'max_completion_tokens: must be a positive integer')
  fails(t, { ...base, stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage: must be a boolean')
  fails(t, { ...base, seed: 1.5 }, 'seed: must be an integer')
  fails(t, { ...base, presence_penalty: 'x' }, 'presence_penalty: must be a number')
  fails(t, { ...base, parallel_tool_calls: 1 }, 'parallel_tool_calls: must be a boolean')
  fails(t, { ...base, tools: {} }, 'tools: must be an array')
  fails(t, { ...base, tools: [{ type: 'function', function: {} }] }, 'tools[0].function.name: required')
  fails(t, { ...base, tools: [{ type: 'web_search' }] }, 'tools[0].type: must be one of function, custom')
  fails(t, { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] }, 'tools[0].function.parameters: must be an object')
  fails(t, { ...base, tool_choice: 'any' }, 'tool_choice: must be one of none, auto, required')
  fails(t, { ...base, tool_choice: { type: 'function', function: {} } }, 'tool_choice.function.name: required')
  fails(t, { ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id: required')
  fails(t, { ...base, messages: [{ role: 'tool', tool_call_id: 'c', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] },
    "messages[0].content[0].type: 'image_url' is not supported yet", 'SWY_ERR_CONVERT_UNSUPPORTED')
  fails(t, { ...base, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f' } }] }] },
    'messages[0].tool_calls[0].function.arguments: required')
  fails(t, { ...base, messages: [{ role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'f', arguments: '' } }] }] },
    'messages[0].tool_calls[0].id: required')
  fails(t, { ...base, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c' }] }] }, 'messages[0].tool_calls[0].type: required')
  fails(t, { ...base, messages: [{ role: 'assistant', content: 'x', refusal: 1 }] }, 'messages[0].refusal: must be a string')
})

t.test('what has no canonical form is rejected, by path, as unsupported', async t => {
  unsupported(t, { ...base, tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } }, "tool_choice.type: 'allowed_tools' is not supported yet")
  unsupported(t, { ...base, n: 2 }, 'n: values other than 1 are not supported yet')
  unsupported(t, { ...base, functions: [{ name: 'f' }] }, 'functions: not supported yet')
  unsupported(t, { ...base, logit_bias: { 1: 2 } }, 'logit_bias: not supported yet')
  unsupported(t, { ...base, verbosity: 'low' }, 'verbosity: not supported yet')
  unsupported(t, { ...base, messages: [{ role: 'function', name: 'f', content: 'x' }] }, "messages[0].role: 'function' is not supported yet; use tool messages")
  unsupported(t, { ...base, messages: [{ role: 'assistant', content: null, function_call: { name: 'f', arguments: '' } }] }, 'messages[0].function_call: not supported yet')
  unsupported(t, { ...base, messages: [{ role: 'assistant', content: 'x', audio: { id: 'a' } }] }, 'messages[0].audio: not supported yet')
  unsupported(t, { ...base, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '' }, extra: 1 }] }] },
    'messages[0].tool_calls[0].extra: not supported yet')
  unsupported(t, { ...base, tools: [{ type: 'function', function: { name: 'f', cache_control: { type: 'ephemeral' } } }] }, 'tools[0].function.cache_control: not supported yet')
  unsupported(t, { ...base, messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] },
    "messages[0].content[0].type: 'image_url' is not supported yet")
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: {} }] }] },
    'messages[0].content[0].cache_control: not supported yet')
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'refusal', refusal: 'x' }] }] }, "messages[0].content[0].type: 'refusal' is not supported yet")
  unsupported(t, { ...base, stream_options: { something: true } }, 'stream_options.something: not supported yet')
})

t.test('IGNORED_FIELDS each have a reason and are accepted; mapped fields are no longer listed', async t => {
  for (const [field, reason] of Object.entries(IGNORED_FIELDS)) t.ok(reason.length > 10, field)
  for (const mapped of ['user', 'safety_identifier', 'parallel_tool_calls']) t.notOk(Object.hasOwn(IGNORED_FIELDS, mapped), mapped)
  const req = decodeRequest({ ...base, metadata: { a: 'b' }, store: true, service_tier: 'flex', prompt_cache_key: 'k', prompt_cache_retention: '24h' }, OP)
  t.strictSame(req, { model: 'gpt', system: [], messages: [HI], stream: false })
  t.throws(() => decodeRequest({}, { dialect: 'openai-chat', operation: 'models' }), { code: 'SWY_ERR_CONVERT_UNSUPPORTED' })
})
