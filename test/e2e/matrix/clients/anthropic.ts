// The Anthropic SDK (PROTOCOLS.md §3, §5.4): `messages.create()` for whole replies,
// `messages.stream()` + `finalMessage()` for streams — the accumulator that needs message_start,
// dense block indexes and message_stop.
import Anthropic from '@anthropic-ai/sdk'
import type { Message, MessageParam } from '@anthropic-ai/sdk/resources/messages'
import { ASK, QUESTION, SYSTEM, THANKS, TOOL_CALLS, TOOL_DEFS, type Outcome, type ScenarioId, type ToolTurn } from '../scenarios.js'
import type { ClientDriver } from '../types.js'

const tools: Anthropic.Tool[] = TOOL_DEFS.map(d => ({ name: d.name, description: d.description, input_schema: structuredClone(d.schema) as unknown as Anthropic.Tool.InputSchema }))

function messages (scenario: ScenarioId, toolTurn: ToolTurn | undefined, replay: Outcome | undefined): MessageParam[] {
  if (scenario === 'reasoning' && replay !== undefined) {
    // Claude Code replays thinking blocks exactly as received, signature included.
    const thinking = { type: 'thinking' as const, thinking: replay.reasoning ?? '', signature: replay.reasoningSignature ?? '' }
    return [{ role: 'user', content: ASK }, { role: 'assistant', content: [thinking, { type: 'text', text: replay.text }] }, { role: 'user', content: THANKS }]
  }
  if (scenario === 'reasoning') return [{ role: 'user', content: ASK }]
  const base: MessageParam[] = [{ role: 'user', content: QUESTION }]
  if (toolTurn === undefined) return base
  return [
    ...base,
    { role: 'assistant', content: toolTurn.calls.map(c => ({ type: 'tool_use' as const, id: c.id, name: c.name, input: c.args })) },
    { role: 'user', content: toolTurn.calls.map((c, i) => ({ type: 'tool_result' as const, tool_use_id: c.id, content: TOOL_CALLS[i]!.result })) },
  ]
}

const FINISH: Record<string, Outcome['finish']> = { end_turn: 'stop', tool_use: 'tool-calls', max_tokens: 'length' }

function outcome (res: Message): Outcome {
  let text = ''
  let reasoning: string | undefined
  let signature: string | undefined
  const calls: Array<Outcome['toolCalls'][number]> = []
  for (const b of res.content) {
    if (b.type === 'text') text += b.text
    else if (b.type === 'thinking') { reasoning = (reasoning ?? '') + b.thinking; signature = b.signature }
    else if (b.type === 'tool_use') calls.push({ id: b.id, name: b.name, args: b.input })
  }
  return {
    text,
    toolCalls: calls,
    ...(reasoning === undefined ? {} : { reasoning }),
    ...(signature === undefined ? {} : { reasoningSignature: signature }),
    finish: FINISH[res.stop_reason ?? ''] ?? 'other',
    usage: { input: res.usage.input_tokens + (res.usage.cache_read_input_tokens ?? 0) + (res.usage.cache_creation_input_tokens ?? 0), output: res.usage.output_tokens },
  }
}

export const anthropicClient: ClientDriver = {
  dialect: 'anthropic',
  async run (scenario, { url, stream, toolTurn, replay }) {
    const client = new Anthropic({ baseURL: url, apiKey: 'client-key', maxRetries: 0 })
    const params = {
      model: 'client-model',
      max_tokens: scenario === 'reasoning' ? 4096 : 1024,
      messages: messages(scenario, toolTurn, replay),
      ...(scenario === 'reasoning' ? { thinking: { type: 'enabled' as const, budget_tokens: 2048 } } : { system: SYSTEM }),
      ...(scenario === 'tools' ? { tools } : {}),
    }
    if (!stream) return outcome(await client.messages.create(params))
    return outcome(await client.messages.stream(params).finalMessage())
  },
}
