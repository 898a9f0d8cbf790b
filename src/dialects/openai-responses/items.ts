// Output items (PROTOCOLS.md §2.2) and their ids, shared by the whole reply and the stream so
// both produce the same items. Ids derive from the response id's body and the item's
// output_index: deterministic and unique within a response (§6.5: never the same id twice —
// openai-node 7.x checks). Optional fields (`namespace`, `encrypted_content`) appear only
// when they have a value.
import type { ToolKind } from '../../canonical/request.js'
import { signatureFor, type Signature } from '../../canonical/signature.js'
import type {
  CustomToolCallItem, FunctionCallItem, ItemStatus, MessageContent, MessageItem, OutputRefusal, OutputText, ReasoningItem,
} from './wire.js'

export type ItemPrefix = 'msg_' | 'fc_' | 'ctc_' | 'rs_'

export function itemId (prefix: ItemPrefix, idBody: string, outputIndex: number): string {
  return prefix + idBody + '_' + outputIndex
}

/** A canonical tool call without an id gets a synthetic `call_…` (§6.5; 7.x wants it non-empty). */
export function callIdOf (toolCallId: string | undefined, idBody: string, outputIndex: number): string {
  return toolCallId === undefined || toolCallId === '' ? 'call_' + idBody + '_' + outputIndex : toolCallId
}

export function outputText (text: string): OutputText {
  return { type: 'output_text', text, annotations: [] }
}

export function refusalPart (refusal: string): OutputRefusal {
  return { type: 'refusal', refusal }
}

/** `content` absent: the item as `output_item.added` shows it, before its part is added. */
export function messageItem (id: string, content: MessageContent | undefined, status: ItemStatus): MessageItem {
  return { type: 'message', id, status, role: 'assistant', content: content === undefined ? [] : [content] }
}

/** The called tool as the client named it: its Responses namespace, when it had one. */
export interface CalledTool {
  readonly name: string
  readonly namespace?: string | undefined
}

export function toolCallItem (
  kind: ToolKind, id: string, callId: string, tool: CalledTool, input: string, status: ItemStatus,
): FunctionCallItem | CustomToolCallItem {
  const item: FunctionCallItem | CustomToolCallItem = kind === 'custom'
    ? { type: 'custom_tool_call', id, call_id: callId, name: tool.name, input, status }
    : { type: 'function_call', id, call_id: callId, name: tool.name, arguments: input, status }
  return tool.namespace === undefined ? item : { ...item, namespace: tool.namespace }
}

/**
 * An empty (or redacted) reasoning text has no summary part. `encrypted` is the
 * `encrypted_content` value, given only when the request asked for it.
 */
export function reasoningItem (id: string, text: string, encrypted?: string): ReasoningItem {
  const summary = text === '' ? [] : [{ type: 'summary_text', text } as const]
  return encrypted === undefined ? { type: 'reasoning', id, summary } : { type: 'reasoning', id, summary, encrypted_content: encrypted }
}

/**
 * `include:["reasoning.encrypted_content"]` (§6.9, §9): an OpenAI signature verbatim; anything
 * else (Anthropic, Gemini, none) sealed in a `swy1.` envelope holding the text, so the next
 * request restores the original reasoning exactly.
 */
export function encryptedContent (signature: Signature | undefined, text: string, redacted: boolean): string {
  return signatureFor('openai', signature, text, redacted)
}
