// Upstream Responses `response` object → CanonicalResponse (PROTOCOLS.md §2.2, §6.5, §6.7–§6.9).
import t from 'tap'
import { decodeResponse } from '../../../../src/dialects/openai-responses/decode-response.js'
import { REQUEST } from '../scenarios.js'

type Json = Record<string, unknown>
const ENCRYPTED = 'gAAAAABoEncryptedReasoning=='
const reply = (output: Json[], extra: Json = {}): Json => ({
  id: 'resp_1', object: 'response', created_at: 1741290958, status: 'completed', error: null, incomplete_details: null,
  model: 'gpt-5', output, parallel_tool_calls: true, usage: null, metadata: {}, ...extra,
})
const text = (value: string): Json => ({ type: 'output_text', text: value, annotations: [] })
const message = (...content: Json[]): Json => ({ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content })
const fnCall = (callId: string, name: string, args: string, extra: Json = {}): Json =>
  ({ type: 'function_call', id: 'fc_' + callId, call_id: callId, name, arguments: args, status: 'completed', ...extra })

t.test('text with full usage (§6.8: cached inside input, reasoning inside output)', async t => {
  t.strictSame(decodeResponse(reply([message(text('Hel'), text('lo'))], {
    usage: {
      input_tokens: 1000, input_tokens_details: { cached_tokens: 800, cache_write_tokens: 100 },
      output_tokens: 50, output_tokens_details: { reasoning_tokens: 20 }, total_tokens: 1050,
    },
  }), REQUEST), {
    id: 'resp_1',
    model: 'gpt-5',
    created: 1741290958,
    content: [{ type: 'text', text: 'Hello' }],
    finish: { reason: 'stop', raw: 'completed' },
    usage: { input: 1000, output: 50, cacheRead: 800, cacheWrite: 100, reasoning: 20 },
  })
})

t.test('usage without detail objects (or null ones) keeps only the totals; no usage stays absent', async t => {
  t.strictSame(decodeResponse(reply([], { usage: { input_tokens: 5, output_tokens: 2 } }), REQUEST).usage, { input: 5, output: 2 })
  t.strictSame(decodeResponse(reply([], { usage: { input_tokens: 5, input_tokens_details: null, output_tokens: 2, output_tokens_details: null } }), REQUEST).usage, { input: 5, output: 2 })
  t.notOk('usage' in decodeResponse(reply([]), REQUEST))
})

t.test('items in output order: reasoning (signed), text per message, refusal, calls; hosted items skipped', async t => {
  const res = decodeResponse(reply([
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Think it.' }, { type: 'summary_text', text: 'Check it.' }], encrypted_content: ENCRYPTED },
    { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'weather' } },
    message(text('Checking.'), { type: 'refusal', refusal: 'Not that part.' }),
    message(text('Second message.')),
    fnCall('call_a', 'get_weather', '{ "city" : "Paris" }'),
    fnCall('call_b', 'list_files', '', { namespace: 'mcp_fs' }),
    { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_c', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch', status: 'completed' },
    { type: 'mcp_call', id: 'mcp_1', name: 'x', arguments: '{}', server_label: 's' },
  ]), REQUEST)
  t.strictSame(res.content, [
    { type: 'reasoning', text: 'Think it.\n\nCheck it.', signature: { family: 'openai', value: ENCRYPTED } },
    { type: 'text', text: 'Checking.' },
    { type: 'refusal', text: 'Not that part.' },
    { type: 'text', text: 'Second message.' },
    { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{ "city" : "Paris" }' },
    { type: 'tool-call', id: 'call_b', name: 'list_files', arguments: '', namespace: 'mcp_fs' },
    { type: 'tool-call', id: 'call_c', name: 'apply_patch', arguments: '*** Begin Patch\n*** End Patch', toolKind: 'custom' },
  ])
  t.strictSame(res.finish, { reason: 'tool-calls', raw: 'completed' }, '§6.7: calls make the tool reason')
})

t.test('reasoning: reasoning_text content wins over the summary; empty items are dropped', async t => {
  const res = decodeResponse(reply([
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'short' }], content: [{ type: 'reasoning_text', text: 'the raw chain' }] },
    { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: null },
    { type: 'reasoning', id: 'rs_3', summary: [], encrypted_content: ENCRYPTED },
    message(),
    message(text('')),
  ]), REQUEST)
  t.strictSame(res.content, [
    { type: 'reasoning', text: 'the raw chain' },
    { type: 'reasoning', text: '', signature: { family: 'openai', value: ENCRYPTED } },
  ])
  t.strictSame(res.finish, { reason: 'stop', raw: 'completed' })
})

t.test('incomplete: max_output_tokens → length, content_filter → content-filter, else length with the raw word', async t => {
  const incomplete = (details: unknown) => decodeResponse(reply([message(text('Cut'))], { status: 'incomplete', incomplete_details: details }), REQUEST).finish
  t.strictSame(incomplete({ reason: 'max_output_tokens' }), { reason: 'length', raw: 'max_output_tokens' })
  t.strictSame(incomplete({ reason: 'content_filter' }), { reason: 'content-filter', raw: 'content_filter' })
  t.strictSame(incomplete({ reason: 'something_new' }), { reason: 'length', raw: 'something_new' })
  t.strictSame(incomplete(null), { reason: 'length', raw: 'incomplete' })
  t.strictSame(decodeResponse(reply([fnCall('call_a', 'f', '{"a"')], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }), REQUEST).finish,
    { reason: 'length', raw: 'max_output_tokens' }, 'a call cut by the limit is not a finished call')
  t.strictSame(decodeResponse(reply([], { status: 'cancelled' }), REQUEST).finish, { reason: 'other', raw: 'cancelled' })
})

t.test('lenient on id, model, created_at and status', async t => {
  const res = decodeResponse({ output: [message(text('x'))] }, REQUEST)
  t.match(res.id, /^resp_/)
  t.equal(res.model, REQUEST.model)
  t.type(res.created, 'number')
  t.strictSame(res.finish, { reason: 'other' })
})

t.test('failed, unfinished and malformed replies throw the upstream-invalid-data error', async t => {
  const code = { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' }
  t.throws(() => decodeResponse(reply([], { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow down.' } }), REQUEST),
    { ...code, message: 'the response failed (rate_limit_exceeded): Slow down.' })
  t.throws(() => decodeResponse(reply([], { status: 'failed' }), REQUEST), { ...code, message: 'the response failed: no error message' })
  t.throws(() => decodeResponse(reply([], { status: 'failed', error: { code: 'server_error', message: 'x'.repeat(5000) } }), REQUEST),
    { ...code, message: 'the response failed (server_error): ' + 'x'.repeat(300) + '…' }, 'upstream text is bounded')
  t.throws(() => decodeResponse(reply([], { status: 'in_progress' }), REQUEST), { ...code, message: 'the response is not finished (status in_progress)' })
  t.throws(() => decodeResponse({ error: { message: 'Invalid model' } }, REQUEST), { ...code, message: 'the reply is an error: Invalid model' })
  t.throws(() => decodeResponse('nope', REQUEST), { ...code, message: 'the reply is not a JSON object' })
  t.throws(() => decodeResponse({ id: 'resp_1' }, REQUEST), { ...code, message: 'the reply has no output array' })
  t.throws(() => decodeResponse(reply(['x' as unknown as Json]), REQUEST), { ...code, message: 'output[0] is not an object' })
  t.throws(() => decodeResponse(reply([message(), { type: 'function_call', name: 'f', arguments: '' }]), REQUEST), { ...code, message: 'output[1] has no call_id' })
  t.throws(() => decodeResponse(reply([{ type: 'custom_tool_call', call_id: 'c', input: '' }]), REQUEST), { ...code, message: 'output[0] has no name' })
})
