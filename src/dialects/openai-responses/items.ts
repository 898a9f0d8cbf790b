// Output items (PROTOCOLS.md §2.2) and their ids. Ids derive from the response id and the
// item's output_index, so they are deterministic and unique within a response (§6.5: never
// the same id twice — openai-node 7.x checks).
import type { ItemStatus, MessageItem, FunctionCallItem, ReasoningItem } from './wire.js'

export function itemId (prefix: 'msg_' | 'fc_' | 'rs_', idBody: string, outputIndex: number): string {
  return prefix + idBody + '_' + outputIndex
}

/** A canonical tool call without an id gets a synthetic `call_…` (§6.5). */
export function callIdOf (toolCallId: string | undefined, idBody: string, outputIndex: number): string {
  return toolCallId ?? 'call_' + idBody + '_' + outputIndex
}

export function messageItem (id: string, text: string | undefined, status: ItemStatus): MessageItem {
  return {
    type: 'message',
    id,
    status,
    role: 'assistant',
    content: text === undefined ? [] : [{ type: 'output_text', text, annotations: [] }],
  }
}

export function functionCallItem (id: string, callId: string, name: string, args: string, status: ItemStatus): FunctionCallItem {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status }
}

/** An empty reasoning text has no summary part (the stream opens one on the first delta). */
export function reasoningItem (id: string, text: string): ReasoningItem {
  return { type: 'reasoning', id, summary: text === '' ? [] : [{ type: 'summary_text', text }] }
}
