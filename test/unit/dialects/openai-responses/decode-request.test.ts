// Responses request → canonical (PROTOCOLS.md §2.1, §6.1–6.6, §6.9, §6.10, §7.23, §7.24, §7.32,
// §9) and the field-path errors: everything is mapped, ignored with a reason, named in
// `dropped`, or rejected naming its path.
import t, { type Test } from 'tap'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { sealEnvelope } from '../../../../src/canonical/signature.js'
import { encodeRequest as encodeAnthropic } from '../../../../src/dialects/anthropic/encode-request.js'
import type { MessagesBody } from '../../../../src/dialects/anthropic/wire-request.js'
import { decodeRequest, decodeStatefulRequest, IGNORED_FIELDS } from '../../../../src/dialects/openai-responses/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'openai-responses', operation: 'responses' }
const base = { model: 'gpt', input: 'hi' }
const decode = (body: unknown): CanonicalRequest => decodeRequest(body, OP)
const withInput = (input: unknown[], extra: object = {}) => decode({ model: 'gpt', input, ...extra })
const fails = (t: Test, body: unknown, message: string, code = 'SWY_ERR_CONVERT_INVALID', op = OP) =>
  t.throws(() => decodeRequest(body, op), { message, code, statusCode: 400 }, message)
const unsupported = (t: Test, body: unknown, message: string) => fails(t, body, message, 'SWY_ERR_CONVERT_UNSUPPORTED')
const text = (s: string) => ({ type: 'text', text: s })
const userSays = (s: string) => ({ role: 'user', content: s })

t.test('string input, instructions, limits, sampling, parallel_tool_calls, user', async t => {
  t.strictSame(decode({ ...base, instructions: 'Be brief.', stream: true, max_output_tokens: 20, temperature: 0.3, top_p: 1, store: true, user: 'u', parallel_tool_calls: false }), {
    model: 'gpt', system: [text('Be brief.')], messages: [{ role: 'user', parts: [text('hi')] }],
    stream: true, maxTokens: 20, temperature: 0.3, topP: 1, parallelToolCalls: false, user: 'u',
  })
  t.equal(decode({ ...base, user: 'old', safety_identifier: 'new' }).user, 'new', 'safety_identifier wins')
  t.strictSame(decode({ ...base, store: false, truncation: 'disabled', background: false, top_logprobs: 0 }).dropped, undefined, 'nothing dropped')
})

t.test('message items: instructions then system/developer items; replayed assistant output; images', async t => {
  const req = decode({
    model: 'gpt',
    instructions: 'A',
    input: [
      { role: 'developer', content: 'B' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'https://x/i.png', detail: 'auto' }] },
      { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', phase: 'final_answer', content: [{ type: 'output_text', text: 'seen', annotations: [], logprobs: [] }] },
      { role: 'system', content: [{ type: 'input_text', text: 'C' }] },
    ],
  })
  t.strictSame(req.system, [text('A'), text('B'), text('C')])
  t.strictSame(req.messages, [
    { role: 'user', parts: [text('look'), { type: 'image', url: 'https://x/i.png', detail: 'auto' }] },
    { role: 'assistant', parts: [text('seen')] },
  ])
})

t.test('a Codex turn: reasoning, preamble, calls fold into ONE assistant turn; outputs into ONE user message (§9)', async t => {
  const req = decode({
    model: 'gpt-5',
    instructions: 'You are Codex.',
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix it' }] },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Plan.' }], encrypted_content: 'gAAAA' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
      { type: 'function_call', id: 'fc_1', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
      { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch', call_id: 'call_2' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
      { type: 'custom_tool_call_output', call_id: 'call_2', output: 'Done' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'thanks' }] },
    ],
    tools: [{ type: 'function', name: 'shell', parameters: { type: 'object', properties: {} }, strict: false }],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'conv-1',
    text: { verbosity: 'low' },
  })
  t.strictSame(req.system, [text('You are Codex.'), text('<permissions>')])
  t.strictSame(req.messages, [
    { role: 'user', parts: [text('fix it')] },
    {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Plan.', signature: { family: 'openai', value: 'gAAAA' } },
        text('Looking.'),
        { type: 'tool-call', id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
        { type: 'tool-call', id: 'call_2', name: 'apply_patch', arguments: '*** Begin Patch', toolKind: 'custom' },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool-result', toolCallId: 'call_1', name: 'shell', content: [text('a.txt')] },
        { type: 'tool-result', toolCallId: 'call_2', name: 'apply_patch', content: [text('Done')] },
      ],
    },
    { role: 'user', parts: [text('thanks')] },
  ])
  t.match(req, {
    tools: [{ kind: 'function', name: 'shell', parameters: { type: 'object', properties: {} }, strict: false }],
    toolChoice: { type: 'auto' }, parallelToolCalls: true, reasoning: { mode: 'on', effort: 'medium', summary: 'auto' },
    encryptedReasoning: true, verbosity: 'low', stream: true,
  })
  t.equal(req.dropped, undefined)
})

t.test('folding: a second answer is a new turn; system items do not split a turn; outputs before later user text', async t => {
  const req = withInput([
    { role: 'assistant', content: 'one' },
    { role: 'assistant', content: 'two' },
    { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
    { role: 'developer', content: 'mid' },
    { type: 'function_call', call_id: 'c2', name: 'g', arguments: '' },
    { type: 'function_call_output', call_id: 'c1', output: 'r1' },
    { role: 'system', content: 'mid2' },
    { type: 'function_call_output', call_id: 'c2', output: [] },
    userSays('next'),
    { type: 'function_call_output', call_id: 'c9', output: 'late' },
  ])
  t.strictSame(req.system, [text('mid'), text('mid2')])
  t.strictSame(req.messages, [
    { role: 'assistant', parts: [text('one')] },
    {
      role: 'assistant',
      parts: [text('two'), { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' }, { type: 'tool-call', id: 'c2', name: 'g', arguments: '' }],
    },
    {
      role: 'user',
      parts: [{ type: 'tool-result', toolCallId: 'c1', name: 'f', content: [text('r1')] }, { type: 'tool-result', toolCallId: 'c2', name: 'g', content: [] }],
    },
    { role: 'user', parts: [text('next')] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c9', content: [text('late')] }] },
  ], 'an output whose call is not in input has no name')
})

t.test('orphan calls are accepted as sent: the backend encoders answer them (§7.32)', async t => {
  const req = withInput([userSays('go'), { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' }, userSays('stop')])
  t.strictSame(req.messages.map(m => m.role), ['user', 'assistant', 'user'])
})

t.test('tool outputs as parts: text, image, file; namespaced calls keep their namespace', async t => {
  const req = withInput([
    { type: 'function_call', call_id: 'c1', name: 'read', namespace: 'fs', arguments: '{"p":"a"}', status: 'completed', caller: { type: 'direct' } },
    {
      type: 'function_call_output', call_id: 'c1', output: [
        { type: 'input_text', text: 'see' },
        { type: 'input_image', image_url: 'data:image/png;base64,AA', detail: null },
        { type: 'input_file', file_data: 'data:application/pdf;base64,JVB', filename: 'a.pdf' },
      ],
    },
    { type: 'custom_tool_call', call_id: 'c2', name: 'patch', namespace: 'ed', input: 'raw' },
  ])
  t.strictSame(req.messages, [
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'read', arguments: '{"p":"a"}', namespace: 'fs' }] },
    {
      role: 'user',
      parts: [{
        type: 'tool-result', toolCallId: 'c1', name: 'read',
        content: [text('see'), { type: 'image', url: 'data:image/png;base64,AA' }, { type: 'document', url: 'data:application/pdf;base64,JVB', filename: 'a.pdf' }],
      }],
    },
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'c2', name: 'patch', arguments: 'raw', toolKind: 'custom', namespace: 'ed' }] },
  ])
  unsupported(t, { ...base, input: [{ type: 'function_call_output', call_id: 'c', output: [{ type: 'refusal', refusal: 'x' }] }] },
    "input[0].output[0].type: 'refusal' is not supported yet")
  fails(t, { ...base, input: [{ type: 'function_call_output', call_id: 'c' }] }, 'input[0].output: required')
  fails(t, { ...base, input: [{ type: 'function_call', call_id: 'c', name: 'f' }] }, 'input[0].arguments: required')
})

t.test('reasoning: content over summaries, summaries joined, OpenAI signatures, swy1 envelopes restore the original (§6.9)', async t => {
  const thinking = { family: 'anthropic' as const, value: 'sig-abc' }
  const req = withInput([
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'A' }, { type: 'summary_text', text: 'B' }] },
    { type: 'reasoning', id: 'rs_2', summary: [{ type: 'summary_text', text: 'short' }], content: [{ type: 'reasoning_text', text: 'full' }], status: 'completed' },
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'shown' }], encrypted_content: sealEnvelope(thinking, 'exact thinking') },
    { type: 'reasoning', summary: [], encrypted_content: sealEnvelope({ family: 'anthropic', value: 'REDACTED' }, undefined, true) },
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'gemini' }], encrypted_content: sealEnvelope({ family: 'gemini', value: 'ts' }, undefined) },
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'kept' }], encrypted_content: 'swy1.%%%' },
    { type: 'reasoning', summary: [] },
    { type: 'reasoning', summary: [], encrypted_content: null },
  ])
  t.strictSame(req.messages, [{
    role: 'assistant',
    parts: [
      { type: 'reasoning', text: 'A\n\nB' },
      { type: 'reasoning', text: 'full' },
      { type: 'reasoning', text: 'exact thinking', signature: thinking },
      { type: 'reasoning', text: '', signature: { family: 'anthropic', value: 'REDACTED' }, redacted: true },
      { type: 'reasoning', text: 'gemini', signature: { family: 'gemini', value: 'ts' } },
      { type: 'reasoning', text: 'kept' },
    ],
  }], 'a malformed envelope keeps the text and no signature; empty reasoning is skipped')
  fails(t, { ...base, input: [{ type: 'reasoning', summary: [{ type: 'reasoning_text', text: 'x' }] }] }, 'input[0].summary[0].type: must be one of summary_text')
})

t.test('conformance 15/22: a Codex history round-trips to an Anthropic backend with the original thinking signature', async t => {
  const req = withInput([
    userSays('weather?'),
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'think' }], encrypted_content: sealEnvelope({ family: 'anthropic', value: 'SIG' }, 'I should call it.') },
    { type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { type: 'function_call_output', call_id: 'toolu_1', output: 'sunny' },
  ], { tools: [{ type: 'function', name: 'get_weather', parameters: null, strict: false }] })
  const body = encodeAnthropic(req, { model: 'claude', defaultMaxTokens: 1024 }).body as MessagesBody
  t.strictSame(body.messages.slice(1), [
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should call it.', signature: 'SIG' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] },
  ])
})

t.test('client-run hosted tools: local_shell/shell/apply_patch pairs become function calls and results (§9)', async t => {
  const req = withInput([
    { type: 'local_shell_call', id: 'lsh_1', call_id: 'call_1', status: 'completed', action: { type: 'exec', command: ['ls'], env: {} } },
    { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
    { type: 'local_shell_call', id: 'lsh_2', call_id: 'call_2', status: 'completed', action: { type: 'exec', command: ['pwd'], env: {} } },
    { type: 'local_shell_call_output', id: 'lsh_2', output: '/w' },
    { type: 'shell_call', call_id: 'call_3', action: { commands: ['echo hi'] }, environment: null },
    { type: 'shell_call_output', call_id: 'call_3', output: [{ stdout: 'hi\n', stderr: '', outcome: { type: 'exit', exit_code: 0 } }], max_output_length: 100 },
    { type: 'apply_patch_call', call_id: 'call_4', status: 'completed', operation: { type: 'delete_file', path: 'x' } },
    { type: 'apply_patch_call_output', call_id: 'call_4', status: 'failed', output: 'no such file' },
  ])
  const result = (id: string, name: string, s: string) => ({ role: 'user', parts: [{ type: 'tool-result', toolCallId: id, name, content: [text(s)] }] })
  t.strictSame(req.messages, [
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_1', name: 'local_shell', arguments: '{"type":"exec","command":["ls"],"env":{}}' }] },
    result('call_1', 'local_shell', 'a.txt'),
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_2', name: 'local_shell', arguments: '{"type":"exec","command":["pwd"],"env":{}}' }] },
    result('call_2', 'local_shell', '/w'),
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_3', name: 'shell', arguments: '{"commands":["echo hi"]}' }] },
    result('call_3', 'shell', '[{"stdout":"hi\\n","stderr":"","outcome":{"type":"exit","exit_code":0}}]'),
    { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_4', name: 'apply_patch', arguments: '{"type":"delete_file","path":"x"}' }] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'call_4', name: 'apply_patch', content: [text('no such file')], isError: true }] },
  ])
})

t.test('server-run hosted items are dropped, each named; unknown items and item references are rejected (§7.23)', async t => {
  const req = withInput([
    userSays('search'),
    { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'found' }] },
    { type: 'compaction', encrypted_content: 'enc' },
    { type: 'mcp_call', id: 'mcp_1', name: 'x', arguments: '{}', server_label: 's' },
  ])
  t.strictSame(req.messages, [{ role: 'user', parts: [text('search')] }, { role: 'assistant', parts: [text('found')] }])
  t.strictSame(req.dropped?.map(d => d.path), ['input[1]', 'input[3]', 'input[4]'])
  t.match(req.dropped?.[1]?.reason, /compacted history/)
  const noStore = 'item references are resolved only for requests converted to another backend dialect; send the full item instead (or use store:false)'
  unsupported(t, { ...base, input: [userSays('a'), { type: 'item_reference', id: 'msg_1' }] }, 'input[1]: ' + noStore)
  unsupported(t, { ...base, input: [{ id: 'rs_1' }] }, 'input[0]: ' + noStore)
  unsupported(t, { ...base, input: [{ type: 'telepathy' }] }, "input[0].type: 'telepathy' is not supported yet")
})

t.test('content parts: refusals, files (data URL, raw base64 by filename, URL); uploaded file ids rejected by path', async t => {
  const req = withInput([
    {
      role: 'user', content: [
        { type: 'input_file', file_data: 'data:application/pdf;base64,JVB', filename: 'a.pdf', prompt_cache_breakpoint: { mode: 'explicit' } },
        { type: 'input_file', file_data: 'SGk=', filename: 'notes.TXT' },
        { type: 'input_file', file_url: 'https://x/r.pdf', detail: 'high' },
        { type: 'input_text', text: '' },
      ],
    },
    { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }, { type: 'refusal', refusal: '' }] },
  ])
  t.strictSame(req.messages, [
    {
      role: 'user', parts: [
        { type: 'document', url: 'data:application/pdf;base64,JVB', filename: 'a.pdf' },
        { type: 'document', url: 'data:text/plain;base64,SGk=', filename: 'notes.TXT' },
        { type: 'document', url: 'https://x/r.pdf' },
      ],
    },
    { role: 'assistant', parts: [{ type: 'refusal', text: 'no' }] },
  ])
  const part = (p: object, role = 'user') => ({ ...base, input: [{ role, content: [p] }] })
  unsupported(t, part({ type: 'input_image', file_id: 'file_1' }), 'input[0].content[0].file_id: uploaded files live on OpenAI and cannot be sent to another backend; send image_url')
  unsupported(t, part({ type: 'input_file', file_id: 'file_1' }), 'input[0].content[0].file_id: uploaded files live on OpenAI and cannot be sent to another backend; send file_data or file_url')
  fails(t, part({ type: 'input_file', file_data: 'AAAA', filename: 'x.bin' }), 'input[0].content[0].file_data: raw base64 needs a filename ending in pdf, txt, md, csv, json, html, xml; or send a data: URL')
  fails(t, part({ type: 'input_file', file_data: 'AAAA' }), 'input[0].content[0].file_data: raw base64 needs a filename ending in pdf, txt, md, csv, json, html, xml; or send a data: URL')
  fails(t, part({ type: 'input_file', filename: 'a.pdf' }), 'input[0].content[0]: an input_file needs file_data or file_url')
  fails(t, part({ type: 'input_file', file_url: 'ftp://x' }), 'input[0].content[0].file_url: must be an https URL')
  unsupported(t, part({ type: 'input_image', image_url: 'https://x' }, 'assistant'), "input[0].content[0].type: 'input_image' is not supported yet")
  unsupported(t, part({ type: 'refusal', refusal: 'x' }), "input[0].content[0].type: 'refusal' is not supported yet")
  unsupported(t, part({ type: 'input_image', image_url: 'https://x' }, 'developer'), "input[0].content[0].type: 'input_image' is not supported yet")
  unsupported(t, part({ type: 'input_audio', input_audio: {} }), "input[0].content[0].type: 'input_audio' is not supported yet")
})

t.test('tools: function, custom, namespace expanded; hosted, tool_search and unknown types dropped, one entry each', async t => {
  const req = decode({
    ...base,
    tools: [
      { type: 'function', name: 'f', description: 'F', parameters: null, strict: true, defer_loading: true },
      { type: 'custom', name: 'apply_patch', description: 'P', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
      { type: 'web_search', external_web_access: false },
      {
        type: 'namespace', name: 'crm', description: 'CRM tools', tools: [
          { type: 'function', name: 'lookup', parameters: { type: 'object' }, defer_loading: false },
          { type: 'custom', name: 'note' },
        ],
      },
      { type: 'tool_search' },
      { type: 'local_shell' },
      { type: 'hologram' },
    ],
  })
  t.strictSame(req.tools, [
    { kind: 'function', name: 'f', description: 'F', strict: true },
    { kind: 'custom', name: 'apply_patch', description: 'P', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
    { kind: 'function', name: 'lookup', parameters: { type: 'object' }, namespace: 'crm' },
    { kind: 'custom', name: 'note', namespace: 'crm' },
  ])
  t.strictSame(req.dropped?.map(d => d.path), ['tools[2]', 'tools[3].description', 'tools[4]', 'tools[5]', 'tools[6]'])
  t.match(req.dropped?.[0]?.reason, /hosted tool 'web_search' runs on OpenAI's servers/)
  t.match(req.dropped?.[4]?.reason, /unknown tool type 'hologram'/)
  fails(t, { ...base, tools: [{ type: 'namespace', name: 'n', tools: [{ type: 'web_search' }] }] }, 'tools[0].tools[0].type: must be one of function, custom')
  fails(t, { ...base, tools: [{ type: 'function' }] }, 'tools[0].name: required')
  unsupported(t, { ...base, tools: [{ type: 'function', name: 'f', extra: 1 }] }, 'tools[0].extra: not supported yet')
})

t.test('tool_choice: words, named function/custom, allowed_tools narrows tools; hosted choices rejected (§6.4)', async t => {
  const tools = [{ type: 'function', name: 'a' }, { type: 'function', name: 'b' }, { type: 'custom', name: 'c' }, { type: 'web_search' }]
  t.strictSame(decode({ ...base, tools, tool_choice: 'required' }).toolChoice, { type: 'required' })
  t.strictSame(decode({ ...base, tools, tool_choice: { type: 'function', name: 'a' } }).toolChoice, { type: 'tool', name: 'a' })
  t.strictSame(decode({ ...base, tools, tool_choice: { type: 'custom', name: 'c' } }).toolChoice, { type: 'tool', name: 'c' })
  const allowed = decode({ ...base, tools, tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'b' }, { type: 'custom', name: 'c' }, { type: 'web_search' }] } })
  t.strictSame(allowed.toolChoice, { type: 'required' })
  t.strictSame(allowed.tools, [{ kind: 'function', name: 'b' }, { kind: 'custom', name: 'c' }])
  t.strictSame(decode({ ...base, tools, tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'mcp', server_label: 's' }] } }).tools, [])
  fails(t, { ...base, tools, tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'zz' }] } }, "tool_choice.tools[0].name: no function tool named 'zz' in tools")
  unsupported(t, { ...base, tools, tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'web_search' }] } },
    'tool_choice.tools: requires a call but allows no tool this gateway carries (hosted tools are not carried)')
  unsupported(t, { ...base, tools, tool_choice: { type: 'web_search_preview' } }, "tool_choice.type: 'web_search_preview' forces a hosted tool, which this gateway does not carry")
  unsupported(t, { ...base, tools, tool_choice: { type: 'mcp', server_label: 's' } }, "tool_choice.type: 'mcp' forces a hosted tool, which this gateway does not carry")
  unsupported(t, { ...base, tools, tool_choice: { type: 'psychic' } }, "tool_choice.type: 'psychic' is not supported yet")
  fails(t, { ...base, tools, tool_choice: 'sometimes' }, 'tool_choice: must be one of none, auto, required')
  fails(t, { ...base, tools, tool_choice: { type: 'function' } }, 'tool_choice.name: required')
})

t.test('reasoning: effort none is off; effort and summary carried; generate_summary is the old spelling', async t => {
  t.strictSame(decode({ ...base, reasoning: { effort: 'none' } }).reasoning, { mode: 'off' })
  t.strictSame(decode({ ...base, reasoning: { effort: 'xhigh', summary: 'detailed' } }).reasoning, { mode: 'on', effort: 'xhigh', summary: 'detailed' })
  t.strictSame(decode({ ...base, reasoning: { effort: 'low', generate_summary: 'concise' } }).reasoning, { mode: 'on', effort: 'low', summary: 'concise' })
  t.strictSame(decode({ ...base, reasoning: { summary: 'auto', generate_summary: 'concise' } }).reasoning, { mode: 'on', summary: 'auto' })
  t.equal(decode({ ...base, reasoning: {} }).reasoning, undefined, 'an empty object asks for nothing')
  t.equal(decode({ ...base, reasoning: { effort: null, summary: null } }).reasoning, undefined)
  fails(t, { ...base, reasoning: { effort: 'extreme' } }, 'reasoning.effort: must be one of none, minimal, low, medium, high, xhigh, max')
  fails(t, { ...base, reasoning: { summary: 'brief' } }, 'reasoning.summary: must be one of auto, concise, detailed')
  unsupported(t, { ...base, reasoning: { mode: 'pro' } }, 'reasoning.mode: not supported yet')
})

t.test('text: format → responseFormat, verbosity carried (§6.10)', async t => {
  t.strictSame(decode({ ...base, text: { format: { type: 'text' } } }).responseFormat, { type: 'text' })
  t.strictSame(decode({ ...base, text: { format: { type: 'json_object' }, verbosity: 'high' } }), {
    model: 'gpt', system: [], messages: [{ role: 'user', parts: [text('hi')] }], stream: false, responseFormat: { type: 'json_object' }, verbosity: 'high',
  })
  const schema = { type: 'object', properties: {} }
  t.strictSame(decode({ ...base, text: { format: { type: 'json_schema', name: 'codex_output_schema', schema, strict: true, description: 'd' } } }).responseFormat,
    { type: 'json_schema', schema, name: 'codex_output_schema', description: 'd', strict: true })
  fails(t, { ...base, text: { format: { type: 'json_schema', name: 'x' } } }, 'text.format.schema: required')
  fails(t, { ...base, text: { verbosity: 'loud' } }, 'text.verbosity: must be one of low, medium, high')
  unsupported(t, { ...base, text: { format: { type: 'text', name: 'x' } } }, 'text.format.name: not supported yet')
})

t.test('include: encrypted reasoning asked; other known values dropped with a reason; unknown rejected', async t => {
  const req = decode({ ...base, include: ['message.output_text.logprobs', 'reasoning.encrypted_content', 'web_search_call.action.sources', 'file_search_call.results', 'code_interpreter_call.outputs', 'message.input_image.image_url', 'computer_call_output.output.image_url'] })
  t.equal(req.encryptedReasoning, true)
  t.strictSame(req.dropped?.map(d => d.path), ['include[0]', 'include[2]', 'include[3]', 'include[4]', 'include[5]', 'include[6]'])
  t.equal(decode({ ...base, include: ['message.output_text.logprobs'] }).encryptedReasoning, undefined)
  fails(t, { ...base, include: ['everything'] }, "include[0]: unknown include value 'everything'")
})

t.test('server-side state is rejected with a clear reason; truncation auto and top_logprobs are dropped', async t => {
  const noStore = "needs the gateway's response store, which serves only requests converted to another backend dialect; send the whole conversation in input"
  unsupported(t, { ...base, previous_response_id: 'resp_1' }, 'previous_response_id: ' + noStore)
  unsupported(t, { ...base, conversation: 'conv_1' }, 'conversation: OpenAI conversation objects are not kept by this gateway; use previous_response_id or send the whole conversation in input')
  unsupported(t, { ...base, background: true }, 'background: background responses are polled from a job store, which this gateway does not keep; send the request without background')
  unsupported(t, { ...base, prompt: { id: 'pmpt_1' } }, 'prompt: stored prompt templates live on OpenAI and cannot be resolved here; send instructions and input instead')
  t.strictSame(decode({ ...base, truncation: 'auto', top_logprobs: 5 }).dropped?.map(d => d.path), ['truncation', 'top_logprobs'])
  fails(t, { ...base, truncation: 'sometimes' }, 'truncation: must be one of auto, disabled')
  fails(t, { ...base, store: 'yes' }, 'store: must be a boolean')
  fails(t, { ...base, parallel_tool_calls: 'yes' }, 'parallel_tool_calls: must be a boolean')
})

t.test('bad input names the JSON path', async t => {
  fails(t, { input: 'x' }, 'model: required')
  fails(t, { model: 'gpt' }, 'input: required')
  fails(t, { model: 'gpt', input: 3 }, 'input: must be an array')
  fails(t, { model: 'gpt', input: [{ role: 'tool', content: 'x' }] }, 'input[0].role: must be one of user, assistant, system, developer')
  fails(t, { model: 'gpt', input: [{ role: 'user', content: [{ type: 'input_text' }] }] }, 'input[0].content[0].text: required')
  fails(t, { model: 'gpt', input: [{ role: 'user' }] }, 'input[0].content: required')
  fails(t, { ...base, max_output_tokens: -1 }, 'max_output_tokens: must be a positive integer')
  fails(t, { ...base, instructions: ['x'] }, 'instructions: must be a string')
  unsupported(t, { ...base, moderation: { model: 'm' } }, 'moderation: not supported yet')
  unsupported(t, { ...base, stream_options: { other: 1 } }, 'stream_options.other: not supported yet')
  unsupported(t, { ...base, input: [{ role: 'user', content: 'x', name: 'bob' }] }, 'input[0].name: not supported yet')
})

t.test('IGNORED_FIELDS each have a reason; get/delete have no canonical form', async t => {
  t.equal(decode({ ...base, stream_options: { include_obfuscation: false }, client_metadata: { a: 1 }, prompt_cache_key: 'k', max_tool_calls: 3, metadata: { a: 'b' } }).model, 'gpt')
  for (const [field, reason] of Object.entries(IGNORED_FIELDS)) t.ok(reason.length > 10, field)
  fails(t, undefined, 'operation: responses-get has no canonical form', 'SWY_ERR_CONVERT_UNSUPPORTED', { dialect: 'openai-responses', operation: 'responses-get' })
})

t.test('stateful decode (response store): previous_response_id and store carried, item references resolved', async t => {
  const call = { type: 'tool-call', id: 'call_9', name: 'f', arguments: '{}' } as const
  const answer = { type: 'text', text: 'Paris.' } as const
  const refs = (id: string) => id === 'fc_abc_0' ? call : id === 'msg_abc_1' ? answer : undefined
  const out = decodeStatefulRequest({
    model: 'gpt', instructions: 'Be brief.', previous_response_id: 'resp_abc', store: false,
    input: [{ role: 'developer', content: 'dev' }, userSays('q'), { type: 'item_reference', id: 'fc_abc_0' }, { id: 'msg_abc_1' }, { type: 'function_call_output', call_id: 'call_9', output: 'ok' }],
  }, OP, refs)
  t.equal(out.instructionParts, 1, 'one leading system part from instructions')
  t.strictSame(out.request.system, [text('Be brief.'), text('dev')])
  t.equal(out.request.previousResponseId, 'resp_abc')
  t.equal(out.request.store, false)
  t.strictSame(out.request.messages, [
    { role: 'user', parts: [text('q')] },
    { role: 'assistant', parts: [call, answer] },
    { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'call_9', name: 'f', content: [text('ok')] }] },
  ], 'referenced parts join the assistant turn; the output gets the call name')
  t.equal(decodeStatefulRequest(base, OP, refs).request.store, true, 'kept by default')
  t.equal(decodeStatefulRequest(base, OP, refs).instructionParts, 0)
  t.equal(decodeRequest({ ...base, store: true }, OP).store, undefined, 'the stateless path says nothing about storing')
  t.throws(() => decodeStatefulRequest({ ...base, input: [{ type: 'item_reference', id: 'msg_zzz_0' }] }, OP, refs),
    { message: "input[0]: item_reference 'msg_zzz_0' names no output item of a stored response (unknown, expired, or not an output item); send the full item instead", statusCode: 400 })
  t.throws(() => decodeStatefulRequest({ ...base, input: [{ type: 'item_reference', id: 'fc_abc_0', extra: 1 }] }, OP, refs), { message: 'input[0].extra: not supported yet' })
  t.throws(() => decodeStatefulRequest({ ...base, previous_response_id: 7 }, OP, refs), { message: 'previous_response_id: must be a string' })
  t.throws(() => decodeStatefulRequest({ ...base, conversation: 'c' }, OP, refs), { code: 'SWY_ERR_CONVERT_UNSUPPORTED' }, 'conversation stays a 400')
  t.throws(() => decodeStatefulRequest({ ...base, background: true }, OP, refs), { code: 'SWY_ERR_CONVERT_UNSUPPORTED' }, 'background stays a 400')
  t.throws(() => decodeStatefulRequest({ ...base, prompt: { id: 'p' } }, OP, refs), { code: 'SWY_ERR_CONVERT_UNSUPPORTED' }, 'prompt stays a 400')
})
