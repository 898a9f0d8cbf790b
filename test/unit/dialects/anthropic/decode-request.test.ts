// Anthropic request → canonical (PROTOCOLS.md §3.1) and the field-path errors.
import t, { type Test } from 'tap'
import { decodeRequest, IGNORED_FIELDS } from '../../../../src/dialects/anthropic/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'anthropic', operation: 'messages' }
const COUNT: ClientOperation = { dialect: 'anthropic', operation: 'count-tokens' }
const base = { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }
const fails = (t: Test, body: unknown, message: string, code = 'SWY_ERR_CONVERT_INVALID', op = OP) =>
  t.throws(() => decodeRequest(body, op), { message, code, statusCode: 400 }, message)

t.test('maps text conversations, system blocks, sampling and stop sequences', async t => {
  const req = decodeRequest({
    ...base,
    system: [{ type: 'text', text: 'Rule 1', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Rule 2' }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: '' }] },
      { role: 'assistant', content: 'hello' },
      { role: 'system', content: 'late rule' },
      { role: 'user', content: 'again' },
    ],
    stream: true,
    temperature: 0.5,
    top_p: 0.9,
    stop_sequences: ['END'],
    metadata: { user_id: 'u' },
  }, OP)
  t.strictSame(req, {
    model: 'claude',
    system: [{ type: 'text', text: 'Rule 1' }, { type: 'text', text: 'Rule 2' }, { type: 'text', text: 'late rule' }],
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
  })
})

t.test('images: base64 → data URL, url as is', async t => {
  const req = decodeRequest({
    ...base,
    messages: [{
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
        { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
      ],
    }],
  }, OP)
  t.strictSame(req.messages[0]?.parts, [{ type: 'image', url: 'data:image/png;base64,AAAA' }, { type: 'image', url: 'https://x/y.png' }])
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
})

t.test('what is not mapped yet is rejected, by path, as unsupported', async t => {
  const unsupported = (body: unknown, message: string) => fails(t, body, message, 'SWY_ERR_CONVERT_UNSUPPORTED')
  unsupported({ ...base, tools: [{ name: 'x', input_schema: { type: 'object' } }] }, 'tools: not supported yet')
  unsupported({ ...base, thinking: { type: 'enabled', budget_tokens: 2000 } }, 'thinking: not supported yet')
  unsupported({ ...base, top_k: 5 }, 'top_k: not supported yet')
  unsupported({ ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] }] },
    "messages[0].content[0].type: 'tool_result' is not supported yet")
  unsupported({ ...base, messages: [{ role: 'assistant', content: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }] },
    "messages[0].content[0].type: 'image' is not supported yet")
  unsupported({ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] },
    "messages[0].content[0].source.type: 'file' is not supported yet")
  unsupported({ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', citations: [{ type: 'c' }] }] }] },
    'messages[0].content[0].citations: not supported yet')
  unsupported({ ...base, system: [{ type: 'document' }] }, "system[0].type: 'document' is not supported yet")
})

t.test('IGNORED_FIELDS are accepted and each has a reason', async t => {
  const req = decodeRequest({ ...base, metadata: { user_id: 'u' }, service_tier: 'auto', cache_control: { type: 'ephemeral' } }, OP)
  t.equal(req.model, 'claude')
  for (const [field, reason] of Object.entries(IGNORED_FIELDS)) t.ok(reason.length > 10, field)
})

t.test('non-message operations have no canonical form', async t => {
  fails(t, {}, 'operation: models has no canonical form', 'SWY_ERR_CONVERT_UNSUPPORTED', { dialect: 'anthropic', operation: 'models' })
})
