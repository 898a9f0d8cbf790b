// The @google/genai SDK (PROTOCOLS.md §4, §5.5): `models.generateContent()` for whole replies,
// `chats.sendMessageStream()` for streams — the chat helper keeps a chunk in its curated history
// only when it is valid model output, so a history that differs from the full one fails here.
import { GoogleGenAI, type Content, type GenerateContentResponse, type Part } from '@google/genai'
import { ASK, QUESTION, SYSTEM, THANKS, TOOL_CALLS, TOOL_DEFS, type Outcome, type ScenarioId, type ToolTurn } from '../scenarios.js'
import type { ClientDriver } from '../types.js'

const functionDeclarations = TOOL_DEFS.map(d => ({ name: d.name, description: d.description, parametersJsonSchema: structuredClone(d.schema) }))

function history (scenario: ScenarioId, toolTurn: ToolTurn | undefined, replay: Outcome | undefined): Content[] {
  if (scenario === 'reasoning' && replay !== undefined) {
    // A Gemini app replays the model turn as it came, thoughts and their signature included.
    const thought: Part = { text: replay.reasoning ?? '', thought: true, thoughtSignature: replay.reasoningSignature ?? '' }
    return [{ role: 'user', parts: [{ text: ASK }] }, { role: 'model', parts: [thought, { text: replay.text }] }]
  }
  if (scenario === 'reasoning') return []
  if (toolTurn === undefined) return []
  return [
    { role: 'user', parts: [{ text: QUESTION }] },
    { role: 'model', parts: toolTurn.calls.map(c => ({ functionCall: { ...idOf(c.id), name: c.name, args: c.args as Record<string, unknown> }, ...(c.signature === undefined ? {} : { thoughtSignature: c.signature }) })) },
  ]
}

/** Gemini itself gives calls no id: the driver numbers them apart, and sends back only real ids. */
const NO_ID = '(no id) '
const idOf = (id: string): { id?: string } => id.startsWith(NO_ID) ? {} : { id }

/** The user turn this scenario sends now. */
function message (scenario: ScenarioId, toolTurn: ToolTurn | undefined, replay: Outcome | undefined): Part[] {
  if (scenario === 'reasoning') return [{ text: replay === undefined ? ASK : THANKS }]
  if (toolTurn === undefined) return [{ text: QUESTION }]
  return toolTurn.calls.map((c, i) => ({ functionResponse: { ...idOf(c.id), name: c.name, response: { output: TOOL_CALLS[i]!.result } } }))
}

const FINISH: Record<string, Outcome['finish']> = { STOP: 'stop', MAX_TOKENS: 'length' }

function outcome (chunks: readonly GenerateContentResponse[]): Outcome {
  let text = ''
  let reasoning: string | undefined
  let signature: string | undefined
  const calls: Array<Outcome['toolCalls'][number]> = []
  let finish = ''
  let usage = { input: 0, output: 0 }
  for (const chunk of chunks) {
    const candidate = chunk.candidates?.[0]
    for (const part of candidate?.content?.parts ?? []) {
      const call = part.functionCall
      if (call !== undefined) {
        calls.push({ id: call.id ?? NO_ID + String(calls.length), name: call.name ?? '', args: call.args, ...(part.thoughtSignature === undefined ? {} : { signature: part.thoughtSignature }) })
        continue
      }
      if (part.thoughtSignature !== undefined) signature = part.thoughtSignature
      if (part.thought === true) reasoning = (reasoning ?? '') + (part.text ?? '')
      else if (part.text !== undefined) text += part.text
    }
    if (candidate?.finishReason !== undefined) finish = candidate.finishReason
    const meta = chunk.usageMetadata
    if (meta !== undefined) usage = { input: meta.promptTokenCount ?? 0, output: (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0) }
  }
  return {
    text,
    toolCalls: calls,
    ...(reasoning === undefined ? {} : { reasoning }),
    ...(signature === undefined ? {} : { reasoningSignature: signature }),
    // Gemini has no tool-call reason: calls come with STOP (§4.2).
    finish: calls.length > 0 && finish === 'STOP' ? 'tool-calls' : FINISH[finish] ?? 'other',
    usage,
  }
}

export const geminiClient: ClientDriver = {
  dialect: 'gemini',
  async run (scenario, { url, stream, toolTurn, replay }) {
    const ai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: url } })
    const config = {
      ...(scenario === 'reasoning' ? { thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 } } : { systemInstruction: SYSTEM }),
      ...(scenario === 'tools' ? { tools: [{ functionDeclarations }] } : {}),
    }
    const past = history(scenario, toolTurn, replay)
    const now = message(scenario, toolTurn, replay)
    if (!stream) {
      const res = await ai.models.generateContent({ model: 'client-model', contents: [...past, { role: 'user', parts: now }], config })
      return outcome([res])
    }
    const chat = ai.chats.create({ model: 'client-model', config, history: past })
    const chunks: GenerateContentResponse[] = []
    for await (const chunk of await chat.sendMessageStream({ message: now })) chunks.push(chunk)
    // Every chunk was valid model output (§5.5): the curated history keeps them all.
    if (JSON.stringify(chat.getHistory(true)) !== JSON.stringify(chat.getHistory(false))) throw new Error('chat history rejected a streamed chunk')
    return outcome(chunks)
  },
}
