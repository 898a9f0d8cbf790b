// CanonicalResponse → `chat.completion` (PROTOCOLS.md §1.2). Reasoning has no official Chat
// field: it is dropped here and only counted in `completion_tokens_details.reasoning_tokens`.
// Refusal blocks become `message.refusal`; the finish reason stays what the canonical finish
// says (a refusal alone does not make it `content_filter`).
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse, ContentBlock } from '../../canonical/response.js'
import { idBody } from '../shared/ids.js'
import { chatFinishReason } from './finish-reason.js'
import { chatUsage } from './usage.js'
import type { ChatCompletion, ChatMessage, ChatToolCall } from './wire.js'

/** Tool calls keep whatever id the canonical block carries; custom calls use Chat's custom shape. */
function toolCall (block: Extract<ContentBlock, { type: 'tool-call' }>): ChatToolCall {
  return block.toolKind === 'custom'
    ? { id: block.id, type: 'custom', custom: { name: block.name, input: block.arguments } }
    : { id: block.id, type: 'function', function: { name: block.name, arguments: block.arguments } }
}

export function encodeResponse (res: CanonicalResponse, _req: CanonicalRequest): ChatCompletion {
  let text: string | undefined
  let refusal: string | null = null
  const toolCalls: ChatToolCall[] = []
  for (const block of res.content) {
    if (block.type === 'text') text = (text ?? '') + block.text
    else if (block.type === 'refusal') refusal = (refusal ?? '') + block.text
    else if (block.type === 'tool-call') toolCalls.push(toolCall(block))
  }
  // §1.2: `content` is null when only tool calls (or only a refusal) were produced.
  const content = text ?? (toolCalls.length > 0 || refusal !== null ? null : '')
  const message: ChatMessage = toolCalls.length > 0
    ? { role: 'assistant', content, refusal, tool_calls: toolCalls, annotations: [] }
    : { role: 'assistant', content, refusal, annotations: [] }
  const completion: ChatCompletion = {
    id: 'chatcmpl-' + idBody(res.id),
    object: 'chat.completion',
    created: res.created,
    model: res.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: chatFinishReason(res.finish, toolCalls.length > 0) }],
  }
  return res.usage === undefined ? completion : { ...completion, usage: chatUsage(res.usage) }
}
