// The lifecycle events' hand-joined response text (response-json.ts) against the object it
// stands for: for any request echo and any state, byte for byte
// `JSON.stringify(responseObject(head, echo, state))` — the same fields, order, escaping and
// nulls — so the stream encoder's `response.created`/`in_progress`/terminal events and the
// stored response object never disagree.
import fc from 'fast-check'
import t from 'tap'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { ResponseJson } from '../../../../src/dialects/openai-responses/response-json.js'
import { requestEcho, responseObject, type RequestEcho, type ResponseHead, type ResponseState } from '../../../../src/dialects/openai-responses/response-object.js'

const text = fc.string({ unit: 'grapheme', maxLength: 40 })
const number = fc.oneof(fc.integer(), fc.double({ noNaN: false }))
const jsonObject = fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })

const echo: fc.Arbitrary<RequestEcho> = fc.record({
  instructions: fc.option(text, { nil: null }),
  maxOutputTokens: fc.option(fc.nat(), { nil: null }),
  parallelToolCalls: fc.boolean(),
  reasoning: fc.record({
    effort: fc.constantFrom(null, 'minimal', 'low', 'medium', 'high'),
    summary: fc.constantFrom(null, 'auto', 'concise', 'detailed'),
  }),
  temperature: fc.option(number, { nil: null }),
  text: fc.oneof(
    fc.constant({ format: { type: 'text' } }),
    fc.record({ format: fc.constant({ type: 'json_object' }), verbosity: fc.constantFrom('low', 'medium', 'high') }),
  ),
  toolChoice: fc.oneof(fc.constantFrom('auto', 'none', 'required'), fc.record({ type: fc.constantFrom('function', 'custom'), name: text })),
  tools: fc.array(fc.record({ type: fc.constant('function'), name: text, description: text, parameters: jsonObject, strict: fc.option(fc.boolean(), { nil: null }) }), { maxLength: 4 }),
  topP: fc.option(number, { nil: null }),
  user: fc.option(text, { nil: undefined }),
  previousResponseId: fc.option(text, { nil: null }),
  store: fc.boolean(),
}, { requiredKeys: ['instructions', 'maxOutputTokens', 'parallelToolCalls', 'reasoning', 'temperature', 'text', 'toolChoice', 'tools', 'topP', 'previousResponseId', 'store'] }) as fc.Arbitrary<RequestEcho>

const head: fc.Arbitrary<ResponseHead> = fc.record({ id: text, createdAt: fc.nat(), model: text })

const state: fc.Arbitrary<ResponseState> = fc.record({
  status: fc.constantFrom('completed', 'incomplete', 'failed', 'in_progress'),
  output: fc.array(jsonObject, { maxLength: 3 }),
  usage: fc.option(jsonObject, { nil: null }),
  error: fc.option(fc.record({ code: text, message: text }), { nil: undefined }),
  incomplete: fc.option(fc.record({ reason: text }), { nil: undefined }),
}, { requiredKeys: ['status', 'output', 'usage'] }) as unknown as fc.Arbitrary<ResponseState>

t.test('the text is JSON.stringify of the response object, for any echo and state', async t => {
  fc.assert(fc.property(echo, head, state, (e, h, s) => {
    t.equal(new ResponseJson(e).serialise(h, s), JSON.stringify(responseObject(h, e, s)))
  }), { numRuns: 300 })
})

t.test('one echo, several states: the request half serialised once serves each', async t => {
  const request: CanonicalRequest = {
    model: 'gpt-5', system: [{ type: 'text', text: 'Be brief. "Quoted" \u2028 line' }], messages: [], stream: true, user: 'u-1',
    tools: [{ kind: 'function', name: 'shell', description: 'Runs a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }],
    temperature: 0.2, maxTokens: 100,
  }
  const e = requestEcho(request)
  const json = new ResponseJson(e)
  const h = { id: 'resp_1', createdAt: 1, model: 'gpt-5' }
  const states: ResponseState[] = [
    { status: 'in_progress', output: [], usage: null },
    { status: 'completed', output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'hi', annotations: [] }] }], usage: { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 } },
    { status: 'failed', output: [], usage: null, error: { code: 'server_error', message: 'boom' } },
  ]
  for (const s of states) t.equal(json.serialise(h, s), JSON.stringify(responseObject(h, e, s)), s.status)
})
