// Anthropic request → canonical (PROTOCOLS.md §3.1, §6, §7.27) and the field-path errors.
import t, { type Test } from 'tap'
import { sealEnvelope } from '../../../../src/canonical/signature.js'
import { decodeRequest, IGNORED_FIELDS } from '../../../../src/dialects/anthropic/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'anthropic', operation: 'messages' }
const COUNT: ClientOperation = { dialect: 'anthropic', operation: 'count-tokens' }
const base = { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }
const fails = (t: Test, body: unknown, message: string, code = 'SWY_ERR_CONVERT_INVALID', op = OP) =>
  t.throws(() => decodeRequest(body, op), { message, code, statusCode: 400 }, message)
const unsupported = (t: Test, body: unknown, message: string) => fails(t, body, message, 'SWY_ERR_CONVERT_UNSUPPORTED')
const EPHEMERAL = { type: 'ephemeral' } as const

t.test('maps text conversations, system blocks, sampling, stop sequences and metadata.user_id', async t => {
  const req = decodeRequest({
    ...base,
    system: [{ type: 'text', text: 'Rule 1', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'Rule 2' }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: '' }] },
      { role: 'assistant', content: 'hello' },
      { role: 'system', content: 'late rule' },
      { role: 'user', content: 'again' },
    ],
    stream: true,
    temperature: 0.5,
    top_p: 0.9,
    top_k: 40,
    stop_sequences: ['END'],
    metadata: { user_id: 'u' },
  }, OP)
  t.strictSame(req, {
    model: 'claude',
    system: [{ type: 'text', text: 'Rule 1', cacheControl: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'Rule 2' }, { type: 'text', text: 'late rule' }],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'hello' }] },
      { role: 'user', parts: [{ type: 'text', text: 'again' }] },
    ],
    stream: true,
    maxTokens: 100,
    temperature: 0.5,
    topP: 0.9,
    stop: ['END'],
    topK: 40,
    user: 'u',
  })
})

t.test("Claude Code's billing header system block is dropped; the rest keeps its order (§7.27)", async t => {
  const req = decodeRequest({
    ...base,
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197; cch=abc;' },
      { type: 'text', text: 'You are Claude Code.' },
      { type: 'text', text: 'Tools guide', cache_control: EPHEMERAL },
    ],
  }, OP)
  t.strictSame(req.system, [{ type: 'text', text: 'You are Claude Code.' }, { type: 'text', text: 'Tools guide', cacheControl: EPHEMERAL }])
})

t.test('images and documents, with cache_control mapped', async t => {
  const req = decodeRequest({
    ...base,
    messages: [{
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' }, cache_control: EPHEMERAL },
        { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' }, title: 'Spec' },
        { type: 'document', source: { type: 'url', url: 'https://x/a.pdf' }, citations: { enabled: true } },
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain words' }, cache_control: EPHEMERAL },
      ],
    }],
  }, OP)
  t.strictSame(req.messages[0]?.parts, [
    { type: 'image', url: 'data:image/png;base64,AAAA', cacheControl: EPHEMERAL },
    { type: 'image', url: 'https://x/y.png' },
    { type: 'document', url: 'data:application/pdf;base64,JVBE', title: 'Spec' },
    { type: 'document', url: 'https://x/a.pdf' },
    { type: 'document', text: 'plain words', cacheControl: EPHEMERAL },
  ])
})

t.test('tool_use and tool_result blocks', async t => {
  const req = decodeRequest({
    ...base,
    messages: [
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: [{ type: 'text', text: 'Checking.', citations: [] }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }, { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny', is_error: false },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'noon', cache_control: EPHEMERAL }, { type: 'image', source: { type: 'url', url: 'https://x/c.png' } }], is_error: true, cache_control: EPHEMERAL },
          { type: 'tool_result', tool_use_id: 'toolu_3' },
          { type: 'text', text: 'thanks' },
        ],
      },
    ],
  }, OP)
  t.strictSame(req.messages.slice(1), [
    {
      role: 'assistant',
      parts: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'toolu_2', name: 'now', arguments: '{}' },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool-result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'sunny' }], isError: false },
        { type: 'tool-result', toolCallId: 'toolu_2', content: [{ type: 'text', text: 'noon', cacheControl: EPHEMERAL }, { type: 'image', url: 'https://x/c.png' }], isError: true, cacheControl: EPHEMERAL },
        { type: 'tool-result', toolCallId: 'toolu_3', content: [] },
        { type: 'text', text: 'thanks' },
      ],
    },
  ])
})

t.test('thinking and redacted_thinking: native signatures, swy1 envelopes restore family, value and text', async t => {
  const foreign = sealEnvelope({ family: 'openai', value: 'enc-123' }, 'original summary')
  const unsigned = sealEnvelope(undefined, 'chat reasoning')
  const redactedForeign = sealEnvelope({ family: 'gemini', value: 'g-sig' }, undefined, true)
  const req = decodeRequest({
    ...base,
    messages: [
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Let me think', signature: 'EqQBCkYI' },
          { type: 'redacted_thinking', data: 'EmwKAhgB' },
          { type: 'thinking', thinking: 'original summary', signature: foreign },
          { type: 'thinking', thinking: 'edited by client', signature: unsigned },
          { type: 'redacted_thinking', data: redactedForeign },
          { type: 'thinking', thinking: '', signature: '' },
          { type: 'thinking', thinking: '', signature: 'omitted-display-sig' },
          { type: 'text', text: 'answer' },
        ],
      },
    ],
  }, OP)
  t.strictSame(req.messages[1]?.parts, [
    { type: 'reasoning', text: 'Let me think', signature: { family: 'anthropic', value: 'EqQBCkYI' } },
    { type: 'reasoning', text: '', signature: { family: 'anthropic', value: 'EmwKAhgB' }, redacted: true },
    { type: 'reasoning', text: 'original summary', signature: { family: 'openai', value: 'enc-123' } },
    { type: 'reasoning', text: 'chat reasoning' },
    { type: 'reasoning', text: '', signature: { family: 'gemini', value: 'g-sig' }, redacted: true },
    { type: 'reasoning', text: '', signature: { family: 'anthropic', value: 'omitted-display-sig' } },
    { type: 'text', text: 'answer' },
  ])
})

t.test('tools, tool_choice and parallel calls', async t => {
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }
  const req = decodeRequest({
    ...base,
    tools: [
      { name: 'get_weather', description: 'Weather now', input_schema: schema, strict: true, cache_control: EPHEMERAL, input_examples: [{ city: 'Oslo' }] },
      { type: 'custom', name: 'noop', input_schema: { type: 'object' }, eager_input_streaming: true, defer_loading: false },
    ],
    tool_choice: { type: 'any', disable_parallel_tool_use: true },
  }, OP)
  t.strictSame(req.tools, [
    { kind: 'function', name: 'get_weather', parameters: schema, description: 'Weather now', strict: true, cacheControl: EPHEMERAL },
    { kind: 'function', name: 'noop', parameters: { type: 'object' } },
  ])
  t.strictSame(req.toolChoice, { type: 'required' })
  t.equal(req.parallelToolCalls, false)
  const choice = (tc: unknown) => decodeRequest({ ...base, tool_choice: tc }, OP)
  t.strictSame(choice({ type: 'auto' }).toolChoice, { type: 'auto' })
  t.notOk('parallelToolCalls' in choice({ type: 'auto' }))
  t.strictSame(choice({ type: 'none' }).toolChoice, { type: 'none' })
  t.strictSame(choice({ type: 'tool', name: 'get_weather' }).toolChoice, { type: 'tool', name: 'get_weather' })
  t.equal(choice({ type: 'auto', disable_parallel_tool_use: false }).parallelToolCalls, true)
})

t.test('thinking config, output_config effort and format', async t => {
  const r = (extra: object) => decodeRequest({ ...base, ...extra }, OP)
  t.strictSame(r({ thinking: { type: 'enabled', budget_tokens: 2048 } }).reasoning, { mode: 'on', budgetTokens: 2048 })
  t.strictSame(r({ thinking: { type: 'enabled', budget_tokens: 2048, display: 'omitted' } }).reasoning, { mode: 'on', budgetTokens: 2048, visible: false })
  t.strictSame(r({ thinking: { type: 'disabled' } }).reasoning, { mode: 'off' })
  t.strictSame(r({ thinking: { type: 'adaptive' }, output_config: { effort: 'high' } }).reasoning, { mode: 'adaptive', effort: 'high' })
  t.strictSame(r({ output_config: { effort: 'low' } }).reasoning, { mode: 'adaptive', effort: 'low' }, 'effort alone reads as adaptive')
  const schema = { type: 'object', properties: { a: { type: 'string' } } }
  t.strictSame(r({ output_config: { format: { type: 'json_schema', schema } } }).responseFormat, { type: 'json_schema', schema })
  t.strictSame(r({ output_format: { type: 'json_schema', schema } }).responseFormat, { type: 'json_schema', schema }, 'beta spelling')
  t.notOk('reasoning' in r({}))
})

t.test('max_tokens is required for messages, not for count_tokens', async t => {
  fails(t, { model: 'c', messages: [] }, 'max_tokens: required')
  fails(t, { ...base, max_tokens: 0 }, 'max_tokens: must be a positive integer')
  t.notOk('maxTokens' in decodeRequest({ model: 'c', messages: [] }, COUNT))
})

t.test('bad input names the JSON path', async t => {
  fails(t, null, 'body: required')
  fails(t, { ...base, model: undefined }, 'model: required')
  fails(t, { ...base, model: 3 }, 'model: must be a string')
  fails(t, { ...base, messages: {} }, 'messages: must be an array')
  fails(t, { ...base, messages: [{ role: 'bot', content: 'x' }] }, 'messages[0].role: must be one of user, assistant, system')
  fails(t, { ...base, messages: [{ role: 'user' }] }, 'messages[0].content: required')
  fails(t, { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 1 }] }] }, 'messages[0].content[0].text: must be a string')
  fails(t, { ...base, stop_sequences: 'END' }, 'stop_sequences: must be an array')
  fails(t, { ...base, temperature: 'hot' }, 'temperature: must be a number')
  fails(t, { ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: '{}' }] }] }, 'messages[0].content[0].input: must be an object')
  fails(t, { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }, 'messages[0].content[0].tool_use_id: required')
  fails(t, { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', is_error: 'yes' }] }] }, 'messages[0].content[0].is_error: must be a boolean')
  fails(t, { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'persistent' } }] }] },
    'messages[0].content[0].cache_control.type: must be one of ephemeral')
  fails(t, { ...base, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'image/png', data: 'A' } }] }] },
    'messages[0].content[0].source.media_type: must be one of application/pdf')
  fails(t, { ...base, tools: [{ name: 'f' }] }, 'tools[0].input_schema: required')
  fails(t, { ...base, tool_choice: { type: 'tool' } }, 'tool_choice.name: required')
  fails(t, { ...base, tool_choice: { type: 'sometimes' } }, 'tool_choice.type: must be one of auto, any, none, tool')
  fails(t, { ...base, thinking: { type: 'enabled' } }, 'thinking.budget_tokens: required')
  fails(t, { ...base, thinking: { type: 'enabled', budget_tokens: 2048, display: 'full' } }, 'thinking.display: must be one of summarized, omitted')
  fails(t, { ...base, output_config: { effort: 'extreme' } }, 'output_config.effort: must be one of low, medium, high, xhigh, max')
  fails(t, { ...base, metadata: { user_id: 7 } }, 'metadata.user_id: must be a string')
})

t.test('what has no canonical form is rejected, by path, as unsupported', async t => {
  unsupported(t, { ...base, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] },
    "tools[0].type: 'web_search_20250305': Anthropic server tools are not supported")
  unsupported(t, { ...base, mcp_servers: [{ type: 'url', url: 'https://mcp', name: 'm' }] }, 'mcp_servers: not supported yet')
  unsupported(t, { ...base, thinking: { type: 'between_tools' } }, "thinking.type: 'between_tools' is not supported yet")
  unsupported(t, { ...base, output_config: { format: { type: 'json_schema', schema: {} }, verbosity: 'low' } }, 'output_config.verbosity: not supported yet')
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'search_result', source: 's', title: 't', content: [] }] }] },
    "messages[0].content[0].type: 'search_result' is not supported yet in user messages")
  unsupported(t, { ...base, messages: [{ role: 'assistant', content: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }] },
    "messages[0].content[0].type: 'image' is not supported yet in assistant messages")
  unsupported(t, { ...base, messages: [{ role: 'assistant', content: [{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] }] },
    "messages[0].content[0].type: 'server_tool_use' is not supported yet in assistant messages")
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] },
    "messages[0].content[0].source.type: 'file' is not supported yet")
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'content', content: [] } }] }] },
    "messages[0].content[0].source.type: 'content' is not supported yet")
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'url', url: 'https://x' }, context: 'c' }] }] },
    'messages[0].content[0].context: not supported yet')
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'search_result' }] }] }] },
    "messages[0].content[0].content[0].type: 'search_result' is not supported yet")
  unsupported(t, { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', extra: 1 }] }] },
    'messages[0].content[0].extra: not supported yet')
  unsupported(t, { ...base, system: [{ type: 'document' }] }, "system[0].type: 'document' is not supported yet")
  unsupported(t, { ...base, tools: [{ name: 'f', input_schema: {}, allowed_callers: ['x'] }] }, 'tools[0].allowed_callers: not supported yet')
})

t.test('IGNORED_FIELDS are accepted and each has a reason', async t => {
  const req = decodeRequest({
    ...base,
    service_tier: 'auto',
    cache_control: EPHEMERAL,
    context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
    container: 'cntr_1',
    inference_geo: 'us',
    speed: 'fast',
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', scope: 'global' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {}, cache_control: EPHEMERAL }] },
    ],
  }, OP)
  t.strictSame(req.messages[0]?.parts, [{ type: 'text', text: 'x', cacheControl: EPHEMERAL }])
  t.strictSame(req.messages[1]?.parts, [{ type: 'tool-call', id: 't', name: 'f', arguments: '{}' }])
  for (const [field, reason] of Object.entries(IGNORED_FIELDS)) t.ok(reason.length > 10, field)
})

t.test('non-message operations have no canonical form', async t => {
  fails(t, {}, 'operation: models has no canonical form', 'SWY_ERR_CONVERT_UNSUPPORTED', { dialect: 'anthropic', operation: 'models' })
})
