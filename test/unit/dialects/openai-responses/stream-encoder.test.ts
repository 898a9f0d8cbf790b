// Exact events for PROTOCOLS.md §2.5 (a) text, (b) function call, (c) two calls, (d) reasoning,
// (e) error, plus refusal, custom (freeform) and namespaced calls, encrypted and redacted
// reasoning, early opening via open(), truncation. Every stream also passes the openai-node
// 7.x rules (test/helpers/responses-strict.ts): sequence_number 0,1,2…, item identity, parts present.
import t, { type Test } from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { openSignature } from '../../../../src/canonical/signature.js'
import { ResponsesStreamEncoder } from '../../../../src/dialects/openai-responses/stream-encoder.js'
import type { SseFrame } from '../../../../src/sse/frame.js'
import { CREATED, encodeAll, ERROR, REASONING, REQUEST, START, TEXT, TOOL, TRUNCATED, TWO_TOOLS } from '../scenarios.js'
import {
  ANTHROPIC_SIG, CONTEXT_ERROR, CUSTOM_TOOL, FAILED_IN_CALL, NAMESPACED, OPENAI_SIG, PATCH, REDACTED, REFUSAL, signedReasoning, TOOLS_REQUEST,
} from './fixtures.js'
import { strictCheck } from '../../../helpers/responses-strict.js'

type Json = Record<string, unknown>
interface Ev { event: string, data: Json }

/** Encode, check the 7.x rules, and return the events without their sequence numbers. */
function run (t: Test, events: readonly CanonicalEvent[], request: CanonicalRequest = REQUEST): Ev[] {
  return strip(t, encodeAll(new ResponsesStreamEncoder(request), events))
}
function strip (t: Test, frames: readonly SseFrame[]): Ev[] {
  t.strictSame(strictCheck(frames).problems, [], 'passes the openai-node 7.x rules')
  return frames.filter(f => f.comment === undefined).map(f => {
    const { sequence_number: _s, ...data } = JSON.parse(f.data) as Json
    return { event: f.event as string, data }
  })
}

const response = (status: string, output: unknown[], usage: unknown, extra: Json = {}): Json => ({
  id: 'resp_mock-abc', object: 'response', created_at: CREATED, status, background: false, error: null, incomplete_details: null,
  instructions: null, max_output_tokens: null, model: 'm1', output, parallel_tool_calls: true, previous_response_id: null,
  reasoning: { effort: null, summary: null }, store: false, temperature: null, text: { format: { type: 'text' } },
  tool_choice: 'auto', tools: [], top_p: null, truncation: 'disabled', usage, metadata: {}, ...extra,
})
const usage = (input: number, output: number, cached = 0, reasoning = 0) => ({
  input_tokens: input, input_tokens_details: { cached_tokens: cached }, output_tokens: output,
  output_tokens_details: { reasoning_tokens: reasoning }, total_tokens: input + output,
})
const ev = (type: string, data: Json = {}): Ev => ({ event: type, data: { type, ...data } })
const START_EVENTS = [ev('response.created', { response: response('in_progress', [], null) }), ev('response.in_progress', { response: response('in_progress', [], null) })]

const msg = (id: string, status: string, text?: string) => ({
  type: 'message', id, status, role: 'assistant', content: text === undefined ? [] : [{ type: 'output_text', text, annotations: [] }],
})
const refusalMsg = (id: string, refusal: string) => ({ type: 'message', id, status: 'completed', role: 'assistant', content: [{ type: 'refusal', refusal }] })
const textItem = (i: number, id: string, deltas: string[]): Ev[] => {
  const text = deltas.join('')
  const where = { item_id: id, output_index: i, content_index: 0 }
  return [
    ev('response.output_item.added', { output_index: i, item: msg(id, 'in_progress') }),
    ev('response.content_part.added', { ...where, part: { type: 'output_text', text: '', annotations: [] } }),
    ...deltas.map(delta => ev('response.output_text.delta', { ...where, logprobs: [], delta })),
    ev('response.output_text.done', { ...where, text, logprobs: [] }),
    ev('response.content_part.done', { ...where, part: { type: 'output_text', text, annotations: [] } }),
    ev('response.output_item.done', { output_index: i, item: msg(id, 'completed', text) }),
  ]
}
const fc = (id: string, callId: string, name: string, args: string, status: string, extra: Json = {}) =>
  ({ type: 'function_call', id, call_id: callId, name, arguments: args, status, ...extra })
const callItem = (i: number, id: string, callId: string, name: string, deltas: string[], extra: Json = {}): Ev[] => {
  const args = deltas.join('')
  return [
    ev('response.output_item.added', { output_index: i, item: fc(id, callId, name, '', 'in_progress', extra) }),
    ...deltas.map(delta => ev('response.function_call_arguments.delta', { item_id: id, output_index: i, delta })),
    ev('response.function_call_arguments.done', { item_id: id, output_index: i, arguments: args, name }),
    ev('response.output_item.done', { output_index: i, item: fc(id, callId, name, args, 'completed', extra) }),
  ]
}
const rsWhere = { item_id: 'rs_mock-abc_0', output_index: 0, summary_index: 0 }
const summaryEvents = (deltas: string[]): Ev[] => [
  ev('response.reasoning_summary_part.added', { ...rsWhere, part: { type: 'summary_text', text: '' } }),
  ...deltas.map(delta => ev('response.reasoning_summary_text.delta', { ...rsWhere, delta })),
  ev('response.reasoning_summary_text.done', { ...rsWhere, text: deltas.join('') }),
  ev('response.reasoning_summary_part.done', { ...rsWhere, part: { type: 'summary_text', text: deltas.join('') } }),
]

t.test('(a) text', async t => {
  t.strictSame(run(t, TEXT), [
    ...START_EVENTS,
    ...textItem(0, 'msg_mock-abc_0', ['Hel', 'lo']),
    ev('response.completed', { response: response('completed', [msg('msg_mock-abc_0', 'completed', 'Hello')], usage(10, 2)) }),
  ])
})

t.test('(b) text then a function call: text is idx0, the call idx1; completed carries both', async t => {
  t.strictSame(run(t, TOOL), [
    ...START_EVENTS,
    ...textItem(0, 'msg_mock-abc_0', ['Checking.']),
    ...callItem(1, 'fc_mock-abc_1', 'call_a', 'get_weather', ['{"ci', 'ty":"Paris"}']),
    ev('response.completed', {
      response: response('completed', [msg('msg_mock-abc_0', 'completed', 'Checking.'), fc('fc_mock-abc_1', 'call_a', 'get_weather', '{"city":"Paris"}', 'completed')], usage(10, 7, 4)),
    }),
  ])
})

t.test('(c) two calls, one after the other; an argument-less call streams {} (§7.7)', async t => {
  t.strictSame(run(t, TWO_TOOLS).slice(2, -1), [
    ...callItem(0, 'fc_mock-abc_0', 'call_a', 'get_weather', ['{"city":"Paris"}']),
    ...callItem(1, 'fc_mock-abc_1', 'call_b', 'get_time', ['{}']),
  ])
})

t.test('(d) reasoning summary then text; length → response.incomplete; no encrypted_content unless asked', async t => {
  const rs = { type: 'reasoning', id: 'rs_mock-abc_0', summary: [{ type: 'summary_text', text: 'Thinking' }] }
  t.strictSame(run(t, REASONING), [
    ...START_EVENTS,
    ev('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: 'rs_mock-abc_0', summary: [] } }),
    ...summaryEvents(['Think', 'ing']),
    ev('response.output_item.done', { output_index: 0, item: rs }),
    ...textItem(1, 'msg_mock-abc_1', ['Answer']),
    ev('response.incomplete', {
      response: response('incomplete', [rs, msg('msg_mock-abc_1', 'completed', 'Answer')], usage(10, 6, 0, 3), { incomplete_details: { reason: 'max_output_tokens' } }),
    }),
  ])
  t.notMatch(run(t, signedReasoning(ANTHROPIC_SIG))[6], { data: { item: { encrypted_content: String } } })
})

t.test('(e) error mid-stream: error (flat + nested) then response.failed; the open item is left out', async t => {
  const frames = run(t, ERROR)
  const err = { message: 'Overloaded', type: 'server_error', param: null, code: 'server_overloaded' }
  t.strictSame(frames.slice(-2), [
    ev('error', { code: 'server_overloaded', message: 'Overloaded', param: null, error: err }),
    // Usage known so far (message-start's input count) is reported.
    ev('response.failed', { response: response('failed', [], usage(10, 0), { error: { code: 'server_overloaded', message: 'Overloaded' } }) }),
  ])
  t.notOk(frames.some(f => f.event === 'response.output_item.done'), 'the cut text item gets no .done')
})

t.test('refusal: a message item with a refusal part and refusal.delta/done', async t => {
  const id = 'msg_mock-abc_0'
  const where = { item_id: id, output_index: 0, content_index: 0 }
  t.strictSame(run(t, REFUSAL), [
    ...START_EVENTS,
    ev('response.output_item.added', { output_index: 0, item: msg(id, 'in_progress') }),
    ev('response.content_part.added', { ...where, part: { type: 'refusal', refusal: '' } }),
    ev('response.refusal.delta', { ...where, delta: "I can't" }),
    ev('response.refusal.delta', { ...where, delta: ' help.' }),
    ev('response.refusal.done', { ...where, refusal: "I can't help." }),
    ev('response.content_part.done', { ...where, part: { type: 'refusal', refusal: "I can't help." } }),
    ev('response.output_item.done', { output_index: 0, item: refusalMsg(id, "I can't help.") }),
    ev('response.completed', { response: response('completed', [refusalMsg(id, "I can't help.")], usage(10, 5)) }),
  ])
})

t.test('custom tool call (§7.24): custom_tool_call item, raw input deltas, input.done', async t => {
  const id = 'ctc_mock-abc_0'
  const item = (input: string, status: string) => ({ type: 'custom_tool_call', id, call_id: 'call_p', name: 'apply_patch', input, status })
  t.strictSame(run(t, CUSTOM_TOOL), [
    ...START_EVENTS,
    ev('response.output_item.added', { output_index: 0, item: item('', 'in_progress') }),
    ev('response.custom_tool_call_input.delta', { item_id: id, output_index: 0, delta: PATCH.slice(0, 20) }),
    ev('response.custom_tool_call_input.delta', { item_id: id, output_index: 0, delta: PATCH.slice(20) }),
    ev('response.custom_tool_call_input.done', { item_id: id, output_index: 0, input: PATCH }),
    ev('response.output_item.done', { output_index: 0, item: item(PATCH, 'completed') }),
    ev('response.completed', { response: response('completed', [item(PATCH, 'completed')], usage(10, 5)) }),
  ])
})

t.test('namespaced calls: namespace on the item only when the call had one', async t => {
  t.strictSame(run(t, NAMESPACED, TOOLS_REQUEST).slice(2, -1), [
    ...callItem(0, 'fc_mock-abc_0', 'call_r', 'read', ['{"path":"a"}'], { namespace: 'fs' }),
    ...callItem(1, 'fc_mock-abc_1', 'call_s', 'shell', ['{"path":"b"}']),
  ])
})

t.test('encryptedReasoning: an Anthropic signature is sealed with the text; an OpenAI one passes verbatim', async t => {
  const asked = { ...REQUEST, encryptedReasoning: true }
  const sealed = run(t, signedReasoning(ANTHROPIC_SIG), asked)
  const { encrypted_content: envelope, ...item } = sealed[8]?.data.item as Json
  t.strictSame(sealed.slice(2, 8), [
    ev('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: 'rs_mock-abc_0', summary: [] } }),
    ...summaryEvents(['Think', 'ing']),
  ], 'added without encrypted_content; summary events as without it')
  t.strictSame(item, { type: 'reasoning', id: 'rs_mock-abc_0', summary: [{ type: 'summary_text', text: 'Thinking' }] })
  t.match(envelope, /^swy1\./)
  t.strictSame(openSignature(envelope as string, 'openai'), { envelope: true, signature: ANTHROPIC_SIG, text: 'Thinking' })
  t.strictSame((sealed.at(-1)?.data.response as Json).output, [sealed[8]?.data.item, msg('msg_mock-abc_1', 'completed', 'Answer')])

  const verbatim = run(t, signedReasoning(OPENAI_SIG), asked)
  t.equal((verbatim[8]?.data.item as Json).encrypted_content, OPENAI_SIG.value)
})

t.test('redacted reasoning: summary [], no summary events; encrypted_content (redacted envelope) only when asked', async t => {
  const plain = run(t, REDACTED)
  t.strictSame(plain.slice(2, 4), [
    ev('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: 'rs_mock-abc_0', summary: [] } }),
    ev('response.output_item.done', { output_index: 0, item: { type: 'reasoning', id: 'rs_mock-abc_0', summary: [] } }),
  ])
  const asked = run(t, REDACTED, { ...REQUEST, encryptedReasoning: true })
  const item = asked[3]?.data.item as Json
  t.strictSame(Object.keys(item), ['type', 'id', 'summary', 'encrypted_content'])
  t.strictSame(openSignature(item.encrypted_content as string, 'openai'), { envelope: true, signature: { family: 'anthropic', value: 'redacted-data' }, redacted: true })
})

t.test('failed mid-call: code rate_limit_exceeded with the retry hint Codex reads; output = finished items', async t => {
  const frames = run(t, FAILED_IN_CALL)
  const message = 'Rate limit reached. Please try again in 7s.'
  t.strictSame(frames.slice(-2), [
    ev('error', { code: 'rate_limit_exceeded', message, param: null, error: { message, type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } }),
    ev('response.failed', {
      response: response('failed', [msg('msg_mock-abc_0', 'completed', 'Checking.')], usage(10, 0), { error: { code: 'rate_limit_exceeded', message } }),
    }),
  ])
  t.equal(frames.filter(f => f.event === 'response.output_item.done').length, 1, 'the cut call never looks complete')
})

t.test('a context-length failure says context_length_exceeded (Codex stops instead of retrying)', async t => {
  const failed = run(t, CONTEXT_ERROR).at(-1)
  t.match(failed, { event: 'response.failed', data: { response: { error: { code: 'context_length_exceeded' } } } })
})

t.test('a stream that breaks off ends failed (server_error), never completed', async t => {
  const frames = run(t, TRUNCATED)
  t.match(frames.at(-1), { event: 'response.failed', data: { response: { status: 'failed', output: [], error: { code: 'server_error' } } } })
})

t.test('an error before message-start still opens with response.created', async t => {
  const frames = run(t, [{ type: 'error', error: { kind: 'server_error', status: 500, message: 'boom' } }])
  t.strictSame(frames.map(f => f.event), ['response.created', 'response.in_progress', 'error', 'response.failed'])
})

t.test('ping is a keep-alive comment and takes no sequence number', async t => {
  const frames = encodeAll(new ResponsesStreamEncoder(REQUEST), [START, { type: 'ping' }, ...TEXT.slice(1)])
  t.strictSame(frames[2], { data: '', comment: 'keepalive' })
  strip(t, frames)
})

t.test('open(): created + in_progress at once; one minted id everywhere; message-start changes only the model', async t => {
  const before = Math.floor(Date.now() / 1000)
  const encoder = new ResponsesStreamEncoder({ ...REQUEST, model: 'client-model' })
  const frames: SseFrame[] = []
  encoder.open(f => { frames.push(f) })
  encoder.open(f => { frames.push(f) })
  t.strictSame(frames.map(f => f.event), ['response.created', 'response.in_progress'], 'opened once')
  frames.push(...encodeAll(encoder, TOOL))
  const events = strip(t, frames)
  t.equal(events.filter(e => e.event === 'response.created').length, 1, 'message-start does not announce again')
  const created = events[0]?.data.response as Json
  const id = created.id as string
  t.match(id, /^resp_[0-9a-f]{24}$/)
  t.ok((created.created_at as number) >= before && (created.created_at as number) <= Math.ceil(Date.now() / 1000))
  t.equal(created.model, 'client-model')
  const final = events.at(-1)?.data.response as Json
  t.equal(final.id, id, 'the terminal response keeps the minted id')
  t.equal(final.created_at, created.created_at)
  t.equal(final.model, 'm1', 'the terminal response carries the upstream model')
  const body = id.slice('resp_'.length)
  t.strictSame((final.output as Json[]).map(i => i.id), ['msg_' + body + '_0', 'fc_' + body + '_1'])
  t.equal((final.output as Json[])[1]?.call_id, 'call_a')
})

t.test('two encoders mint different ids', async t => {
  const ids = [0, 1].map(() => {
    const frames: SseFrame[] = []
    new ResponsesStreamEncoder(REQUEST).open(f => { frames.push(f) })
    return (JSON.parse(frames[0]?.data ?? '{}') as { response: { id: string } }).response.id
  })
  t.not(ids[0], ids[1])
})

t.test('request fields echo into the response object', async t => {
  const request: CanonicalRequest = {
    ...TOOLS_REQUEST,
    system: [{ type: 'text', text: 'Be brief.' }],
    maxTokens: 9,
    temperature: 0.2,
    topP: 0.7,
    toolChoice: { type: 'tool', name: 'apply_patch' },
    parallelToolCalls: false,
    reasoning: { mode: 'on', effort: 'high', summary: 'auto' },
    responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
    verbosity: 'low',
    user: 'u-1',
  }
  const first = run(t, TEXT, request)[0]?.data.response as Json
  t.strictSame(first, {
    ...response('in_progress', [], null),
    instructions: 'Be brief.',
    max_output_tokens: 9,
    temperature: 0.2,
    top_p: 0.7,
    tool_choice: { type: 'custom', name: 'apply_patch' },
    parallel_tool_calls: false,
    reasoning: { effort: 'high', summary: 'auto' },
    text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
    tools: [
      { type: 'function', name: 'read', parameters: { type: 'object' }, strict: null },
      { type: 'function', name: 'write', description: 'Write a file', parameters: { type: 'object' }, strict: false },
      { type: 'custom', name: 'apply_patch', description: 'Patch files', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } },
    ],
    user: 'u-1',
  })
  const choices = [[{ type: 'tool', name: 'write' }, { type: 'function', name: 'write' }], [{ type: 'required' }, 'required'], [{ type: 'none' }, 'none']] as const
  for (const [choice, echoed] of choices) {
    t.strictSame((run(t, TEXT, { ...TOOLS_REQUEST, toolChoice: choice })[0]?.data.response as Json).tool_choice, echoed)
  }
  t.strictSame((run(t, TEXT, { ...REQUEST, responseFormat: { type: 'json_object' } })[0]?.data.response as Json).text, { format: { type: 'json_object' } })
})

t.test('the strict check catches what openai-node 7.x rejects', async t => {
  const good = encodeAll(new ResponsesStreamEncoder(REQUEST), TOOL)
  const edit = (n: number, change: (d: Json) => void): SseFrame[] => good.map((f, i) => {
    if (i !== n) return f
    const data = JSON.parse(f.data) as Json
    change(data)
    return { event: f.event as string, data: JSON.stringify(data) }
  })
  const problems = (frames: SseFrame[]) => strictCheck(frames).problems
  t.strictSame(problems(good), [])
  t.match(problems(edit(3, d => { d.item_id = 'other' })), [/expected item_id 'msg_mock-abc_0', got 'other'/])
  t.match(problems(edit(2, d => { d.output_index = 1 })), [/missing output at index 1/])
  t.match(problems(edit(8, d => { (d.item as Json).id = 'msg_mock-abc_0' })), [/duplicate output item identity/])
  t.match(problems(edit(8, d => { (d.item as Json).call_id = '' })), [/non-empty output item call_id/])
  t.match(problems(edit(12, d => { (d.item as Json).call_id = 'call_z' })), [/expected output item call_id 'call_a', got 'call_z'/])
  t.match(problems(edit(4, d => { d.sequence_number = 9 })), [/sequence_number 9, expected 4/])
  t.match(problems(edit(7, d => { (d.item as Json).content = [] })), [/streamed content .* differs/])
  t.match(problems(edit(10, d => { d.item_id = 'msg_mock-abc_0'; d.output_index = 0 })), [/expected output item type 'function_call', got 'message'/])
  t.match(problems(good.slice(1))[1], /expected 'response.created' event, got response.in_progress/)
  t.match(problems(good.slice(0, -1)), ['the stream has no terminal event'])
})
