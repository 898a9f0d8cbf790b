// The OpenAI SDK's Chat Completions client (PROTOCOLS.md §1, §5.2): `create()` for whole replies,
// `stream()` + `finalChatCompletion()` for streams — the accumulator that throws on a missing
// role, finish_reason or tool-call field.
import OpenAI from 'openai'
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { ASK, QUESTION, SYSTEM, THANKS, TOOL_CALLS, TOOL_DEFS, type Outcome, type ScenarioId, type ToolTurn } from '../scenarios.js'
import type { ClientDriver } from '../types.js'

const tools = TOOL_DEFS.map(d => ({ type: 'function' as const, function: { name: d.name, description: d.description, parameters: structuredClone(d.schema) as unknown as Record<string, unknown> } }))

function messages (scenario: ScenarioId, toolTurn: ToolTurn | undefined, replay: Outcome | undefined): ChatCompletionMessageParam[] {
  // Chat has no field for reasoning: a replayed turn carries the answer only.
  if (scenario === 'reasoning' && replay !== undefined) return [{ role: 'user', content: ASK }, { role: 'assistant', content: replay.text }, { role: 'user', content: THANKS }]
  if (scenario === 'reasoning') return [{ role: 'user', content: ASK }]
  const base: ChatCompletionMessageParam[] = [{ role: 'system', content: SYSTEM }, { role: 'user', content: QUESTION }]
  if (toolTurn === undefined) return base
  return [
    ...base,
    { role: 'assistant', content: null, tool_calls: toolTurn.calls.map(c => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.args) } })) },
    ...toolTurn.calls.map((c, i) => ({ role: 'tool' as const, tool_call_id: c.id, content: TOOL_CALLS[i]!.result })),
  ]
}

const FINISH: Record<string, Outcome['finish']> = { stop: 'stop', tool_calls: 'tool-calls', length: 'length' }

function outcome (res: ChatCompletion): Outcome {
  const choice = res.choices[0]!
  const calls = (choice.message.tool_calls ?? []).map(c => {
    if (c.type !== 'function') throw new Error('unexpected tool call type ' + c.type)
    return { id: c.id, name: c.function.name, args: JSON.parse(c.function.arguments) as unknown }
  })
  if (choice.message.role !== 'assistant') throw new Error('role is not assistant')
  return {
    text: choice.message.content ?? '',
    toolCalls: calls,
    finish: FINISH[choice.finish_reason] ?? 'other',
    usage: { input: res.usage?.prompt_tokens ?? -1, output: res.usage?.completion_tokens ?? -1 },
  }
}

export const openaiChatClient: ClientDriver = {
  dialect: 'openai-chat',
  async run (scenario, { url, stream, toolTurn, replay }) {
    const client = new OpenAI({ baseURL: url + '/v1', apiKey: 'client-key', maxRetries: 0 })
    const params = {
      model: 'client-model',
      messages: messages(scenario, toolTurn, replay),
      ...(scenario === 'tools' ? { tools } : {}),
      ...(scenario === 'reasoning' ? { reasoning_effort: 'high' as const, max_completion_tokens: 2000 } : {}),
    }
    if (!stream) return outcome(await client.chat.completions.create(params))
    const s = client.chat.completions.stream({ ...params, stream_options: { include_usage: true } })
    const argsDone: string[] = []
    s.on('tool_calls.function.arguments.done', e => argsDone.push(e.arguments))
    const res = outcome(await s.finalChatCompletion())
    // §4 of the conformance list: `arguments.done` fires once per call, with complete arguments.
    if (argsDone.length !== res.toolCalls.length) throw new Error(`arguments.done fired ${argsDone.length} times for ${res.toolCalls.length} calls`)
    argsDone.forEach((a, i) => { if (JSON.stringify(JSON.parse(a)) !== JSON.stringify(res.toolCalls[i]!.args)) throw new Error('arguments.done carried partial arguments') })
    return res
  },
}
