// The OpenAI SDK's Responses client (PROTOCOLS.md §2, §5.3): `responses.create()` for whole
// replies, `responses.stream()` + `finalResponse()` for streams — the accumulator that needs
// response.created first, items added in order and the full output in response.completed.
import OpenAI from 'openai'
import type { Response, ResponseInputItem } from 'openai/resources/responses/responses'
import { ASK, QUESTION, SYSTEM, THANKS, TOOL_CALLS, TOOL_DEFS, type Outcome, type ScenarioId, type ToolTurn } from '../scenarios.js'
import type { ClientDriver } from '../types.js'

const tools = TOOL_DEFS.map(d => ({ type: 'function' as const, name: d.name, description: d.description, parameters: structuredClone(d.schema) as unknown as Record<string, unknown>, strict: false }))

function input (scenario: ScenarioId, toolTurn: ToolTurn | undefined, replay: Outcome | undefined): ResponseInputItem[] {
  if (scenario === 'reasoning' && replay !== undefined) {
    // Codex (store:false) sends its reasoning items back, without ids, with encrypted_content.
    // (The SDK's type wants an `id`; Codex omits it, as the API allows with store:false.)
    const reasoning = { type: 'reasoning', summary: [{ type: 'summary_text', text: replay.reasoning ?? '' }], encrypted_content: replay.reasoningSignature ?? null } as unknown as ResponseInputItem
    return [{ role: 'user', content: ASK }, reasoning, { role: 'assistant', content: replay.text }, { role: 'user', content: THANKS }]
  }
  if (scenario === 'reasoning') return [{ role: 'user', content: ASK }]
  const base: ResponseInputItem[] = [{ role: 'user', content: QUESTION }]
  if (toolTurn === undefined) return base
  return [
    ...base,
    ...toolTurn.calls.map(c => ({ type: 'function_call' as const, call_id: c.id, name: c.name, arguments: JSON.stringify(c.args) })),
    ...toolTurn.calls.map((c, i) => ({ type: 'function_call_output' as const, call_id: c.id, output: TOOL_CALLS[i]!.result })),
  ]
}

function outcome (res: Response): Outcome {
  let reasoning: string | undefined
  let signature: string | undefined
  const calls: Array<Outcome['toolCalls'][number]> = []
  for (const item of res.output) {
    if (item.type === 'function_call') calls.push({ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) as unknown })
    if (item.type === 'reasoning') {
      reasoning = item.summary.map(s => s.text).join('\n\n')
      if (item.encrypted_content !== undefined && item.encrypted_content !== null) signature = item.encrypted_content
    }
  }
  const finish: Outcome['finish'] = res.status === 'incomplete'
    ? (res.incomplete_details?.reason === 'max_output_tokens' ? 'length' : 'other')
    : calls.length > 0 ? 'tool-calls' : res.status === 'completed' ? 'stop' : 'other'
  return {
    text: res.output_text,
    toolCalls: calls,
    ...(reasoning === undefined ? {} : { reasoning }),
    ...(signature === undefined ? {} : { reasoningSignature: signature }),
    finish,
    usage: { input: res.usage?.input_tokens ?? -1, output: res.usage?.output_tokens ?? -1 },
  }
}

export const openaiResponsesClient: ClientDriver = {
  dialect: 'openai-responses',
  async run (scenario, { url, stream, toolTurn, replay }) {
    const client = new OpenAI({ baseURL: url + '/v1', apiKey: 'client-key', maxRetries: 0 })
    const params = {
      model: 'client-model',
      input: input(scenario, toolTurn, replay),
      store: false,
      ...(scenario === 'reasoning'
        ? { reasoning: { effort: 'high' as const, summary: 'auto' as const }, include: ['reasoning.encrypted_content' as const], max_output_tokens: 2000 }
        : { instructions: SYSTEM }),
      ...(scenario === 'tools' ? { tools } : {}),
    }
    if (!stream) return outcome(await client.responses.create(params))
    return outcome(await client.responses.stream(params).finalResponse())
  },
}
