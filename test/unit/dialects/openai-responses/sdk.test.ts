// The strongest check: openai-node's ResponseStream accumulates our events over real HTTP and
// runs its index/type checks (PROTOCOLS.md §5.3); finalResponse() is the terminal snapshot.
// Every stream served here first passes the 7.x rules (test/helpers/responses-strict.ts), and the SDK's final
// output must equal the `output_item.done` items (what Codex records, §5.8).
import OpenAI from 'openai'
import t, { type Test } from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { dialect } from '../../../../src/dialects/openai-responses/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'
import type { SseFrame } from '../../../../src/sse/frame.js'
import { encodeAll, ERROR, REASONING, rejection, REQUEST, TEXT, TEXT_RESPONSE, TOOL, TOOL_RESPONSE, TWO_TOOLS } from '../scenarios.js'
import { startServer, type Reply, type Teardown } from '../sse-server.js'
import {
  ANTHROPIC_SIG, CUSTOM_RESPONSE, CUSTOM_TOOL, FAILED_IN_CALL, NAMESPACED, PATCH, REDACTED, REFUSAL, signedReasoning, TOOLS_REQUEST,
} from './fixtures.js'
import { strictCheck } from '../../../helpers/responses-strict.js'

type Json = Record<string, unknown>
const client: ClientSide = dialect.client
const OP = { dialect: 'openai-responses', operation: 'responses' } as const
const params = { model: 'm1', instructions: 'Be brief.', input: 'hi' }

interface Served { readonly reply: Reply, readonly done: Json[] }

/** Encode (optionally opening early, as the pipeline does), check the 7.x rules, serve. */
function streamOf (t: Test, events: readonly CanonicalEvent[], request: CanonicalRequest = REQUEST, early = false): Served {
  const encoder = client.createStreamEncoder(request)
  const frames: SseFrame[] = []
  if (early) encoder.open?.(f => { frames.push(f) })
  frames.push(...encodeAll(encoder, events))
  const check = strictCheck(frames)
  t.strictSame(check.problems, [], 'passes the openai-node 7.x rules')
  return { reply: { frames }, done: check.doneItems }
}

async function sdk (t: Teardown, reply: Reply) {
  const server = await startServer(t, () => reply)
  return { server, openai: new OpenAI({ baseURL: server.url + '/v1', apiKey: 'x', maxRetries: 0 }) }
}

/** finalResponse() with the SDK's own `parsed`/`parsed_arguments` helpers removed. */
async function final (t: Test, served: Served) {
  const { openai } = await sdk(t, served.reply)
  const response = await openai.responses.stream(params).finalResponse()
  const output = JSON.parse(JSON.stringify(response.output, (k, v: unknown) => k === 'parsed' || k === 'parsed_arguments' ? undefined : v)) as Json[]
  t.strictSame(output, served.done, 'final output = the output_item.done items')
  return response
}

t.test('stream (a): finalResponse text and usage; the SDK request decodes', async t => {
  const served = streamOf(t, TEXT)
  const { server, openai } = await sdk(t, served.reply)
  const stream = openai.responses.stream(params)
  let deltas = ''
  stream.on('response.output_text.delta', e => { deltas += e.delta })
  const response = await stream.finalResponse()
  t.equal(deltas, 'Hello')
  t.equal(response.id, 'resp_mock-abc')
  t.equal(response.status, 'completed')
  t.equal(response.output_text, 'Hello')
  t.match(response.usage, { input_tokens: 10, output_tokens: 2, total_tokens: 12 })
  t.equal(server.requests[0]?.url, '/v1/responses')
  t.strictSame(client.decodeRequest(server.requests[0]?.body, OP), {
    model: 'm1', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: true,
  })
})

t.test('stream (b): function call item with full arguments', async t => {
  const response = await final(t, streamOf(t, TOOL))
  t.match(response.output, [
    { type: 'message', id: 'msg_mock-abc_0', content: [{ type: 'output_text', text: 'Checking.' }] },
    { type: 'function_call', id: 'fc_mock-abc_1', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
  ])
  t.match(response.usage, { input_tokens_details: { cached_tokens: 4 } })
})

t.test('stream (c): two calls in order', async t => {
  const response = await final(t, streamOf(t, TWO_TOOLS))
  t.match(response.output, [{ call_id: 'call_a', arguments: '{"city":"Paris"}' }, { call_id: 'call_b', name: 'get_time', arguments: '{}' }])
})

t.test('stream (d): reasoning summary then text; incomplete', async t => {
  const response = await final(t, streamOf(t, REASONING))
  t.match(response.output, [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking' }] }, { type: 'message' }])
  t.equal(response.output_text, 'Answer')
  t.equal(response.status, 'incomplete')
  t.match(response.incomplete_details, { reason: 'max_output_tokens' })
  t.match(response.usage, { output_tokens_details: { reasoning_tokens: 3 } })
})

t.test('stream (e): the SDK throws an APIError', async t => {
  const { openai } = await sdk(t, streamOf(t, ERROR).reply)
  const err = await rejection(openai.responses.stream(params).finalResponse())
  t.ok(err instanceof OpenAI.APIError)
  t.match(err, { error: { message: 'Overloaded', code: 'server_overloaded' } })
})

t.test('failed mid-call: APIError with rate_limit_exceeded', async t => {
  const { openai } = await sdk(t, streamOf(t, FAILED_IN_CALL).reply)
  const err = await rejection(openai.responses.stream(params).finalResponse())
  t.ok(err instanceof OpenAI.APIError)
  t.match(err, { error: { code: 'rate_limit_exceeded', message: /try again in 7s/ } })
})

t.test('refusal: a refusal part, no output_text', async t => {
  const response = await final(t, streamOf(t, REFUSAL))
  t.match(response.output, [{ type: 'message', content: [{ type: 'refusal', refusal: "I can't help." }] }])
  t.equal(response.output_text, '')
})

t.test('custom tool call: the SDK accumulates the complete raw input', async t => {
  const served = streamOf(t, CUSTOM_TOOL)
  const { openai } = await sdk(t, served.reply)
  const stream = openai.responses.stream(params)
  let deltas = ''
  stream.on('response.custom_tool_call_input.delta', e => { deltas += e.delta })
  const response = await stream.finalResponse()
  t.equal(deltas, PATCH)
  t.match(response.output, [{ type: 'custom_tool_call', id: 'ctc_mock-abc_0', call_id: 'call_p', name: 'apply_patch', input: PATCH }])
})

t.test('namespaced calls keep their namespace', async t => {
  const response = await final(t, streamOf(t, NAMESPACED, TOOLS_REQUEST))
  t.match(response.output, [{ name: 'read', namespace: 'fs' }, { name: 'shell' }])
  t.notOk('namespace' in (response.output[1] ?? {}))
})

t.test('encrypted and redacted reasoning', async t => {
  const sealed = await final(t, streamOf(t, signedReasoning(ANTHROPIC_SIG), { ...REQUEST, encryptedReasoning: true }))
  t.match(sealed.output[0], { type: 'reasoning', encrypted_content: /^swy1\./ })
  const redacted = await final(t, streamOf(t, REDACTED, { ...REQUEST, encryptedReasoning: true }))
  t.match(redacted.output, [{ type: 'reasoning', summary: [], encrypted_content: /^swy1\./ }, { type: 'message' }])
})

t.test('opened early (open() before any upstream event): one id, the SDK accepts it', async t => {
  const served = streamOf(t, TOOL, { ...REQUEST, model: 'client-model' }, true)
  const { openai } = await sdk(t, served.reply)
  const stream = openai.responses.stream(params)
  const ids: string[] = []
  stream.on('response.created', e => { ids.push(e.response.id) })
  const response = await stream.finalResponse()
  t.equal(ids.length, 1)
  t.equal(response.id, ids[0])
  t.equal(response.model, 'm1')
  t.match(response.output, [{ type: 'message' }, { type: 'function_call', call_id: 'call_a', arguments: '{"city":"Paris"}' }])
})

t.test('non-streaming: the SDK reads encodeResponse (output_text helper included)', async t => {
  const { openai } = await sdk(t, { json: client.encodeResponse(TOOL_RESPONSE, REQUEST) })
  const response = await openai.responses.create({ model: 'm1', input: 'hi' })
  t.equal(response.output_text, 'Checking.')
  t.match(response.output, [{ type: 'reasoning' }, { type: 'message' }, { type: 'function_call', call_id: 'call_a' }])
  const { openai: o2 } = await sdk(t, { json: client.encodeResponse(TEXT_RESPONSE, REQUEST) })
  t.equal((await o2.responses.create({ model: 'm1', input: 'hi' })).output_text, 'Hello')
  const { openai: o3 } = await sdk(t, { json: client.encodeResponse(CUSTOM_RESPONSE, REQUEST) })
  t.match((await o3.responses.create({ model: 'm1', input: 'hi' })).output, [{ type: 'custom_tool_call', input: PATCH }])
})
