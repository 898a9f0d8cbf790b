// An Anthropic Messages upstream (PROTOCOLS.md §3): replies written by hand in the real wire
// format (every frame with its `event:` line, an empty first input_json_delta, a signature_delta
// before the thinking block stops), and a check that what it received obeys the Messages rules.
import type { Test } from 'tap'
import type { RecordedRequest, Script } from '../../../helpers/mock-upstream.js'
import { AFTER_TOOLS, ANSWER, REASONING, TEXT_PIECES, TOOL_CALLS, USAGE, type ScenarioId, type ToolTurn } from '../scenarios.js'
import type { BackendFixture } from '../types.js'

export const SIGNATURE = 'EqQBCkgIARABGAIiQL2pY1sig'
const IDS = ['toolu_01Weather', 'toolu_02Time']

type Block = Record<string, unknown> & { type: string }
interface Message { role: string, content: string | Block[] }
interface Parsed { model: string, max_tokens: number, messages: Message[], system?: unknown, tools?: Array<Record<string, unknown>>, thinking?: { type: string, budget_tokens?: number }, temperature?: number, stream?: boolean }
const parse = (r: RecordedRequest) => JSON.parse(r.body.toString()) as Parsed
const blocks = (m: Message): Block[] => typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content
const isTurn2 = (r: RecordedRequest) => parse(r).messages.some(m => blocks(m).some(b => b.type === 'tool_result'))

const frame = (data: Record<string, unknown> & { type: string }) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`
const startUsage = { input_tokens: USAGE.input, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
const messageStart = frame({ type: 'message_start', message: { id: 'msg_up1', type: 'message', role: 'assistant', model: 'up-model', content: [], stop_reason: null, stop_sequence: null, usage: startUsage } })

function blockFrames (index: number, block: Block, deltas: Block[]): string[] {
  return [
    frame({ type: 'content_block_start', index, content_block: block }),
    ...deltas.map(delta => frame({ type: 'content_block_delta', index, delta })),
    frame({ type: 'content_block_stop', index }),
  ]
}

function sse (body: string[], stop: string): Script {
  const end = [
    frame({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: USAGE.output } }),
    frame({ type: 'message_stop' }),
  ]
  return { headers: { 'content-type': 'text/event-stream' }, frames: [messageStart, frame({ type: 'ping' }), ...body, ...end] }
}

function streamed (scenario: ScenarioId, turn2: boolean): Script {
  if (scenario === 'text') return sse(blockFrames(0, { type: 'text', text: '' }, TEXT_PIECES.map(text => ({ type: 'text_delta', text }))), 'end_turn')
  if (scenario === 'reasoning') {
    return sse([
      ...blockFrames(0, { type: 'thinking', thinking: '', signature: '' }, [
        { type: 'thinking_delta', thinking: REASONING.slice(0, 10) },
        { type: 'thinking_delta', thinking: REASONING.slice(10) },
        { type: 'signature_delta', signature: SIGNATURE },
      ]),
      ...blockFrames(1, { type: 'text', text: '' }, [{ type: 'text_delta', text: ANSWER }]),
    ], 'end_turn')
  }
  if (turn2) return sse(blockFrames(0, { type: 'text', text: '' }, [{ type: 'text_delta', text: AFTER_TOOLS }]), 'end_turn')
  const frames: string[] = []
  TOOL_CALLS.forEach((call, i) => {
    const args = JSON.stringify(call.args)
    frames.push(...blockFrames(i, { type: 'tool_use', id: IDS[i], name: call.name, input: {} }, [
      { type: 'input_json_delta', partial_json: '' },
      { type: 'input_json_delta', partial_json: args.slice(0, 7) },
      { type: 'input_json_delta', partial_json: args.slice(7) },
    ]))
  })
  return sse(frames, 'tool_use')
}

function whole (scenario: ScenarioId, turn2: boolean): Script {
  let content: Block[]
  let stop = 'end_turn'
  if (scenario === 'text') content = [{ type: 'text', text: TEXT_PIECES.join('') }]
  else if (scenario === 'reasoning') content = [{ type: 'thinking', thinking: REASONING, signature: SIGNATURE }, { type: 'text', text: ANSWER }]
  else if (turn2) content = [{ type: 'text', text: AFTER_TOOLS }]
  else {
    content = TOOL_CALLS.map((c, i) => ({ type: 'tool_use', id: IDS[i], name: c.name, input: c.args }))
    stop = 'tool_use'
  }
  const body = { id: 'msg_up1', type: 'message', role: 'assistant', model: 'up-model', content, stop_reason: stop, stop_sequence: null, usage: { ...startUsage, output_tokens: USAGE.output } }
  return { headers: { 'content-type': 'application/json' }, frames: [JSON.stringify(body)] }
}

/** The Messages API's own validation rules (§3.1), so a request it would reject fails here. */
function checkRules (t: Test, body: Parsed): void {
  t.type(body.max_tokens, 'number', 'max_tokens present')
  t.equal(body.messages[0]?.role, 'user', 'first message is user')
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i]!
    t.ok(m.role === 'user' || m.role === 'assistant', 'roles are user/assistant')
    if (i > 0) t.not(m.role, body.messages[i - 1]!.role, 'roles alternate')
    for (const b of blocks(m)) if (b.type === 'text') t.not(b.text, '', 'no empty text block')
    const uses = blocks(m).filter(b => b.type === 'tool_use').map(b => b.id)
    if (uses.length > 0) {
      const next = body.messages[i + 1]
      const results = next === undefined ? [] : blocks(next)
      const leading = results.slice(0, uses.length)
      t.same(leading.map(b => [b.type, b.tool_use_id]), uses.map(id => ['tool_result', id]), 'every tool_use answered first thing in the next user message')
    }
  }
  for (const tool of body.tools ?? []) t.match(tool, { name: String, input_schema: { type: 'object' } }, 'tool has an object input_schema')
}

export const anthropicBackend: BackendFixture = {
  protocol: 'anthropic',
  reply: (scenario, stream, request) => (stream ? streamed : whole)(scenario, isTurn2(request)),
  check (t, scenario, request, toolTurn) {
    t.equal(request.url.split('?')[0], '/v1/messages', 'Messages path')
    t.match(request.headers['anthropic-version'], /^\d{4}-\d{2}-\d{2}$/, 'anthropic-version sent')
    const body = parse(request)
    checkRules(t, body)
    if (scenario === 'tools' && toolTurn === undefined) t.same(body.tools?.map(x => x.name), ['get_weather', 'get_time'], 'tools')
    if (scenario === 'tools' && toolTurn !== undefined) {
      const results = body.messages.flatMap(m => blocks(m)).filter(b => b.type === 'tool_result')
      t.same(results.map(b => typeof b.content === 'string' ? b.content : (b.content as Block[]).map(c => c.text).join('')), TOOL_CALLS.map(c => c.result), 'results carried')
    }
    if (scenario === 'reasoning') {
      t.equal(body.thinking?.type, 'enabled', 'thinking enabled')
      t.ok((body.thinking?.budget_tokens ?? 0) >= 1024, 'budget ≥ 1024')
      t.ok(body.max_tokens > (body.thinking?.budget_tokens ?? 0), 'max_tokens above the budget')
      t.equal(body.temperature, undefined, 'no temperature while thinking')
    }
  },
  checkReplay (t, request, withReasoning) {
    const body = parse(request)
    checkRules(t, body)
    const assistant = blocks(body.messages.find(m => m.role === 'assistant')!)
    if (withReasoning) t.same(assistant[0], { type: 'thinking', thinking: REASONING, signature: SIGNATURE }, 'own thinking block back byte for byte')
    else t.notOk(assistant.some(b => b.type === 'thinking'), 'no thinking block without a proof')
    t.match(assistant.at(-1), { type: 'text', text: ANSWER })
    t.notOk(request.body.toString().includes('swy1.'), 'no Switchyard envelope reaches Anthropic')
  },
}
