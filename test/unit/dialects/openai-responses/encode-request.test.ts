// CanonicalRequest → Responses upstream call (PROTOCOLS.md §2.1, §6.1–6.6, §6.9, §6.10,
// §7.23, §7.24, §7.26, §7.32, §9).
import { createHash } from 'node:crypto'
import t from 'tap'
import type { CanonicalMessage, CanonicalRequest } from '../../../../src/canonical/request.js'
import { encodeRequest } from '../../../../src/dialects/openai-responses/encode-request.js'
import type { BackendOptions } from '../../../../src/dialects/types.js'

const OPTIONS: BackendOptions = { model: 'gpt-up', defaultMaxTokens: 4096 }
const HI: CanonicalMessage = { role: 'user', parts: [{ type: 'text', text: 'hi' }] }
const base: CanonicalRequest = { model: 'client-model', system: [], messages: [HI], stream: false }
type Body = Record<string, unknown> & { input: unknown[] }
const bodyOf = (req: CanonicalRequest, options: BackendOptions = OPTIONS): Body => encodeRequest(req, options).body as Body
const inputOf = (messages: CanonicalMessage[], extra: Partial<CanonicalRequest> = {}): unknown[] => bodyOf({ ...base, ...extra, messages }).input
const userText = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] })

/** Every object key anywhere in a JSON value. */
function keysOf (value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out)
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) { out.add(k); keysOf(v, out) }
  }
  return out
}

t.test('plain text with system: POST /responses, instructions joined, store false, nothing invented', async t => {
  const req: CanonicalRequest = {
    ...base,
    system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use French.', cacheControl: { type: 'ephemeral' } }],
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi', cacheControl: { type: 'ephemeral' } }] }, { role: 'assistant', parts: [{ type: 'text', text: 'Salut.' }] }, HI],
    stream: true,
    includeUsage: true,
    dropped: [{ path: 'tools[0]', reason: 'hosted' }],
  }
  t.strictSame(encodeRequest(req, OPTIONS), {
    method: 'POST', path: '/responses', query: '',
    body: {
      model: 'gpt-up',
      input: [userText('hi'), { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Salut.' }] }, userText('hi')],
      store: false,
      stream: true,
      instructions: 'Be brief.\n\nUse French.',
    },
  })
  t.strictSame(bodyOf(base), { model: 'gpt-up', input: [userText('hi')], store: false, stream: false }, 'no system → no instructions')
})

t.test('images and documents → input_image / input_file / input_text; filename synthesised for file_data', async t => {
  t.strictSame(inputOf([{
    role: 'user',
    parts: [
      { type: 'text', text: 'look' },
      { type: 'image', url: 'https://x/cat.png', detail: 'high' },
      { type: 'image', url: 'data:image/png;base64,AA' },
      { type: 'document', url: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' },
      { type: 'document', url: 'data:application/pdf;base64,JVBER', title: 'Report' },
      { type: 'document', url: 'data:application/pdf;base64,JVBER' },
      { type: 'document', url: 'data:text/csv;base64,YSxi' },
      { type: 'document', url: 'data:application/vnd.ms-excel;base64,AA' },
      { type: 'document', url: 'https://x/paper.pdf' },
      { type: 'document', url: 'https://x/paper.pdf', filename: 'paper.pdf' },
      { type: 'document', text: 'plain notes' },
    ],
  }]), [{
    type: 'message',
    role: 'user',
    content: [
      { type: 'input_text', text: 'look' },
      { type: 'input_image', image_url: 'https://x/cat.png', detail: 'high' },
      { type: 'input_image', image_url: 'data:image/png;base64,AA' },
      { type: 'input_file', file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' },
      { type: 'input_file', file_data: 'data:application/pdf;base64,JVBER', filename: 'Report' },
      { type: 'input_file', file_data: 'data:application/pdf;base64,JVBER', filename: 'document.pdf' },
      { type: 'input_file', file_data: 'data:text/csv;base64,YSxi', filename: 'document.csv' },
      { type: 'input_file', file_data: 'data:application/vnd.ms-excel;base64,AA', filename: 'document' },
      { type: 'input_file', file_url: 'https://x/paper.pdf' },
      { type: 'input_file', file_url: 'https://x/paper.pdf', filename: 'paper.pdf' },
      { type: 'input_text', text: 'plain notes' },
    ],
  }])
  t.throws(() => inputOf([HI, { role: 'user', parts: [{ type: 'text', text: 'x' }, { type: 'document', url: 'gs://b/a.pdf' }] }]), {
    code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'messages[1].content[1]',
  })
  t.throws(() => inputOf([{ role: 'user', parts: [{ type: 'document' }] }]), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[0].content[0]' })
  t.strictSame(inputOf([HI, { role: 'user', parts: [] }]), [userText('hi')], 'an empty user message is not sent')
})

t.test('tool round trip, two parallel calls: ids kept, outputs paired by call_id, isError prefixed', async t => {
  t.strictSame(inputOf([
    { role: 'user', parts: [{ type: 'text', text: 'weather?' }] },
    {
      role: 'assistant',
      parts: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'call_b', name: 'now', arguments: '' },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool-result', toolCallId: 'call_b', content: [{ type: 'text', text: 'clock broken' }], isError: true },
        { type: 'text', text: 'and tomorrow?' },
        { type: 'tool-result', toolCallId: 'call_a', content: [{ type: 'text', text: 'sunny' }, { type: 'document', text: '20C' }] },
      ],
    },
  ]), [
    userText('weather?'),
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
    { type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { type: 'function_call', call_id: 'call_b', name: 'now', arguments: '{}' },
    { type: 'function_call_output', call_id: 'call_b', output: 'Error: clock broken' },
    { type: 'function_call_output', call_id: 'call_a', output: 'sunny\n\n20C' },
    userText('and tomorrow?'),
  ])
})

t.test('tool outputs with images or files are part lists; isError prefixes or adds a text part; empty → ""', async t => {
  const call = (id: string): CanonicalMessage => ({ role: 'assistant', parts: [{ type: 'tool-call', id, name: 'shot', arguments: '{}' }] })
  const input = inputOf([
    call('c1'),
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'one' }, { type: 'image', url: 'data:image/png;base64,AA', detail: 'low' }] }] },
    call('c2'),
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c2', content: [{ type: 'image', url: 'data:image/png;base64,BB' }], isError: true }] },
    call('c3'),
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c3', content: [{ type: 'text', text: 'bad' }, { type: 'document', url: 'data:application/pdf;base64,JV' }], isError: true }] },
    call('c4'),
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c4', content: [] }] },
    call('c5'),
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c5', content: [], isError: true }] },
  ])
  t.strictSame(input.filter((_, i) => i % 2 === 1), [
    { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'one' }, { type: 'input_image', image_url: 'data:image/png;base64,AA', detail: 'low' }] },
    { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'Error' }, { type: 'input_image', image_url: 'data:image/png;base64,BB' }] },
    {
      type: 'function_call_output',
      call_id: 'c3',
      output: [{ type: 'input_text', text: 'Error: bad' }, { type: 'input_file', file_data: 'data:application/pdf;base64,JV', filename: 'document.pdf' }],
    },
    { type: 'function_call_output', call_id: 'c4', output: '' },
    { type: 'function_call_output', call_id: 'c5', output: 'Error' },
  ])
})

t.test('long or illegal ids are mapped, ≤40 chars, the same way on calls and results (§7.26)', async t => {
  const long = 'toolu_' + 'x'.repeat(60)
  const spaced = 'has space'
  const input = inputOf([
    { role: 'assistant', parts: [{ type: 'tool-call', id: long, name: 'f', arguments: '{}' }, { type: 'tool-call', id: spaced, name: 'f', arguments: '{}' }] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: long, content: [] }, { type: 'tool-result', toolCallId: spaced, content: [] }] },
  ]) as Array<{ type: string, call_id: string }>
  t.strictSame(input.map(i => i.type), ['function_call', 'function_call', 'function_call_output', 'function_call_output'], 'no orphan synthesised')
  const [a, b] = [input[0]?.call_id ?? '', input[1]?.call_id ?? '']
  for (const id of [a, b]) {
    t.ok(id.length <= 40, id)
    t.match(id, /^call_[A-Za-z0-9_]+$/)
  }
  t.not(a, b)
  t.strictSame([input[2]?.call_id, input[3]?.call_id], [a, b], 'results pair with their mapped calls')
  const again = inputOf([{ role: 'assistant', parts: [{ type: 'tool-call', id: long, name: 'f', arguments: '{}' }] }]) as Array<{ call_id: string }>
  t.equal(again[0]?.call_id, a, 'deterministic across requests')
})

t.test('custom tools travel natively: definition, custom_tool_call, custom_tool_call_output, tool_choice (§7.24)', async t => {
  const body = bodyOf({
    ...base,
    tools: [
      { kind: 'custom', name: 'apply_patch', description: 'Patch files', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } },
      { kind: 'custom', name: 'note' },
    ],
    toolChoice: { type: 'tool', name: 'apply_patch' },
    messages: [
      HI,
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'apply_patch', arguments: '*** Begin Patch\n"x"', toolKind: 'custom' }] },
      { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'applied' }] }] },
    ],
  })
  t.strictSame(body.tools, [
    { type: 'custom', name: 'apply_patch', description: 'Patch files', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } },
    { type: 'custom', name: 'note' },
  ])
  t.strictSame(body.tool_choice, { type: 'custom', name: 'apply_patch' })
  t.strictSame(body.input.slice(1), [
    { type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '*** Begin Patch\n"x"' },
    { type: 'custom_tool_call_output', call_id: 'c1', output: 'applied' },
  ])
})

t.test('function tools: parameters null when absent, strict always explicit (false unless set); cacheControl stripped', async t => {
  const body = bodyOf({
    ...base,
    tools: [
      { kind: 'function', name: 'f', description: 'F', parameters: { type: 'object', properties: {} }, cacheControl: { type: 'ephemeral' } },
      { kind: 'function', name: 'g' },
      { kind: 'function', name: 'h', parameters: { type: 'object', properties: {}, required: [], additionalProperties: false }, strict: true },
    ],
    toolChoice: { type: 'tool', name: 'g' },
    parallelToolCalls: false,
  })
  t.strictSame(body.tools, [
    { type: 'function', name: 'f', description: 'F', parameters: { type: 'object', properties: {} }, strict: false },
    { type: 'function', name: 'g', parameters: null, strict: false },
    { type: 'function', name: 'h', parameters: { type: 'object', properties: {}, required: [], additionalProperties: false }, strict: true },
  ])
  t.strictSame(body.tool_choice, { type: 'function', name: 'g' })
  t.equal(body.parallel_tool_calls, false)
})

t.test('tool_choice words; tool_choice and parallel_tool_calls dropped without tools', async t => {
  const tools = [{ kind: 'function' as const, name: 'f' }]
  for (const type of ['auto', 'none', 'required'] as const) t.equal(bodyOf({ ...base, tools, toolChoice: { type } }).tool_choice, type)
  const bare = bodyOf({ ...base, tools: [], toolChoice: { type: 'required' }, parallelToolCalls: true })
  t.notOk('tools' in bare)
  t.notOk('tool_choice' in bare)
  t.notOk('parallel_tool_calls' in bare)
})

t.test('namespaced tools grouped in first-seen order; calls carry their namespace', async t => {
  const body = bodyOf({
    ...base,
    tools: [
      { kind: 'function', name: 'shell' },
      { kind: 'function', name: 'find', namespace: 'crm', parameters: { type: 'object' } },
      { kind: 'function', name: 'read', namespace: 'docs' },
      { kind: 'custom', name: 'edit', namespace: 'crm', description: 'Edit' },
      { kind: 'function', name: 'plan' },
    ],
    messages: [
      HI,
      {
        role: 'assistant',
        parts: [
          { type: 'tool-call', id: 'c1', name: 'find', arguments: '{"q":1}', namespace: 'crm' },
          { type: 'tool-call', id: 'c2', name: 'edit', arguments: 'raw', toolKind: 'custom', namespace: 'crm' },
        ],
      },
      { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [] }, { type: 'tool-result', toolCallId: 'c2', content: [] }] },
    ],
  })
  t.strictSame(body.tools, [
    { type: 'function', name: 'shell', parameters: null, strict: false },
    {
      type: 'namespace',
      name: 'crm',
      description: 'crm',
      tools: [
        { type: 'function', name: 'find', parameters: { type: 'object' }, strict: false },
        { type: 'custom', name: 'edit', description: 'Edit' },
      ],
    },
    { type: 'namespace', name: 'docs', description: 'docs', tools: [{ type: 'function', name: 'read', parameters: null, strict: false }] },
    { type: 'function', name: 'plan', parameters: null, strict: false },
  ])
  t.strictSame(body.input.slice(1), [
    { type: 'function_call', call_id: 'c1', name: 'find', arguments: '{"q":1}', namespace: 'crm' },
    { type: 'custom_tool_call', call_id: 'c2', name: 'edit', input: 'raw', namespace: 'crm' },
    { type: 'function_call_output', call_id: 'c1', output: '' },
    { type: 'custom_tool_call_output', call_id: 'c2', output: '' },
  ])
})

t.test('reasoning: openai-signed replayed with encrypted_content (include added); anthropic and unsigned dropped (§6.9)', async t => {
  const body = bodyOf({
    ...base,
    messages: [
      HI,
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Thinking about it', signature: { family: 'openai', value: 'gAAAA-enc' } },
          { type: 'reasoning', text: '', signature: { family: 'openai', value: 'gAAAA-enc2' } },
          { type: 'reasoning', text: 'claude thought', signature: { family: 'anthropic', value: 'sig' } },
          { type: 'reasoning', text: 'redacted', redacted: true, signature: { family: 'anthropic', value: 'data' } },
          { type: 'reasoning', text: 'gemini thought', signature: { family: 'gemini', value: 'ts' } },
          { type: 'reasoning', text: 'unsigned' },
          { type: 'text', text: 'Answer' },
          { type: 'refusal', text: 'Not that.' },
        ],
      },
    ],
  })
  t.strictSame(body.input.slice(1), [
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking about it' }], encrypted_content: 'gAAAA-enc' },
    { type: 'reasoning', summary: [], encrypted_content: 'gAAAA-enc2' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Answer' }, { type: 'refusal', refusal: 'Not that.' }] },
  ])
  t.strictSame(body.include, ['reasoning.encrypted_content'], 'replayed reasoning keeps round-tripping')
  t.notOk('reasoning' in body, 'no reasoning knob invented')
  const foreignOnly = bodyOf({ ...base, messages: [HI, { role: 'assistant', parts: [{ type: 'reasoning', text: 't', signature: { family: 'anthropic', value: 's' } }] }] })
  t.strictSame(foreignOnly.input, [userText('hi')], 'an assistant message left empty is not sent')
  t.notOk('include' in foreignOnly)
})

t.test('assistant parts keep their order: text runs become one message, calls and reasoning split them', async t => {
  t.strictSame(inputOf([
    HI,
    {
      role: 'assistant',
      parts: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
        { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' },
        { type: 'reasoning', text: 'r', signature: { family: 'openai', value: 'e' } },
        { type: 'text', text: 'c' },
      ],
    },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'ok' }] }] },
  ]).slice(1), [
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }, { type: 'output_text', text: 'b' }] },
    { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'r' }], encrypted_content: 'e' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'c' }] },
    { type: 'function_call_output', call_id: 'c1', output: 'ok' },
  ])
})

t.test('orphan calls get a synthetic error output after their assistant message; a result answering no earlier call is rejected (§7.32)', async t => {
  t.strictSame(inputOf([
    HI,
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' }, { type: 'tool-call', id: 'c2', name: 'p', arguments: 'x', toolKind: 'custom' }] },
    { role: 'user', parts: [{ type: 'text', text: 'never mind' }] },
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c3', name: 'f', arguments: '{}' }] },
    { role: 'user', parts: [{ type: 'text', text: 'wait' }] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c3', content: [{ type: 'text', text: 'late' }] }] },
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c4', name: 'f', arguments: '{}' }] },
  ]).slice(1), [
    { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
    { type: 'custom_tool_call', call_id: 'c2', name: 'p', input: 'x' },
    { type: 'function_call_output', call_id: 'c1', output: 'Error: tool result missing' },
    { type: 'custom_tool_call_output', call_id: 'c2', output: 'Error: tool result missing' },
    userText('never mind'),
    { type: 'function_call', call_id: 'c3', name: 'f', arguments: '{}' },
    userText('wait'),
    { type: 'function_call_output', call_id: 'c3', output: 'late' },
    { type: 'function_call', call_id: 'c4', name: 'f', arguments: '{}' },
    { type: 'function_call_output', call_id: 'c4', output: 'Error: tool result missing' },
  ])
  t.throws(() => inputOf([HI, { role: 'user', parts: [{ type: 'text', text: 'x' }, { type: 'tool-result', toolCallId: 'ghost', content: [] }] }]), {
    code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[1].content[1]', message: /ghost answers no earlier tool call/,
  })
  t.throws(() => inputOf([
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [] }] },
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' }] },
  ]), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[0].content[0]' }, 'a result before its call')
})

t.test('no item in input carries an id (store:false, §7.23)', async t => {
  const body = bodyOf({
    ...base,
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'q' }, { type: 'image', url: 'https://x/a.png' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'r', signature: { family: 'openai', value: 'enc' } },
          { type: 'text', text: 't' },
          { type: 'tool-call', id: 'fc_123', name: 'f', arguments: '{}' },
          { type: 'tool-call', id: 'ctc_9', name: 'g', arguments: 'x', toolKind: 'custom' },
        ],
      },
      { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'fc_123', content: [{ type: 'text', text: 'r' }] }] },
    ],
  })
  t.equal(body.store, false)
  t.notOk(keysOf(body.input).has('id'))
  t.strictSame((body.input as Array<{ type: string }>).map(i => i.type), [
    'message', 'reasoning', 'message', 'function_call', 'custom_tool_call', 'custom_tool_call_output', 'function_call_output',
  ])
})

t.test('unrepresentable settings are rejected naming the field; top_k is dropped', async t => {
  t.throws(() => bodyOf({ ...base, stop: ['END'] }), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'stop', statusCode: 400 })
  t.throws(() => bodyOf({ ...base, seed: 1 }), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'seed' })
  t.throws(() => bodyOf({ ...base, presencePenalty: 0.1 }), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'presence_penalty' })
  t.throws(() => bodyOf({ ...base, frequencyPenalty: 0.1 }), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'frequency_penalty' })
  t.notOk('stop' in bodyOf({ ...base, stop: [] }), 'an empty stop list asks for nothing')
  t.strictSame(bodyOf({ ...base, topK: 40 }), bodyOf(base))
})

t.test('max_output_tokens capped by maxOutputTokens; sampling passed; no limit invented', async t => {
  const req: CanonicalRequest = { ...base, maxTokens: 9000, temperature: 0.3, topP: 0.9 }
  t.match(bodyOf(req), { max_output_tokens: 9000, temperature: 0.3, top_p: 0.9 })
  t.equal(bodyOf(req, { ...OPTIONS, maxOutputTokens: 1000 }).max_output_tokens, 1000)
  t.equal(bodyOf({ ...req, maxTokens: 500 }, { ...OPTIONS, maxOutputTokens: 1000 }).max_output_tokens, 500)
  t.notOk('max_output_tokens' in bodyOf(base, { ...OPTIONS, maxOutputTokens: 1000 }))
  t.notOk('max_tokens' in bodyOf(req))
})

t.test('reasoning → reasoning{effort, summary} and include (§6.9)', async t => {
  const of = (reasoning: CanonicalRequest['reasoning']) => {
    const body = bodyOf({ ...base, reasoning })
    return { reasoning: body.reasoning, include: body.include }
  }
  const include = ['reasoning.encrypted_content']
  t.strictSame(of({ mode: 'off' }), { reasoning: { effort: 'none' }, include: undefined })
  t.strictSame(of({ mode: 'on', effort: 'high', budgetTokens: 100 }), { reasoning: { effort: 'high', summary: 'auto' }, include })
  t.strictSame(of({ mode: 'on', budgetTokens: 1024 }).reasoning, { effort: 'low', summary: 'auto' })
  t.strictSame(of({ mode: 'on', budgetTokens: 5000 }).reasoning, { effort: 'medium', summary: 'auto' })
  t.strictSame(of({ mode: 'on', budgetTokens: 30000, summary: 'detailed' }).reasoning, { effort: 'high', summary: 'detailed' })
  t.strictSame(of({ mode: 'on', effort: 'low', visible: false }).reasoning, { effort: 'low' }, 'hidden thinking asks for no summary')
  t.strictSame(of({ mode: 'on' }), { reasoning: { summary: 'auto' }, include })
  t.strictSame(of({ mode: 'adaptive' }), { reasoning: { summary: 'auto' }, include })
  t.strictSame(of({ mode: 'adaptive', effort: 'xhigh', budgetTokens: 9000 }).reasoning, { effort: 'xhigh', summary: 'auto' })
  t.strictSame(bodyOf({ ...base, encryptedReasoning: true }).include, include, 'the client asked for encrypted reasoning')
  t.notOk('include' in bodyOf(base))
})

t.test('responseFormat and verbosity → text{format, verbosity}', async t => {
  const schema = { type: 'object' }
  t.strictSame(bodyOf({ ...base, responseFormat: { type: 'json_object' } }).text, { format: { type: 'json_object' } })
  t.strictSame(bodyOf({ ...base, responseFormat: { type: 'text' }, verbosity: 'low' }).text, { format: { type: 'text' }, verbosity: 'low' })
  t.strictSame(bodyOf({ ...base, verbosity: 'high' }).text, { verbosity: 'high' })
  t.strictSame(bodyOf({ ...base, responseFormat: { type: 'json_schema', schema, name: 'out', strict: true, description: 'd' } }).text,
    { format: { type: 'json_schema', name: 'out', schema, description: 'd', strict: true } })
  t.strictSame(bodyOf({ ...base, responseFormat: { type: 'json_schema', schema } }).text, { format: { type: 'json_schema', name: 'response', schema } })
  t.notOk('text' in bodyOf(base))
})

t.test('user → safety_identifier; ids over 64 characters sent as their SHA-256 hex digest', async t => {
  t.equal(bodyOf({ ...base, user: 'u1' }).safety_identifier, 'u1')
  const long = 'user_' + 'a'.repeat(64) + '_account__session_0000'
  t.equal(bodyOf({ ...base, user: long }).safety_identifier, createHash('sha256').update(long).digest('hex'))
  t.notOk('user' in bodyOf({ ...base, user: 'u1' }))
})

t.test('configured instructions (Codex-style backend): sent byte-exact; client system text becomes the first developer message', async t => {
  const CODEX = 'You are Codex.\n  Keep this   exact. '
  const codex: BackendOptions = { ...OPTIONS, instructions: CODEX }
  t.strictSame(bodyOf(base, codex), { model: 'gpt-up', input: [userText('hi')], store: false, stream: false, instructions: CODEX }, 'no client system: the configured text alone')
  const withSystem = bodyOf({ ...base, system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use French.' }] }, codex)
  t.equal(withSystem.instructions, CODEX, 'never prefixed, suffixed or merged')
  t.strictSame(withSystem.input, [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.\n\nUse French.' }] },
    userText('hi'),
  ], "the client's system text is kept, first, as a developer message")
  const same = bodyOf({ ...base, system: [{ type: 'text', text: CODEX }] }, codex)
  t.strictSame({ instructions: same.instructions, input: same.input }, { instructions: CODEX, input: [userText('hi')] }, 'a client sending the configured prompt itself does not get it twice')
})

t.test('configured include: merged without duplicates on every request, encrypted reasoning kept with reasoning off', async t => {
  const enc = 'reasoning.encrypted_content'
  const codex: BackendOptions = { ...OPTIONS, include: [enc] }
  t.strictSame(bodyOf(base, codex).include, [enc], 'no reasoning asked: the configured value alone')
  const off = bodyOf({ ...base, reasoning: { mode: 'off' } }, codex)
  t.strictSame({ reasoning: off.reasoning, include: off.include }, { reasoning: { effort: 'none' }, include: [enc] }, 'reasoning off: still asked for')
  t.strictSame(bodyOf({ ...base, reasoning: { mode: 'on', effort: 'low' } }, codex).include, [enc], 'asked twice, sent once')
  const more: BackendOptions = { ...OPTIONS, include: ['message.output_text.logprobs', enc, 'message.output_text.logprobs'] }
  t.strictSame(bodyOf({ ...base, encryptedReasoning: true }, more).include, [enc, 'message.output_text.logprobs'])
  t.strictSame(bodyOf(base, { ...OPTIONS, include: [] }).include, undefined, 'an empty list sends no include')
})

t.test('store is false and stream follows the canonical request, whatever the backend options', async t => {
  const codex: BackendOptions = { ...OPTIONS, instructions: 'x', include: ['reasoning.encrypted_content'], forceStream: true }
  t.strictSame([bodyOf(base, codex).store, bodyOf(base, codex).stream], [false, false], 'forceStream is the handler\'s business: the encoder writes what it is given')
  t.strictSame([bodyOf({ ...base, stream: true }, codex).store, bodyOf({ ...base, stream: true }, codex).stream], [false, true])
})
