// An OpenAI Responses upstream (PROTOCOLS.md §2): replies in the real event grammar (built by
// test/helpers/responses-sse.ts), and a check that what it received is a valid stateless
// Responses request — no item ids (store is false, §7.23), calls and outputs paired by call_id.
import type { Test } from 'tap'
import type { RecordedRequest, Script } from '../../../helpers/mock-upstream.js'
import { respSse, respWhole, type RespItemSpec } from '../../../helpers/responses-sse.js'
import { AFTER_TOOLS, ANSWER, REASONING, TEXT_PIECES, TOOL_CALLS, USAGE, type ScenarioId, type ToolTurn } from '../scenarios.js'
import type { BackendFixture } from '../types.js'

export const ENCRYPTED = 'gAAAAABencrypted-reasoning-blob'
const IDS = ['call_w1', 'call_t2']

type Item = Record<string, unknown> & { type?: string }
interface Parsed { model: string, input: Item[], instructions?: string, tools?: Item[], reasoning?: { effort?: string, summary?: string }, include?: string[], store?: boolean, stream?: boolean }
/** `type` may be omitted on a message that has a `role` (§2.1): normalised here. */
const parse = (r: RecordedRequest): Parsed => {
  const body = JSON.parse(r.body.toString()) as Parsed
  return { ...body, input: body.input.map(i => i.type === undefined && 'role' in i ? { ...i, type: 'message' } : i) }
}
const isTurn2 = (r: RecordedRequest) => parse(r).input.some(i => i.type === 'function_call_output')

function items (scenario: ScenarioId, turn2: boolean): { items: RespItemSpec[] } {
  if (scenario === 'text') return { items: [{ type: 'message', pieces: TEXT_PIECES }] }
  if (scenario === 'reasoning') {
    return { items: [{ type: 'reasoning', summary: [[REASONING.slice(0, 10), REASONING.slice(10)]], encrypted: ENCRYPTED }, { type: 'message', pieces: [ANSWER] }] }
  }
  if (turn2) return { items: [{ type: 'message', pieces: [AFTER_TOOLS] }] }
  return {
    items: TOOL_CALLS.map((call, i) => {
      const args = JSON.stringify(call.args)
      return { type: 'function_call' as const, callId: IDS[i]!, name: call.name, pieces: [args.slice(0, 5), args.slice(5)] }
    }),
  }
}

function reply (scenario: ScenarioId, stream: boolean, request: RecordedRequest): Script {
  const end = { usage: { input: USAGE.input, output: USAGE.output } }
  const { items: out } = items(scenario, isTurn2(request))
  return stream ? respSse(out, end) : respWhole(out, end)
}

function checkTurn2 (t: Test, body: Parsed): void {
  const calls = body.input.filter(i => i.type === 'function_call')
  const outputs = body.input.filter(i => i.type === 'function_call_output')
  t.same(calls.map(c => [c.name, JSON.parse(c.arguments as string)]), TOOL_CALLS.map(c => [c.name, c.args]), 'function_call items replayed')
  t.same(outputs.map(o => o.call_id), calls.map(c => c.call_id), 'outputs pair with the calls by call_id')
  t.same(outputs.map(o => o.output), TOOL_CALLS.map(c => c.result), 'results carried')
  const last = body.input.findLastIndex(i => i.type === 'function_call')
  t.ok(body.input.findIndex(i => i.type === 'function_call_output') > last, 'outputs follow their calls')
}

export const openaiResponsesBackend: BackendFixture = {
  protocol: 'openai-responses',
  reply,
  check (t, scenario, request, toolTurn) {
    t.equal(request.url, '/v1/responses', 'Responses path')
    const body = parse(request)
    t.type(body.model, 'string')
    t.ok(Array.isArray(body.input) && body.input.length > 0, 'input items present')
    t.equal(body.store, false, 'stateless toward the backend')
    t.notOk(body.input.some(i => 'id' in i), 'no item ids (the backend stores nothing)')
    for (const i of body.input) t.ok(['message', 'function_call', 'function_call_output', 'reasoning', 'custom_tool_call', 'custom_tool_call_output'].includes(i.type as string), `item type ${String(i.type)} is Responses'`)
    if (scenario === 'tools' && toolTurn === undefined) {
      t.same(body.tools?.map(x => [x.type, x.name, x.strict]), [['function', 'get_weather', false], ['function', 'get_time', false]], 'flat function tools with explicit strict')
    }
    if (scenario === 'tools' && toolTurn !== undefined) checkTurn2(t, body)
    if (scenario === 'reasoning') {
      t.type(body.reasoning?.effort, 'string', 'reasoning effort sent')
      t.ok(body.include?.includes('reasoning.encrypted_content'), 'encrypted reasoning asked for')
    }
  },
  checkReplay (t, request, withReasoning) {
    const body = parse(request)
    const reasoning = body.input.filter(i => i.type === 'reasoning')
    if (withReasoning) t.same(reasoning, [{ type: 'reasoning', summary: [{ type: 'summary_text', text: REASONING }], encrypted_content: ENCRYPTED }], 'own reasoning item back with its encrypted_content')
    else t.same(reasoning, [], 'no reasoning item without a proof')
    t.ok(body.input.some(i => i.type === 'message' && i.role === 'assistant'), 'the answer replayed')
    t.notOk(request.body.toString().includes('swy1.'), 'no Switchyard envelope reaches the backend')
  },
}
