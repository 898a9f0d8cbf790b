// CanonicalResponse → Anthropic `message` (PROTOCOLS.md §3.2). Reasoning becomes a `thinking`
// block with the backend's signature when it has one (proxy signatures: §6.9, not yet).
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse, ContentBlock } from '../../canonical/response.js'
import { UpstreamProtocol } from '../../errors/codes.js'
import { hasToolCall } from '../shared/events.js'
import { idBody } from '../shared/ids.js'
import { parseToolArguments } from '../shared/tool-arguments.js'
import { anthropicStop } from './finish-reason.js'
import { anthropicUsage, ZERO_USAGE } from './usage.js'
import type { AnthropicBlock, AnthropicMessage } from './wire.js'

function block (b: ContentBlock, model: string): AnthropicBlock {
  switch (b.type) {
    case 'text': return { type: 'text', text: b.text }
    case 'reasoning': return { type: 'thinking', thinking: b.text, signature: b.signature ?? '' }
    case 'tool-call': {
      const input = parseToolArguments(b.arguments)
      // `input` must be an object; inventing `{}` would silently lose the call's arguments.
      if (input === undefined) throw new UpstreamProtocol(model, `tool call ${b.id} arguments are not a JSON object`)
      return { type: 'tool_use', id: b.id, name: b.name, input }
    }
  }
}

export function encodeResponse (res: CanonicalResponse, _req: CanonicalRequest): AnthropicMessage {
  const usage = res.usage === undefined ? ZERO_USAGE : anthropicUsage(res.usage)
  const stop = anthropicStop(res.finish, hasToolCall(res.content))
  return {
    id: 'msg_' + idBody(res.id),
    type: 'message',
    role: 'assistant',
    model: res.model,
    content: res.content.map(b => block(b, res.model)),
    stop_reason: stop.stop_reason,
    stop_sequence: stop.stop_sequence,
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
      service_tier: 'standard',
    },
  }
}
