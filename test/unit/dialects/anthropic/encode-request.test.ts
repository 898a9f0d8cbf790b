// CanonicalRequest → Anthropic Messages call (PROTOCOLS.md §3.1, §6, §7.6-9, §7.30-34;
// conformance cases 10, 27).
import t from 'tap'
import type { CanonicalMessage, CanonicalRequest } from '../../../../src/canonical/request.js'
import { countTokens, encodeRequest, JSON_OBJECT_INSTRUCTION } from '../../../../src/dialects/anthropic/encode-request.js'
import { decodeCountTokens } from '../../../../src/dialects/anthropic/decode-response.js'
import type { MessagesBody } from '../../../../src/dialects/anthropic/wire-request.js'
import { decodeRequest } from '../../../../src/dialects/anthropic/decode-request.js'
import type { BackendOptions } from '../../../../src/dialects/types.js'
import { ANTHROPIC_TOOL_IDS, legalToolId } from '../../../../src/dialects/shared/tool-ids.js'

const OPTIONS: BackendOptions = { model: 'claude-up', defaultMaxTokens: 4096 }
const user = (text: string): CanonicalMessage => ({ role: 'user', parts: [{ type: 'text', text }] })
const req = (extra: Partial<CanonicalRequest> = {}): CanonicalRequest => ({ model: 'client-model', system: [], messages: [user('hi')], stream: false, ...extra })
const body = (r: CanonicalRequest, options = OPTIONS): MessagesBody => encodeRequest(r, options).body as MessagesBody

t.test('the call: POST /messages, upstream model, default max_tokens, stream flag', async t => {
  const call = encodeRequest(req({ stream: true }), OPTIONS)
  t.strictSame(call, {
    method: 'POST',
    path: '/messages',
    query: '',
    body: { model: 'claude-up', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true },
  })
  t.equal(body(req({ maxTokens: 64000 }), { ...OPTIONS, maxOutputTokens: 16384 }).max_tokens, 16384, 'capped (§7.31)')
  t.equal(body(req({ maxTokens: 100 }), { ...OPTIONS, maxOutputTokens: 16384 }).max_tokens, 100)
})

t.test('system blocks keep cache_control; empty system is omitted; sampling and user map', async t => {
  const b = body(req({
    system: [{ type: 'text', text: 'A', cacheControl: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'B' }],
    temperature: 1.7, topP: 0.5, topK: 20, stop: ['END'], user: 'u-1', includeUsage: true,
  }))
  t.strictSame(b.system, [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'B' }])
  t.equal(b.temperature, 1, 'OpenAI 0-2 temperature clamped to 1')
  t.equal(b.top_p, 0.5)
  t.equal(b.top_k, 20)
  t.strictSame(b.stop_sequences, ['END'])
  t.strictSame(b.metadata, { user_id: 'u-1' })
  t.notOk('system' in body(req()))
})

t.test('alternation: empty text dropped, empty messages dropped, same-role runs merged (§7.34, conformance 27)', async t => {
  const b = body(req({
    messages: [
      user('a'),
      { role: 'assistant', parts: [{ type: 'text', text: '' }] },
      user('b'),
      { role: 'assistant', parts: [{ type: 'text', text: '' }, { type: 'tool-call', id: 'call_1', name: 'f', arguments: '' }] },
      { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'ok' }] }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'done' }] },
      { role: 'assistant', parts: [{ type: 'refusal', text: 'but no more' }] },
    ],
  }))
  t.strictSame(b.messages, [
    { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'f', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'ok' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'done' }, { type: 'text', text: 'but no more' }] },
  ])
  const texts = JSON.stringify(b.messages).match(/"text":""/g)
  t.equal(texts, null, 'no empty text block anywhere')
})

t.test('tool results come first, in the very next user message; orphan calls get an error result (§7.9, §7.32)', async t => {
  const b = body(req({
    messages: [
      user('go'),
      {
        role: 'assistant',
        parts: [
          { type: 'tool-call', id: 'a', name: 'f', arguments: '{"x":1}' },
          { type: 'tool-call', id: 'b', name: 'g', arguments: '{}' },
        ],
      },
      { role: 'user', parts: [{ type: 'text', text: '[Request interrupted by user]' }, { type: 'tool-result', toolCallId: 'a', content: [], isError: true }] },
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{}' }] },
    ],
  }))
  t.strictSame(b.messages.slice(1), [
    { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'f', input: { x: 1 } }, { type: 'tool_use', id: 'b', name: 'g', input: {} }] },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'a', is_error: true },
        { type: 'tool_result', tool_use_id: 'b', content: 'tool result missing', is_error: true },
        { type: 'text', text: '[Request interrupted by user]' },
      ],
    },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'c', name: 'f', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c', content: 'tool result missing', is_error: true }] },
  ])
})

t.test('a conversation starting with the assistant is sent as is (nothing invented)', async t => {
  const b = body(req({ messages: [{ role: 'assistant', parts: [{ type: 'text', text: 'Hello!' }] }, user('hi')] }))
  t.strictSame(b.messages.map(m => m.role), ['assistant', 'user'])
})

t.test('a tool result answering no call of the previous assistant message is rejected naming the message', async t => {
  t.throws(() => body(req({ messages: [{ role: 'user', parts: [{ type: 'tool-result', toolCallId: 'x', content: [] }] }] })),
    { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[0]' })
})

t.test('long or illegal ids are mapped the same way on tool_use and tool_result (§6.5)', async t => {
  const long = 'call_' + 'x'.repeat(80)
  const odd = 'functions.get_weather:0'
  const b = body(req({
    messages: [
      user('go'),
      { role: 'assistant', parts: [{ type: 'tool-call', id: long, name: 'f', arguments: '{}' }, { type: 'tool-call', id: odd, name: 'g', arguments: '{}' }] },
      { role: 'user', parts: [{ type: 'tool-result', toolCallId: odd, content: [] }, { type: 'tool-result', toolCallId: long, content: [] }] },
    ],
  }))
  const [useA, useB] = b.messages[1]?.content as unknown as Array<{ id: string }>
  const [resB, resA] = b.messages[2]?.content as unknown as Array<{ tool_use_id: string }>
  t.equal(useA?.id, legalToolId(long, ANTHROPIC_TOOL_IDS))
  t.not(useA?.id, long)
  t.match(useA?.id, /^toolu_[A-Za-z0-9_-]{1,58}$/)
  t.match(useB?.id, /^toolu_/)
  t.equal(resA?.tool_use_id, useA?.id)
  t.equal(resB?.tool_use_id, useB?.id)
  t.equal(b.messages.length, 3, 'no synthesised results: every call is answered')
})

t.test('tool arguments: "" is {}, invalid JSON names the part, custom calls wrap raw text', async t => {
  const call = (args: string, toolKind?: 'custom') => body(req({
    messages: [user('go'), { role: 'assistant', parts: [{ type: 'tool-call', id: 'a', name: 'f', arguments: args, ...(toolKind === undefined ? {} : { toolKind }) }] }],
  })).messages[1]?.content[0]
  t.match(call(''), { input: {} })
  t.match(call('*** Begin Patch\n', 'custom'), { input: { input: '*** Begin Patch\n' } })
  t.throws(() => call('{"a":'), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[1].content[0]' })
  t.throws(() => call('[1]'), { code: 'SWY_ERR_CONVERT_INVALID' })
})

t.test('reasoning: only anthropic-signed parts are replayed, byte-exact; foreign or unsigned are dropped (§6.9, §7.8)', async t => {
  const sig = 'EqQBCkYIBxgCKkD+/=='
  const b = body(req({
    messages: [
      user('q'),
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Thinking  exactly\n', signature: { family: 'anthropic', value: sig } },
          { type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: 'REDACTED' } },
          { type: 'reasoning', text: 'openai summary', signature: { family: 'openai', value: 'enc' } },
          { type: 'reasoning', text: 'gemini thought', signature: { family: 'gemini', value: 'g' } },
          { type: 'reasoning', text: 'chat reasoning_content' },
          { type: 'text', text: 'A' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'reasoning', text: 'only foreign', signature: { family: 'openai', value: 'x' } }] },
    ],
  }))
  t.strictSame(b.messages[1], {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'Thinking  exactly\n', signature: sig },
      { type: 'redacted_thinking', data: 'REDACTED' },
      { type: 'text', text: 'A' },
    ],
  })
  t.equal(b.messages.length, 2, 'a message holding only foreign reasoning is dropped')
})

t.test('an anthropic thinking block survives a swy1 envelope round trip through another client, byte-exact', async t => {
  // What a non-Anthropic client carries: the envelope the Responses/Chat encoders would mint.
  const { sealEnvelope } = await import('../../../../src/canonical/signature.js')
  const envelope = sealEnvelope({ family: 'anthropic', value: 'SIG+/=' }, 'Exact text.')
  const decoded = decodeRequest({
    model: 'm', max_tokens: 10,
    messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 'display copy', signature: envelope }] }],
  }, { dialect: 'anthropic', operation: 'messages' })
  t.strictSame(body(decoded).messages[1]?.content, [{ type: 'thinking', thinking: 'Exact text.', signature: 'SIG+/=' }])
})

t.test('images: data URL → base64 (jpeg/png/gif/webp only), http(s) → url source', async t => {
  const img = (url: string) => body(req({ messages: [{ role: 'user', parts: [{ type: 'image', url, detail: 'high' }] }] })).messages[0]?.content[0]
  t.strictSame(img('data:image/png;base64,iVBO'), { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } })
  t.strictSame(img('https://x/y.jpg'), { type: 'image', source: { type: 'url', url: 'https://x/y.jpg' } })
  t.throws(() => img('data:image/bmp;base64,Qk0='), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'messages[0].content[0]' })
  t.throws(() => img('data:image/png,rawbytes'), { code: 'SWY_ERR_CONVERT_INVALID' })
})

t.test('documents: pdf data URL, url, text (filename becomes the title), cache_control kept', async t => {
  const doc = (part: object) => body(req({ messages: [{ role: 'user', parts: [{ type: 'document', ...part }] }] })).messages[0]?.content[0]
  t.strictSame(doc({ url: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' }),
    { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' }, title: 'a.pdf' })
  t.strictSame(doc({ url: 'https://x/a.pdf', title: 'T', cacheControl: { type: 'ephemeral' } }),
    { type: 'document', source: { type: 'url', url: 'https://x/a.pdf' }, title: 'T', cache_control: { type: 'ephemeral' } })
  t.strictSame(doc({ text: 'words' }), { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'words' } })
  t.strictSame(doc({ url: 'data:text/plain;base64,' + Buffer.from('héllo').toString('base64') }),
    { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } })
  t.throws(() => doc({ url: 'data:application/zip;base64,UEs=' }), { code: 'SWY_ERR_CONVERT_UNSUPPORTED' })
})

t.test('tool results: string, blocks with images, is_error, cache_control', async t => {
  const b = body(req({
    messages: [
      user('go'),
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'a', name: 'read', arguments: '{}' }] },
      {
        role: 'user',
        parts: [{
          type: 'tool-result', toolCallId: 'a', isError: false, cacheControl: { type: 'ephemeral' },
          content: [{ type: 'text', text: 'see' }, { type: 'image', url: 'data:image/jpeg;base64,/9j/' }],
        }],
      },
    ],
  }))
  t.strictSame(b.messages[2]?.content, [{
    type: 'tool_result',
    tool_use_id: 'a',
    content: [{ type: 'text', text: 'see' }, { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } }],
    is_error: false,
    cache_control: { type: 'ephemeral' },
  }])
})

t.test('tools: input_schema always an object schema; custom tools take one string; strict and cache kept', async t => {
  const b = body(req({
    tools: [
      { kind: 'function', name: 'a', description: 'd', parameters: { type: 'object', properties: { x: { type: 'string' } } }, strict: true, cacheControl: { type: 'ephemeral' } },
      { kind: 'function', name: 'b' },
      { kind: 'function', name: 'c', parameters: { properties: { y: { type: 'number' } } } },
      { kind: 'custom', name: 'apply_patch', description: 'patch', format: { type: 'text' } },
    ],
  }))
  t.strictSame(b.tools, [
    { name: 'a', input_schema: { type: 'object', properties: { x: { type: 'string' } } }, description: 'd', strict: true, cache_control: { type: 'ephemeral' } },
    { name: 'b', input_schema: { type: 'object', properties: {} } },
    { name: 'c', input_schema: { type: 'object', properties: { y: { type: 'number' } } } },
    { name: 'apply_patch', input_schema: { type: 'object', properties: { input: { type: 'string', description: 'The raw input for the tool.' } }, required: ['input'] }, description: 'patch' },
  ])
  t.throws(() => body(req({ tools: [{ kind: 'function', name: 'z', parameters: { type: 'string' } }] })),
    { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'tools[0].parameters' })
})

t.test('tool_choice (§6.4): any/tool/none/auto, parallel off, no tools → none sent, thinking downgrades forced choices', async t => {
  const tools = [{ kind: 'function' as const, name: 'f' }]
  const tc = (extra: Partial<CanonicalRequest>) => body(req({ tools, ...extra })).tool_choice
  t.strictSame(tc({ toolChoice: { type: 'required' } }), { type: 'any' })
  t.strictSame(tc({ toolChoice: { type: 'tool', name: 'f' }, parallelToolCalls: false }), { type: 'tool', name: 'f', disable_parallel_tool_use: true })
  t.strictSame(tc({ toolChoice: { type: 'none' }, parallelToolCalls: false }), { type: 'none' })
  t.strictSame(tc({ parallelToolCalls: false }), { type: 'auto', disable_parallel_tool_use: true })
  t.equal(tc({}), undefined)
  t.equal(body(req({ toolChoice: { type: 'required' } })).tool_choice, undefined, 'no tools, no tool_choice')
  t.strictSame(tc({ toolChoice: { type: 'required' }, reasoning: { mode: 'on', budgetTokens: 2000 } }), { type: 'auto' })
  t.strictSame(tc({ toolChoice: { type: 'tool', name: 'f' }, reasoning: { mode: 'adaptive' }, parallelToolCalls: false }), { type: 'auto', disable_parallel_tool_use: true })
  t.strictSame(tc({ toolChoice: { type: 'required' }, reasoning: { mode: 'off' } }), { type: 'any' })
})

t.test('conformance 10: reasoning_effort high + max_tokens 1000 → thinking enabled, budget ≥1024, max_tokens > budget, no temperature', async t => {
  const b = body(req({ maxTokens: 1000, temperature: 0.2, topK: 5, topP: 0.5, reasoning: { mode: 'on', effort: 'high' } }))
  t.equal(b.thinking?.type, 'enabled')
  const budget = b.thinking?.type === 'enabled' ? b.thinking.budget_tokens : 0
  t.ok(budget >= 1024, 'budget ≥ 1024')
  t.equal(budget, 24576, 'the effort table')
  t.equal(b.max_tokens, budget + 1000, 'raised to budget + requested output')
  t.notOk('temperature' in b)
  t.notOk('top_k' in b)
  t.notOk('top_p' in b, 'top_p below 0.95 is not allowed while thinking')
  t.notOk('output_config' in b, 'an effort that became a budget is not sent again')
})

t.test('thinking budget rules', async t => {
  const th = (reasoning: CanonicalRequest['reasoning'], extra: Partial<CanonicalRequest> = {}, options = OPTIONS) => {
    const b = body(req({ reasoning, ...extra }), options)
    return { thinking: b.thinking, max: b.max_tokens, effort: b.output_config?.effort, top_p: b.top_p, temperature: b.temperature }
  }
  t.match(th({ mode: 'on', budgetTokens: 500 }, { maxTokens: 8000 }), { thinking: { type: 'enabled', budget_tokens: 1024 }, max: 8000 })
  t.match(th({ mode: 'on', budgetTokens: 31999 }, { maxTokens: 32000 }), { thinking: { budget_tokens: 31999 }, max: 32000 }, "Claude Code's own pair untouched")
  t.match(th({ mode: 'on' }, { maxTokens: 100 }), { thinking: { budget_tokens: 8192 }, max: 8292 }, 'no budget nor effort: medium')
  t.match(th({ mode: 'on', budgetTokens: 31999 }, { maxTokens: 32000 }, { ...OPTIONS, maxOutputTokens: 16000 }), { thinking: { budget_tokens: 8000 }, max: 16000 })
  t.match(th({ mode: 'on', budgetTokens: 4000 }, { maxTokens: 100 }, { ...OPTIONS, maxOutputTokens: 1500 }), { thinking: { budget_tokens: 1400 }, max: 1500 })
  t.throws(() => th({ mode: 'on', budgetTokens: 4000 }, { maxTokens: 1500 }, { ...OPTIONS, maxOutputTokens: 1500 }), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'reasoning' })
  t.match(th({ mode: 'on', budgetTokens: 2048, visible: false }, { topP: 0.97, temperature: 0.5 }), { thinking: { type: 'enabled', budget_tokens: 2048, display: 'omitted' }, top_p: 0.97, temperature: undefined })
  t.match(th({ mode: 'on', budgetTokens: 2048, effort: 'high' }), { effort: 'high' }, 'effort sent beside an explicit budget')
  t.strictSame(th({ mode: 'off' }, { temperature: 0.3 }).thinking, { type: 'disabled' })
  t.equal(th({ mode: 'off' }, { temperature: 0.3 }).temperature, 0.3)
  t.strictSame(th({ mode: 'on', effort: 'none' }).thinking, { type: 'disabled' })
  t.match(th({ mode: 'adaptive', effort: 'xhigh', visible: true }), { thinking: { type: 'adaptive', display: 'summarized' }, effort: 'xhigh' })
  t.match(th({ mode: 'adaptive', effort: 'minimal' }), { effort: 'low' })
  t.equal(th(undefined).thinking, undefined)
})

t.test('response formats: json_schema → output_config.format; json_object → a system instruction', async t => {
  const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }
  t.strictSame(body(req({ responseFormat: { type: 'json_schema', schema, name: 'n', strict: true } })).output_config, { format: { type: 'json_schema', schema } })
  const b = body(req({ system: [{ type: 'text', text: 'Be brief.' }], responseFormat: { type: 'json_object' } }))
  t.strictSame(b.system, [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: JSON_OBJECT_INSTRUCTION }])
  t.notOk('output_config' in body(req({ responseFormat: { type: 'text' } })))
})

t.test('seed, presence_penalty, frequency_penalty are rejected naming the field', async t => {
  t.throws(() => body(req({ seed: 1 })), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'seed' })
  t.throws(() => body(req({ presencePenalty: 0.5 })), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'presence_penalty' })
  t.throws(() => body(req({ frequencyPenalty: 0.5 })), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'frequency_penalty' })
})

t.test('count_tokens: the prompt-shaping subset at /messages/count_tokens; the count is read back', async t => {
  const r = req({
    system: [{ type: 'text', text: 'S' }],
    tools: [{ kind: 'function', name: 'f' }],
    toolChoice: { type: 'auto' },
    reasoning: { mode: 'on', budgetTokens: 2048 },
    temperature: 0.5,
    stream: true,
  })
  t.strictSame(countTokens(r, OPTIONS), {
    method: 'POST',
    path: '/messages/count_tokens',
    query: '',
    body: {
      model: 'claude-up',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      system: [{ type: 'text', text: 'S' }],
      tools: [{ name: 'f', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'auto' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
    },
  })
  t.equal(decodeCountTokens({ input_tokens: 42 }), 42)
  t.throws(() => decodeCountTokens({ tokens: 42 }), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
  t.throws(() => decodeCountTokens(undefined), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA' })
})

t.test('namespaced tools are named <namespace>__<name> in tools, tool_choice and replayed tool_use', async t => {
  const b = body(req({
    tools: [{ kind: 'function', name: 'lookup', namespace: 'crm' }, { kind: 'custom', name: 'note', namespace: 'crm' }, { kind: 'function', name: 'lookup' }],
    toolChoice: { type: 'tool', name: 'note' },
    messages: [
      user('go'),
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'toolu_1', name: 'note', namespace: 'crm', arguments: 'raw', toolKind: 'custom' }] },
      { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'ok' }] }] },
    ],
  }))
  t.strictSame(b.tools?.map(tool => tool.name), ['crm__lookup', 'crm__note', 'lookup'])
  t.strictSame(b.tool_choice, { type: 'tool', name: 'crm__note' })
  t.strictSame(b.messages[1], { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'crm__note', input: { input: 'raw' } }] })
  t.strictSame(body(req({ tools: [{ kind: 'function', name: 'lookup', namespace: 'crm' }, { kind: 'function', name: 'lookup' }], toolChoice: { type: 'tool', name: 'lookup' } })).tool_choice,
    { type: 'tool', name: 'lookup' }, 'a plain tool of the chosen name wins')
  t.throws(() => body(req({ tools: [{ kind: 'function', name: 'b', namespace: 'a' }, { kind: 'function', name: 'a__b' }] })),
    { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'tools[1]' })
})

t.test('verbosity has no Anthropic knob and is not sent', async t => {
  t.notOk('verbosity' in body(req({ verbosity: 'high' })))
})
