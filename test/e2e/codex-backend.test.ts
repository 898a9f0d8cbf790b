// Claude Code's SDK (@anthropic-ai/sdk) through Switchyard to a Codex-style Responses backend
// (issue 6 §2): an upstream that refuses any request without `instructions`, with `store` other
// than false, without `include: ["reasoning.encrypted_content"]`, not streamed, or carrying
// `max_output_tokens`/`temperature`/`safety_identifier` — as the ChatGPT Codex endpoint does. The
// backend is configured with `instructions`, `forceStream`, `include` and `dropFields`; text, tool use and thinking must work whole and streamed. One test shows that
// without `forceStream` a whole-reply request gets the upstream's 400, in Anthropic form.
import t from 'tap'
import Anthropic from '@anthropic-ai/sdk'
import { json, startMockUpstream, type MockUpstream, type RecordedRequest, type Script } from '../helpers/mock-upstream.js'
import { respSse } from '../helpers/responses-sse.js'
import { startApp, type StartedApp } from '../helpers/start-app.js'

const INSTRUCTIONS = 'You are Codex, based on GPT-5.\n\n## General\n- Keep this text byte-exact.'
const ENC = 'reasoning.encrypted_content'
type Body = Record<string, unknown> & { readonly input: ReadonlyArray<Record<string, unknown>> }
type Tap = Parameters<typeof startMockUpstream>[0]

/** What the Codex endpoint checks before anything else; the reason a request is refused. */
function refusal (body: Record<string, unknown>): string | undefined {
  if (typeof body.instructions !== 'string' || body.instructions === '') return 'Instructions are required'
  if (body.store !== false) return 'Store must be set to false'
  if (!Array.isArray(body.include) || !body.include.includes(ENC)) return `include must contain ${ENC}`
  if (body.stream !== true) return 'Stream must be set to true'
  for (const name of ['max_output_tokens', 'temperature', 'safety_identifier']) if (name in body) return `Unsupported parameter: ${name}`
  return undefined
}

/** A strict Codex-style upstream answering `replies` in order to the requests it accepts. */
async function codexUpstream (t: Tap, replies: Script[]): Promise<MockUpstream> {
  return startMockUpstream(t, (req: RecordedRequest) => {
    const why = req.url === '/backend-api/codex/responses' ? refusal(JSON.parse(req.body.toString()) as Record<string, unknown>) : `no route ${req.url}`
    if (why !== undefined) return json({ error: { message: why, type: 'invalid_request_error', param: null, code: null } }, 400)
    return replies.shift() ?? json({ error: { message: 'no reply scripted', type: 'server_error', param: null, code: null } }, 500)
  })
}
async function gateway (t: Tap, upstream: MockUpstream, forceStream = true): Promise<StartedApp> {
  return startApp(t, {
    logging: { level: 'warn' },
    backends: [{
      name: 'codex',
      protocol: 'openai-responses',
      url: upstream.url + '/backend-api/codex',
      apiKey: 'sk-codex-0001',
      model: 'gpt-5-codex',
      instructions: INSTRUCTIONS,
      ...(forceStream ? { forceStream: true } : {}),
      include: [ENC],
      // Claude Code always sends max_tokens (and often metadata.user_id); this upstream refuses them.
      dropFields: ['max_output_tokens', 'temperature', 'top_p', 'safety_identifier'],
      match: { default: true },
    }],
  })
}

const claude = (app: StartedApp): Anthropic => new Anthropic({ baseURL: app.url, apiKey: 'client-key-0001', maxRetries: 0 })
const sent = (upstream: MockUpstream, n: number): Body => JSON.parse(upstream.requests[n]!.body.toString()) as Body
const USAGE = { usage: { input: 12, output: 5 } }
const ASK = { model: 'claude-sonnet-4-5', max_tokens: 256, temperature: 0.5, metadata: { user_id: 'user-1' }, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'hi' }] }
const WEATHER: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

t.test('text, whole and streamed: the upstream is always called streaming, with the configured instructions', async t => {
  const upstream = await codexUpstream(t, [
    respSse([{ type: 'message', pieces: ['Hello', ' there'] }], USAGE),
    respSse([{ type: 'message', pieces: ['Streamed', ' hello'] }], USAGE),
  ])
  const client = claude(await gateway(t, upstream))
  const whole = await client.messages.create(ASK)
  t.match(whole, { type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Hello there' }], usage: { input_tokens: 12, output_tokens: 5 } })
  const streamed = await client.messages.stream(ASK).finalMessage()
  t.match(streamed, { stop_reason: 'end_turn', content: [{ type: 'text', text: 'Streamed hello' }] })
  t.equal(upstream.requests.length, 2, 'both accepted on the first try')
  for (const n of [0, 1]) {
    const body = sent(upstream, n)
    t.match(body, { model: 'gpt-5-codex', stream: true, store: false, include: [ENC] })
    t.equal(body.instructions, INSTRUCTIONS, 'byte-exact, the client system prompt not mixed in')
    t.strictSame(body.input[0], { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] }, "the client's system prompt kept as a developer message")
    t.equal(upstream.requests[n]!.headers.authorization, 'Bearer sk-codex-0001')
  }
})

t.test('tool use: tool_use out, tool_result back, the upstream sees function_call and function_call_output paired', async t => {
  const upstream = await codexUpstream(t, [
    respSse([{ type: 'message', pieces: ['Checking.'] }, { type: 'function_call', callId: 'call_w1', name: 'get_weather', pieces: ['{"city":', '"Paris"}'] }], USAGE),
    respSse([{ type: 'message', pieces: ['It is 18°C in Paris.'] }], USAGE),
  ])
  const client = claude(await gateway(t, upstream))
  const ask = { ...ASK, tools: [WEATHER], messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] }
  const first = await client.messages.stream(ask).finalMessage()
  t.equal(first.stop_reason, 'tool_use')
  const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
  t.match(use, { name: 'get_weather', input: { city: 'Paris' } })
  const second = await client.messages.create({
    ...ask,
    messages: [...ask.messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use!.id, content: '18°C' }] }],
  })
  t.match(second, { stop_reason: 'end_turn', content: [{ type: 'text', text: 'It is 18°C in Paris.' }] })
  t.match(sent(upstream, 0).tools, [{ type: 'function', name: 'get_weather' }])
  const items = sent(upstream, 1).input
  const call = items.findIndex(i => i.type === 'function_call')
  t.match(items[call], { type: 'function_call', call_id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' })
  t.strictSame(items[call + 1], { type: 'function_call_output', call_id: 'call_w1', output: '18°C' }, 'the result right after its call, same call_id')
})

t.test('thinking: a thinking block whose signature is an envelope; replaying it sends the original encrypted_content back', async t => {
  const upstream = await codexUpstream(t, [
    respSse([{ type: 'reasoning', summary: [['Weighing ', 'options.']], encrypted: 'gAAAA-opaque-1' }, { type: 'message', pieces: ['Answer one.'] }], { usage: { input: 12, output: 40, reasoning: 30 } }),
    respSse([{ type: 'message', pieces: ['Answer two.'] }], USAGE),
  ])
  const client = claude(await gateway(t, upstream))
  const ask = { ...ASK, max_tokens: 4096, thinking: { type: 'enabled' as const, budget_tokens: 2048 } }
  const first = await client.messages.stream(ask).finalMessage()
  const thinking = first.content[0] as Anthropic.ThinkingBlock
  t.match(thinking, { type: 'thinking', thinking: 'Weighing options.' })
  t.match(thinking.signature, /^swy1\./, 'a Switchyard envelope, not the raw encrypted_content')
  t.match(first.content[1], { type: 'text', text: 'Answer one.' })
  t.match(sent(upstream, 0), { reasoning: { effort: 'medium', summary: 'auto' }, include: [ENC] })
  await client.messages.create({
    ...ask,
    messages: [...ask.messages, { role: 'assistant', content: first.content }, { role: 'user', content: 'And then?' }],
  })
  const replayed = sent(upstream, 1).input.filter(i => i.type === 'reasoning')
  t.strictSame(replayed, [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Weighing options.' }], encrypted_content: 'gAAAA-opaque-1' }])
})

t.test('without forceStream, a whole-reply request gets the upstream 400, in Anthropic form', async t => {
  const upstream = await codexUpstream(t, [respSse([{ type: 'message', pieces: ['unreachable'] }], USAGE)])
  const client = claude(await gateway(t, upstream, false))
  const err = await client.messages.create(ASK).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof Anthropic.BadRequestError, 'a 400')
  t.match((err as InstanceType<typeof Anthropic.BadRequestError>).error, { type: 'error', error: { type: 'invalid_request_error', message: /Stream must be set to true/ } })
  t.equal(sent(upstream, 0).stream, false)
  t.equal(upstream.requests.length, 1, 'a 400 is not retried')
})
