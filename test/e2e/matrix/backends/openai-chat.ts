// A Chat Completions upstream (PROTOCOLS.md §1): replies written by hand in the real wire format
// (role-first chunk, tool-call fragments, finish chunk, usage chunk, [DONE]), and a check that
// what it received is a valid Chat Completions request.
import type { Test } from 'tap'
import type { RecordedRequest, Script } from '../../../helpers/mock-upstream.js'
import { AFTER_TOOLS, ANSWER, REASONING, TEXT_PIECES, TOOL_CALLS, USAGE, type ScenarioId, type ToolTurn } from '../scenarios.js'
import type { BackendFixture } from '../types.js'

const CREATED = 1700000000
const IDS = ['call_w1', 'call_t2']
const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output, completion_tokens_details: { reasoning_tokens: 3 } }

interface Parsed { messages: Array<Record<string, unknown>>, tools?: Array<Record<string, unknown>>, stream?: boolean, stream_options?: unknown, reasoning_effort?: string, model: string }
const parse = (r: RecordedRequest) => JSON.parse(r.body.toString()) as Parsed
const isTurn2 = (r: RecordedRequest) => parse(r).messages.some(m => m.role === 'tool')

function chunk (delta: Record<string, unknown>, finish: string | null = null): string {
  return 'data: ' + JSON.stringify({ id: 'chatcmpl-up1', object: 'chat.completion.chunk', created: CREATED, model: 'up-model', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }) + '\n\n'
}
const usageChunk = 'data: ' + JSON.stringify({ id: 'chatcmpl-up1', object: 'chat.completion.chunk', created: CREATED, model: 'up-model', choices: [], usage }) + '\n\n'
const sse = (frames: string[]): Script => ({ headers: { 'content-type': 'text/event-stream' }, frames: [...frames, usageChunk, 'data: [DONE]\n\n'] })

function completion (message: Record<string, unknown>, finish: string): Script {
  const body = { id: 'chatcmpl-up1', object: 'chat.completion', created: CREATED, model: 'up-model', choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: finish }], usage }
  return { headers: { 'content-type': 'application/json' }, frames: [JSON.stringify(body)] }
}

function streamed (scenario: ScenarioId, turn2: boolean): Script {
  if (scenario === 'text') return sse([chunk({ role: 'assistant', content: '' }), ...TEXT_PIECES.map(p => chunk({ content: p })), chunk({}, 'stop')])
  if (scenario === 'reasoning') {
    return sse([chunk({ role: 'assistant', content: '' }), chunk({ reasoning_content: REASONING.slice(0, 10) }), chunk({ reasoning_content: REASONING.slice(10) }), chunk({ content: ANSWER }), chunk({}, 'stop')])
  }
  if (turn2) return sse([chunk({ role: 'assistant', content: AFTER_TOOLS }), chunk({}, 'stop')])
  const frames = [chunk({ role: 'assistant', content: null })]
  TOOL_CALLS.forEach((call, i) => {
    const args = JSON.stringify(call.args)
    frames.push(chunk({ tool_calls: [{ index: i, id: IDS[i], type: 'function', function: { name: call.name, arguments: '' } }] }))
    frames.push(chunk({ tool_calls: [{ index: i, function: { arguments: args.slice(0, 5) } }] }))
    frames.push(chunk({ tool_calls: [{ index: i, function: { arguments: args.slice(5) } }] }))
  })
  frames.push(chunk({}, 'tool_calls'))
  return sse(frames)
}

function whole (scenario: ScenarioId, turn2: boolean): Script {
  if (scenario === 'text') return completion({ content: TEXT_PIECES.join('') }, 'stop')
  if (scenario === 'reasoning') return completion({ content: ANSWER, reasoning_content: REASONING }, 'stop')
  if (turn2) return completion({ content: AFTER_TOOLS }, 'stop')
  const calls = TOOL_CALLS.map((c, i) => ({ id: IDS[i], type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } }))
  return completion({ content: null, tool_calls: calls }, 'tool_calls')
}

function checkTurn2 (t: Test, body: Parsed, toolTurn: ToolTurn): void {
  const assistant = body.messages.find(m => m.role === 'assistant') as { tool_calls?: Array<{ id: string, type: string, function: { name: string, arguments: string } }> } | undefined
  t.same(assistant?.tool_calls?.map(c => [c.type, c.function.name, JSON.parse(c.function.arguments)]), TOOL_CALLS.map(c => ['function', c.name, c.args]), 'assistant tool_calls replayed')
  const tools = body.messages.filter(m => m.role === 'tool') as Array<{ tool_call_id: string, content: unknown }>
  t.equal(tools.length, 2, 'one tool message per result')
  t.same(tools.map(m => m.tool_call_id), assistant?.tool_calls?.map(c => c.id), 'results pair with the calls by id')
  t.ok(tools.every(m => (m.tool_call_id).length <= 40), 'ids fit OpenAI limits')
  t.same(tools.map(m => typeof m.content === 'string' ? m.content : JSON.stringify(m.content)), TOOL_CALLS.map(c => c.result), 'results carried')
  t.equal(toolTurn.calls.length, 2)
}

export const openaiChatBackend: BackendFixture = {
  protocol: 'openai-chat',
  reply: (scenario, stream, request) => (stream ? streamed : whole)(scenario, isTurn2(request)),
  check (t, scenario, request, toolTurn) {
    t.equal(request.url, '/v1/chat/completions', 'Chat Completions path')
    const body = parse(request)
    t.type(body.model, 'string')
    t.ok(Array.isArray(body.messages) && body.messages.length > 0, 'messages present')
    for (const m of body.messages) t.ok(['system', 'user', 'assistant', 'tool'].includes(m.role as string), `role ${String(m.role)} is Chat's`)
    if (body.stream === true) t.match(body.stream_options, { include_usage: true }, 'usage asked for')
    if (scenario === 'tools' && toolTurn === undefined) {
      t.same(body.tools?.map(tool => [tool.type, (tool.function as { name: string }).name]), [['function', 'get_weather'], ['function', 'get_time']], 'function tools')
    }
    if (scenario === 'tools' && toolTurn !== undefined) checkTurn2(t, body, toolTurn)
    if (scenario === 'reasoning') t.type(body.reasoning_effort, 'string', 'reasoning effort sent')
  },
  checkReplay (t, request) {
    const body = parse(request)
    t.match(body.messages.find(m => m.role === 'assistant'), { content: ANSWER }, 'the answer replayed')
    t.notOk(request.body.toString().includes('swy1.'), 'no Switchyard envelope reaches a Chat backend')
  },
}
