// CanonicalResponse → `chat.completion` (PROTOCOLS.md §1.2). Reasoning has no official Chat
// field: it is dropped here and only counted in `completion_tokens_details.reasoning_tokens`.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse } from '../../canonical/response.js'
import { idBody } from '../shared/ids.js'
import { chatFinishReason } from './finish-reason.js'
import { chatUsage } from './usage.js'
import type { ChatCompletion, ChatMessage, ChatToolCall } from './wire.js'

export function encodeResponse (res: CanonicalResponse, _req: CanonicalRequest): ChatCompletion {
  let text: string | undefined
  const toolCalls: ChatToolCall[] = []
  for (const block of res.content) {
    if (block.type === 'text') text = (text ?? '') + block.text
    else if (block.type === 'tool-call') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: block.arguments } })
    }
  }
  // §1.2: `content` is null when only tool calls were produced.
  const content = text ?? (toolCalls.length > 0 ? null : '')
  const message: ChatMessage = toolCalls.length > 0
    ? { role: 'assistant', content, refusal: null, tool_calls: toolCalls, annotations: [] }
    : { role: 'assistant', content, refusal: null, annotations: [] }
  const completion: ChatCompletion = {
    id: 'chatcmpl-' + idBody(res.id),
    object: 'chat.completion',
    created: res.created,
    model: res.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: chatFinishReason(res.finish, toolCalls.length > 0) }],
  }
  return res.usage === undefined ? completion : { ...completion, usage: chatUsage(res.usage) }
}
