// CanonicalResponse → Anthropic `message` (PROTOCOLS.md §3.2). Reasoning becomes `thinking`
// (or `redacted_thinking`) whose opaque slot holds the backend's Anthropic signature, or a
// `swy1.` envelope carrying foreign reasoning and its text (§6.9). Refusals become text and
// the stop reason `refusal`.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse, ContentBlock } from '../../canonical/response.js'
import { signatureFor } from '../../canonical/signature.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import { hasToolCall } from '../shared/events.js'
import { idBody } from '../shared/ids.js'
import { parseToolArguments } from '../shared/tool-arguments.js'
import { anthropicStop } from './finish-reason.js'
import { anthropicUsage, ZERO_USAGE } from './usage.js'
import type { AnthropicBlock, AnthropicMessage } from './wire.js'

function block (b: ContentBlock, model: string): AnthropicBlock {
  switch (b.type) {
    case 'text':
    case 'refusal':
      return { type: 'text', text: b.text }
    case 'reasoning':
      if (b.redacted === true) return { type: 'redacted_thinking', data: signatureFor('anthropic', b.signature, b.text, true) }
      return { type: 'thinking', thinking: b.text, signature: signatureFor('anthropic', b.signature, b.text) }
    case 'tool-call': {
      const input = parseToolArguments(b.arguments)
      // `input` must be an object; inventing `{}` would silently lose the call's arguments.
      if (input === undefined) throw new UpstreamInvalidData(`tool call ${b.id} arguments are not a JSON object`)
      return { type: 'tool_use', id: b.id, name: b.name, input }
    }
  }
}

function hasRefusal (content: readonly ContentBlock[]): boolean {
  for (const b of content) if (b.type === 'refusal') return true
  return false
}

export function encodeResponse (res: CanonicalResponse, _req: CanonicalRequest): AnthropicMessage {
  const usage = res.usage === undefined ? ZERO_USAGE : anthropicUsage(res.usage)
  const stop = anthropicStop(res.finish, hasToolCall(res.content), hasRefusal(res.content))
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
