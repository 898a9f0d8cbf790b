// Exact events for PROTOCOLS.md §2.5 (a) text, (b) function call, (c) two calls, (d) reasoning,
// (e) error: sequence_number from 0, output_index/item_id, full output in the terminal event.
import t from 'tap'
import { ResponsesStreamEncoder } from '../../../../src/dialects/openai-responses/stream-encoder.js'
import { CREATED, encodeAll, ERROR, parsed, REASONING, REQUEST, TEXT, TOOL, TRUNCATED, TWO_TOOLS } from '../scenarios.js'

const encode = (events: Parameters<typeof encodeAll>[1]) => parsed(encodeAll(new ResponsesStreamEncoder(REQUEST), events))
const response = (status: string, output: unknown[], usage: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'resp_mock-abc', object: 'response', created_at: CREATED, status, background: false, error: null, incomplete_details: null,
  instructions: null, max_output_tokens: null, model: 'm1', output, parallel_tool_calls: true, previous_response_id: null,
  reasoning: { effort: null, summary: null }, store: false, temperature: null, text: { format: { type: 'text' } },
  tool_choice: 'auto', tools: [], top_p: null, truncation: 'disabled', usage, metadata: {}, ...extra,
})
const usage = (input: number, output: number, cached = 0, reasoning = 0) => ({
  input_tokens: input, input_tokens_details: { cached_tokens: cached }, output_tokens: output,
  output_tokens_details: { reasoning_tokens: reasoning }, total_tokens: input + output,
})
/** Sequence numbers are checked separately; build expected events without them. */
const ev = (type: string, data: Record<string, unknown> = {}) => ({ event: type, data: { type, ...data } })
const strip = (frames: ReturnType<typeof encode>) => frames.map(f => {
  const { sequence_number: _s, ...rest } = f.data as Record<string, unknown>
  return { event: f.event, data: rest }
})
const START = [ev('response.created', { response: response('in_progress', [], null) }), ev('response.in_progress', { response: response('in_progress', [], null) })]
const msg = (id: string, status: string, text?: string) => ({
  type: 'message', id, status, role: 'assistant', content: text === undefined ? [] : [{ type: 'output_text', text, annotations: [] }],
})
const textItem = (i: number, id: string, deltas: string[]) => {
  const text = deltas.join('')
  const where = { item_id: id, output_index: i }
  return [
    ev('response.output_item.added', { output_index: i, item: msg(id, 'in_progress') }),
    ev('response.content_part.added', { ...where, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
    ...deltas.map(delta => ev('response.output_text.delta', { ...where, content_index: 0, logprobs: [], delta })),
    ev('response.output_text.done', { ...where, content_index: 0, text, logprobs: [] }),
    ev('response.content_part.done', { ...where, content_index: 0, part: { type: 'output_text', text, annotations: [] } }),
    ev('response.output_item.done', { output_index: i, item: msg(id, 'completed', text) }),
  ]
}
const fc = (id: string, callId: string, name: string, args: string, status: string) => ({ type: 'function_call', id, call_id: callId, name, arguments: args, status })
const callItem = (i: number, id: string, callId: string, name: string, deltas: string[]) => {
  const args = deltas.join('')
  return [
    ev('response.output_item.added', { output_index: i, item: fc(id, callId, name, '', 'in_progress') }),
    ...deltas.map(delta => ev('response.function_call_arguments.delta', { item_id: id, output_index: i, delta })),
    ev('response.function_call_arguments.done', { item_id: id, output_index: i, arguments: args, name }),
    ev('response.output_item.done', { output_index: i, item: fc(id, callId, name, args, 'completed') }),
  ]
}

t.test('sequence_number runs 0,1,2… and event: equals data.type', async t => {
  const frames = encode(TOOL)
  frames.forEach((f, i) => {
    t.equal((f.data as { sequence_number: number }).sequence_number, i)
    t.equal((f.data as { type: string }).type, f.event)
  })
})

t.test('(a) text', async t => {
  t.strictSame(strip(encode(TEXT)), [
    ...START,
    ...textItem(0, 'msg_mock-abc_0', ['Hel', 'lo']),
    ev('response.completed', { response: response('completed', [msg('msg_mock-abc_0', 'completed', 'Hello')], usage(10, 2)) }),
  ])
})

t.test('(b) text then a function call: text is idx0, the call idx1; completed carries both', async t => {
  t.strictSame(strip(encode(TOOL)), [
    ...START,
    ...textItem(0, 'msg_mock-abc_0', ['Checking.']),
    ...callItem(1, 'fc_mock-abc_1', 'call_a', 'get_weather', ['{"ci', 'ty":"Paris"}']),
    ev('response.completed', {
      response: response('completed', [msg('msg_mock-abc_0', 'completed', 'Checking.'), fc('fc_mock-abc_1', 'call_a', 'get_weather', '{"city":"Paris"}', 'completed')], usage(10, 7, 4)),
    }),
  ])
})

t.test('(c) two calls, one after the other', async t => {
  t.strictSame(strip(encode(TWO_TOOLS)).slice(2, -1), [
    ...callItem(0, 'fc_mock-abc_0', 'call_a', 'get_weather', ['{"city":"Paris"}']),
    ...callItem(1, 'fc_mock-abc_1', 'call_b', 'get_time', []),
  ])
})

t.test('(d) reasoning summary then text; length → response.incomplete', async t => {
  const where = { item_id: 'rs_mock-abc_0', output_index: 0 }
  const rs = { type: 'reasoning', id: 'rs_mock-abc_0', summary: [{ type: 'summary_text', text: 'Thinking' }] }
  t.strictSame(strip(encode(REASONING)), [
    ...START,
    ev('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: 'rs_mock-abc_0', summary: [] } }),
    ev('response.reasoning_summary_part.added', { ...where, summary_index: 0, part: { type: 'summary_text', text: '' } }),
    ev('response.reasoning_summary_text.delta', { ...where, summary_index: 0, delta: 'Think' }),
    ev('response.reasoning_summary_text.delta', { ...where, summary_index: 0, delta: 'ing' }),
    ev('response.reasoning_summary_text.done', { ...where, summary_index: 0, text: 'Thinking' }),
    ev('response.reasoning_summary_part.done', { ...where, summary_index: 0, part: { type: 'summary_text', text: 'Thinking' } }),
    ev('response.output_item.done', { output_index: 0, item: rs }),
    ...textItem(1, 'msg_mock-abc_1', ['Answer']),
    ev('response.incomplete', {
      response: response('incomplete', [rs, msg('msg_mock-abc_1', 'completed', 'Answer')], usage(10, 6, 0, 3), { incomplete_details: { reason: 'max_output_tokens' } }),
    }),
  ])
})

t.test('(e) error mid-stream: error (flat + nested) then response.failed with the output so far', async t => {
  const frames = strip(encode(ERROR))
  const err = { message: 'Overloaded', type: 'server_error', param: null, code: 'server_overloaded' }
  t.strictSame(frames.slice(-2), [
    ev('error', { code: 'server_overloaded', message: 'Overloaded', param: null, error: err }),
    // Usage known so far (message-start's input count) is reported.
    ev('response.failed', { response: response('failed', [], usage(10, 0), { error: { code: 'server_overloaded', message: 'Overloaded' } }) }),
  ])
})

t.test('a stream that breaks off ends failed, never completed', async t => {
  const frames = encode(TRUNCATED)
  t.match(frames.at(-1), { event: 'response.failed', data: { response: { status: 'failed', error: { code: 'server_error' } } } })
})

t.test('request fields echo into the response object', async t => {
  const encoder = new ResponsesStreamEncoder({ ...REQUEST, system: [{ type: 'text', text: 'Be brief.' }], maxTokens: 9, temperature: 0.2, topP: 0.7 })
  const first = parsed(encodeAll(encoder, TEXT))[0]
  t.match(first, { data: { response: { instructions: 'Be brief.', max_output_tokens: 9, temperature: 0.2, top_p: 0.7 } } })
})
