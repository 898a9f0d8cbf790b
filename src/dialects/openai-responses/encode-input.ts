// Canonical messages → Responses `input` items (PROTOCOLS.md §2.1, §6.1, §6.5, §6.6, §7.23,
// §7.26, §7.32). Content parts are encoded in encode-content.ts, reasoning in
// encode-reasoning.ts. Choices made here:
// - no item carries an `id` (requests are `store:false`, §7.23);
// - a user message's tool results become output items first, in order, then one user message
//   with the rest (as the Chat encoder orders tool messages before the user's text); a user
//   message left with nothing is not sent;
// - assistant parts keep their order: runs of text/refusal make one assistant message, each
//   call its own item, OpenAI-signed reasoning its reasoning item;
// - call ids (and result ids, so they still pair) go through legalToolId (§6.5, §7.26);
// - a call answered nowhere later in the conversation gets a synthetic "Error: tool result
//   missing" output (the Chat encoder's text) right after its assistant message (§7.32); a
//   result whose call is nowhere earlier is rejected, as the Anthropic encoder does (OpenAI
//   answers it with `No tool call found for function call output`);
// - a result answers with `custom_tool_call_output` when its call was a custom tool call.
import { MISSING_RESULT_OPENAI } from '../shared/orphan-calls.js'
import type { AssistantPart, CanonicalMessage, ToolCallPart, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { legalToolId, OPENAI_TOOL_IDS } from '../shared/tool-ids.js'
import { contentPart, toolOutput } from './encode-content.js'
import { reasoningItem } from './encode-reasoning.js'
import type { AssistantContentPart, InputContentPart, InputItem, ToolOutputItem } from './wire-request.js'


export interface EncodedInput {
  readonly items: InputItem[]
  /** Whether an OpenAI reasoning item is replayed (it needs `include` to keep round-tripping). */
  readonly replaysReasoning: boolean
}

interface State {
  readonly items: InputItem[]
  /** Legal id → whether the call is custom, for calls seen so far. */
  readonly calls: Map<string, boolean>
  /** Legal id → index of the last message holding a result for it. */
  readonly lastResult: ReadonlyMap<string, number>
  replaysReasoning: boolean
}

const callId = (id: string): string => legalToolId(id, OPENAI_TOOL_IDS)

export function encodeInput (messages: readonly CanonicalMessage[]): EncodedInput {
  const lastResult = new Map<string, number>()
  messages.forEach((m, i) => {
    if (m.role === 'user') for (const p of m.parts) if (p.type === 'tool-result') lastResult.set(callId(p.toolCallId), i)
  })
  const state: State = { items: [], calls: new Map(), lastResult, replaysReasoning: false }
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as CanonicalMessage
    if (m.role === 'user') encodeUser(m.parts, i, state)
    else encodeAssistant(m.parts, i, state)
  }
  return { items: state.items, replaysReasoning: state.replaysReasoning }
}

function encodeUser (parts: readonly UserPart[], at: number, state: State): void {
  const content: InputContentPart[] = []
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j] as UserPart
    const path = 'messages[' + at + '].content[' + j + ']'
    if (part.type !== 'tool-result') {
      content.push(contentPart(part, path))
      continue
    }
    const id = callId(part.toolCallId)
    const custom = state.calls.get(id)
    if (custom === undefined) throw convertError(path, `tool result ${part.toolCallId} answers no earlier tool call`)
    state.items.push(outputItem(id, custom, toolOutput(part, path)))
  }
  if (content.length > 0) state.items.push({ type: 'message', role: 'user', content })
}

function outputItem (id: string, custom: boolean, output: ToolOutputItem['output']): ToolOutputItem {
  return { type: custom ? 'custom_tool_call_output' : 'function_call_output', call_id: id, output }
}

function encodeAssistant (parts: readonly AssistantPart[], at: number, state: State): void {
  let text: AssistantContentPart[] = []
  const flush = (): void => {
    if (text.length > 0) state.items.push({ type: 'message', role: 'assistant', content: text })
    text = []
  }
  const orphans: string[] = []
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') text.push({ type: 'output_text', text: part.text })
    } else if (part.type === 'refusal') {
      if (part.text !== '') text.push({ type: 'refusal', refusal: part.text })
    } else if (part.type === 'reasoning') {
      const item = reasoningItem(part)
      if (item === undefined) continue
      flush()
      state.items.push(item)
      state.replaysReasoning = true
    } else {
      flush()
      const id = callId(part.id)
      state.items.push(callItem(part, id))
      state.calls.set(id, part.toolKind === 'custom')
      if ((state.lastResult.get(id) ?? -1) <= at) orphans.push(id)
    }
  }
  flush()
  for (const id of orphans) state.items.push(outputItem(id, state.calls.get(id) === true, MISSING_RESULT_OPENAI))
}

/** `""` arguments are sent as `"{}"` (servers that parse arguments reject empty text, §7.7). */
function callItem (part: ToolCallPart, id: string): InputItem {
  const ns = part.namespace === undefined ? {} : { namespace: part.namespace }
  if (part.toolKind === 'custom') return { type: 'custom_tool_call', call_id: id, name: part.name, input: part.arguments, ...ns }
  return { type: 'function_call', call_id: id, name: part.name, arguments: part.arguments === '' ? '{}' : part.arguments, ...ns }
}
