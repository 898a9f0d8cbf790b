// CanonicalRequest → Chat Completions upstream call (PROTOCOLS.md §1.1, §6.1–6.6, §6.9, §6.10,
// §6.12, §7.26, §7.32).
import t from 'tap'
import type { CanonicalMessage, CanonicalRequest } from '../../../../src/canonical/request.js'
import { encodeRequest } from '../../../../src/dialects/openai-chat/encode-request.js'
import type { BackendOptions } from '../../../../src/dialects/types.js'

const OPTIONS: BackendOptions = { model: 'gpt-up', defaultMaxTokens: 4096 }
const base: CanonicalRequest = { model: 'client-model', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false }
type Body = Record<string, unknown> & { messages: unknown[] }
const bodyOf = (req: CanonicalRequest, options: BackendOptions = OPTIONS): Body => encodeRequest(req, options).body as Body
const messagesOf = (messages: CanonicalMessage[], extra: Partial<CanonicalRequest> = {}) => bodyOf({ ...base, ...extra, messages }).messages

t.test('the call: POST /chat/completions, backend model, nothing invented', async t => {
  t.strictSame(encodeRequest(base, OPTIONS), {
    method: 'POST', path: '/chat/completions', query: '',
    body: { model: 'gpt-up', messages: [{ role: 'user', content: 'hi' }] },
  })
})

t.test('streaming always asks for usage, even when the client did not (§6.12)', async t => {
  const body = bodyOf({ ...base, stream: true, includeUsage: false })
  t.equal(body.stream, true)
  t.strictSame(body.stream_options, { include_usage: true })
})

t.test('sampling and limits; max tokens capped by maxOutputTokens; top_k sent', async t => {
  const req: CanonicalRequest = {
    ...base, maxTokens: 9000, temperature: 0.3, topP: 0.9, topK: 40, stop: ['END'], seed: 3, presencePenalty: 0.1, frequencyPenalty: 0.2, user: 'u1',
  }
  t.match(bodyOf(req), {
    max_completion_tokens: 9000, temperature: 0.3, top_p: 0.9, top_k: 40, stop: ['END'], seed: 3, presence_penalty: 0.1, frequency_penalty: 0.2, user: 'u1',
  })
  t.equal(bodyOf(req, { ...OPTIONS, maxOutputTokens: 1000 }).max_completion_tokens, 1000)
  t.equal(bodyOf({ ...req, maxTokens: 500 }, { ...OPTIONS, maxOutputTokens: 1000 }).max_completion_tokens, 500)
  t.notOk('max_completion_tokens' in bodyOf(base, { ...OPTIONS, maxOutputTokens: 1000 }), 'no limit asked, none invented')
  t.notOk('max_tokens' in bodyOf(req))
})

t.test('system parts → one leading system message joined with blank lines', async t => {
  const body = bodyOf({ ...base, system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use French.', cacheControl: { type: 'ephemeral' } }] })
  t.strictSame(body.messages, [{ role: 'system', content: 'Be brief.\n\nUse French.' }, { role: 'user', content: 'hi' }])
})

t.test('user parts: string for one text part, else parts; images, data files, text documents; URL document rejected', async t => {
  t.strictSame(messagesOf([{
    role: 'user',
    parts: [
      { type: 'text', text: 'look', cacheControl: { type: 'ephemeral' } },
      { type: 'image', url: 'https://x/cat.png', detail: 'high' },
      { type: 'image', url: 'data:image/png;base64,AA' },
      { type: 'document', url: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' },
      { type: 'document', url: 'data:application/pdf;base64,JVBER', title: 'Report' },
      { type: 'document', text: 'plain notes' },
    ],
  }]), [{
    role: 'user',
    content: [
      { type: 'text', text: 'look' },
      { type: 'image_url', image_url: { url: 'https://x/cat.png', detail: 'high' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'Report' } },
      { type: 'text', text: 'plain notes' },
    ],
  }])
  t.strictSame(messagesOf([{ role: 'user', parts: [] }]), [{ role: 'user', content: '' }])
  t.throws(() => messagesOf([base.messages[0]!, { role: 'user', parts: [{ type: 'text', text: 'x' }, { type: 'document', url: 'https://x/a.pdf' }] }]), {
    code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'messages[1].content[1]', message: /document URL cannot be sent/,
  })
})

t.test('tool calls and results: ids kept when legal, results one tool message each, is_error prefixed', async t => {
  t.strictSame(messagesOf([
    { role: 'user', parts: [{ type: 'text', text: 'weather?' }] },
    {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'thinking', signature: { family: 'anthropic', value: 'sig' } },
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'call_b', name: 'now', arguments: '' },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool-result', toolCallId: 'call_a', content: [{ type: 'text', text: 'sunny' }, { type: 'text', text: '20C' }] },
        { type: 'tool-result', toolCallId: 'call_b', content: [{ type: 'text', text: 'clock broken' }], isError: true },
        { type: 'text', text: 'and tomorrow?' },
      ],
    },
  ]), [
    { role: 'user', content: 'weather?' },
    {
      role: 'assistant',
      content: 'Checking.',
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_b', type: 'function', function: { name: 'now', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_a', content: 'sunny\n\n20C' },
    { role: 'tool', tool_call_id: 'call_b', content: 'Error: clock broken' },
    { role: 'user', content: 'and tomorrow?' },
  ])
})

t.test('only tool calls → content null; refusal carried; reasoning-only → empty content', async t => {
  t.strictSame(messagesOf([
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' }] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [] }] },
    { role: 'assistant', parts: [{ type: 'refusal', text: 'No.' }] },
    { role: 'assistant', parts: [{ type: 'reasoning', text: 'hmm' }] },
  ]), [
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: '' },
    { role: 'assistant', content: '', refusal: 'No.' },
    { role: 'assistant', content: '' },
  ])
})

t.test('orphan tool calls get a synthetic error result right after the assistant message (§7.32)', async t => {
  t.strictSame(messagesOf([
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' }, { type: 'tool-call', id: 'c2', name: 'g', arguments: '{}' }] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c2', content: [{ type: 'text', text: 'ok' }] }] },
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c3', name: 'f', arguments: '{}' }] },
    { role: 'user', parts: [{ type: 'text', text: 'never mind' }] },
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c4', name: 'f', arguments: '{}' }] },
  ]).filter(m => (m as { role: string }).role === 'tool'), [
    { role: 'tool', tool_call_id: 'c1', content: 'Error: tool result missing' },
    { role: 'tool', tool_call_id: 'c2', content: 'ok' },
    { role: 'tool', tool_call_id: 'c3', content: 'Error: tool result missing' },
    { role: 'tool', tool_call_id: 'c4', content: 'Error: tool result missing' },
  ])
  const all = messagesOf([
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c3', name: 'f', arguments: '{}' }] },
    { role: 'user', parts: [{ type: 'text', text: 'never mind' }] },
  ])
  t.strictSame(all.map(m => (m as { role: string }).role), ['assistant', 'tool', 'user'])
})

t.test('images and files in tool results move to ONE user message after all tool messages (§6.2)', async t => {
  t.strictSame(messagesOf([
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'shot', arguments: '{}' }, { type: 'tool-call', id: 'c2', name: 'shot', arguments: '{}' }] },
    {
      role: 'user',
      parts: [
        { type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'one' }, { type: 'image', url: 'data:image/png;base64,AA' }] },
        { type: 'tool-result', toolCallId: 'c2', content: [{ type: 'image', url: 'data:image/png;base64,BB' }, { type: 'document', text: 'log' }] },
        { type: 'text', text: 'compare them' },
      ],
    },
  ]).slice(1), [
    { role: 'tool', tool_call_id: 'c1', content: 'one' },
    { role: 'tool', tool_call_id: 'c2', content: 'log' },
    {
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,BB' } },
        { type: 'text', text: 'compare them' },
      ],
    },
  ])
})

t.test('long or illegal ids are mapped, ≤40 chars, the same way on calls and results (§7.26)', async t => {
  const long = 'toolu_' + 'x'.repeat(60)
  const spaced = 'has space'
  const msgs = messagesOf([
    { role: 'assistant', parts: [{ type: 'tool-call', id: long, name: 'f', arguments: '{}' }, { type: 'tool-call', id: spaced, name: 'f', arguments: '{}' }] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: long, content: [] }, { type: 'tool-result', toolCallId: spaced, content: [] }] },
  ]) as Array<{ role: string, tool_calls?: Array<{ id: string }>, tool_call_id?: string }>
  const callIds = msgs[0]?.tool_calls?.map(c => c.id) ?? []
  t.equal(callIds.length, 2)
  for (const id of callIds) {
    t.ok(id.length <= 40, id)
    t.match(id, /^call_/)
  }
  t.not(callIds[0], callIds[1])
  t.strictSame(msgs.slice(1).map(m => m.tool_call_id), callIds, 'results pair with their calls; no orphan synthesised')
  t.equal(msgs.length, 3)
})

t.test('custom tools: function with one string parameter; calls wrapped as {"input": …} (§6.3)', async t => {
  const body = bodyOf({
    ...base,
    tools: [
      { kind: 'custom', name: 'apply_patch', description: 'Patch files', format: { type: 'text' } },
      { kind: 'function', name: 'f', description: 'F', parameters: { type: 'object', properties: {} }, strict: false, cacheControl: { type: 'ephemeral' } },
      { kind: 'function', name: 'g' },
    ],
    toolChoice: { type: 'tool', name: 'apply_patch' },
    parallelToolCalls: false,
    messages: [
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'apply_patch', arguments: '*** Begin Patch\n"x"', toolKind: 'custom' }] },
      { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'applied' }] }] },
    ],
  })
  t.strictSame(body.tools, [
    {
      type: 'function',
      function: {
        name: 'apply_patch',
        description: 'Patch files',
        parameters: { type: 'object', properties: { input: { type: 'string', description: 'The raw input for the tool.' } }, required: ['input'] },
      },
    },
    { type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object', properties: {} }, strict: false } },
    { type: 'function', function: { name: 'g' } },
  ])
  t.strictSame(body.tool_choice, { type: 'function', function: { name: 'apply_patch' } })
  t.equal(body.parallel_tool_calls, false)
  const call = (body.messages[0] as { tool_calls: Array<{ function: { arguments: string } }> }).tool_calls[0]
  t.strictSame(JSON.parse(call?.function.arguments ?? ''), { input: '*** Begin Patch\n"x"' })
})

t.test('tool_choice words; tool_choice and parallel_tool_calls dropped without tools', async t => {
  const tools = [{ kind: 'function' as const, name: 'f' }]
  for (const type of ['auto', 'none', 'required'] as const) t.equal(bodyOf({ ...base, tools, toolChoice: { type } }).tool_choice, type)
  const bare = bodyOf({ ...base, tools: [], toolChoice: { type: 'auto' }, parallelToolCalls: true })
  t.notOk('tools' in bare)
  t.notOk('tool_choice' in bare)
  t.notOk('parallel_tool_calls' in bare)
})

t.test('reasoning → reasoning_effort (§6.9)', async t => {
  const effort = (reasoning: CanonicalRequest['reasoning']) => bodyOf({ ...base, reasoning }).reasoning_effort
  t.equal(effort({ mode: 'off' }), 'none')
  t.equal(effort({ mode: 'on', effort: 'high', budgetTokens: 100 }), 'high')
  t.equal(effort({ mode: 'on', budgetTokens: 1024 }), 'low')
  t.equal(effort({ mode: 'on', budgetTokens: 5000 }), 'medium')
  t.equal(effort({ mode: 'on', budgetTokens: 30000 }), 'high')
  t.equal(effort({ mode: 'adaptive', effort: 'high' }), undefined)
  t.equal(effort({ mode: 'on' }), undefined)
})

t.test('responseFormat → response_format', async t => {
  const schema = { type: 'object' }
  t.strictSame(bodyOf({ ...base, responseFormat: { type: 'json_object' } }).response_format, { type: 'json_object' })
  t.strictSame(bodyOf({ ...base, responseFormat: { type: 'text' } }).response_format, { type: 'text' })
  t.strictSame(bodyOf({ ...base, responseFormat: { type: 'json_schema', schema, name: 'out', strict: true, description: 'd' } }).response_format,
    { type: 'json_schema', json_schema: { name: 'out', schema, description: 'd', strict: true } })
  t.strictSame(bodyOf({ ...base, responseFormat: { type: 'json_schema', schema } }).response_format,
    { type: 'json_schema', json_schema: { name: 'response', schema } })
})

t.test('namespaced tools are functions named <namespace>__<name> in tools, tool_choice and replayed calls', async t => {
  const body = bodyOf({
    ...base,
    tools: [
      { kind: 'function', name: 'lookup', namespace: 'crm', parameters: { type: 'object' } },
      { kind: 'custom', name: 'note', namespace: 'crm' },
      { kind: 'function', name: 'plain' },
    ],
    toolChoice: { type: 'tool', name: 'lookup' },
    messages: [
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'lookup', namespace: 'crm', arguments: '{}' }, { type: 'tool-call', id: 'c2', name: 'note', namespace: 'crm', arguments: 'hi', toolKind: 'custom' }] },
      { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [] }, { type: 'tool-result', toolCallId: 'c2', content: [] }] },
    ],
  })
  t.strictSame((body.tools as Array<{ function: { name: string } }>).map(tool => tool.function.name), ['crm__lookup', 'crm__note', 'plain'])
  t.strictSame(body.tool_choice, { type: 'function', function: { name: 'crm__lookup' } })
  t.strictSame((body.messages[0] as { tool_calls: unknown }).tool_calls, [
    { id: 'c1', type: 'function', function: { name: 'crm__lookup', arguments: '{}' } },
    { id: 'c2', type: 'function', function: { name: 'crm__note', arguments: '{"input":"hi"}' } },
  ])
  t.throws(() => bodyOf({ ...base, tools: [{ kind: 'function', name: 'crm__lookup' }, { kind: 'function', name: 'lookup', namespace: 'crm' }] }),
    { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'tools[1]' }, 'a flattened name equal to another tool name is ambiguous')
})

t.test('verbosity → top-level verbosity', async t => {
  t.equal(bodyOf({ ...base, verbosity: 'low' }).verbosity, 'low')
  t.notOk('verbosity' in bodyOf(base))
})
