// CanonicalResponse → Responses `response` object (PROTOCOLS.md §2.2): one output item per
// content block, in order; status from the finish reason (§6.7).
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse, ContentBlock } from '../../canonical/response.js'
import { idBody } from '../shared/ids.js'
import { terminalOf } from './finish-reason.js'
import { callIdOf, functionCallItem, itemId, messageItem, reasoningItem } from './items.js'
import { responseObject } from './response-object.js'
import { responsesUsage } from './usage.js'
import type { OutputItem, WireResponse } from './wire.js'

function outputItem (block: ContentBlock, body: string, index: number): OutputItem {
  switch (block.type) {
    // Refusal parts and encrypted_content are the Responses issue's (#4); a refusal reads as text.
    case 'text':
    case 'refusal': return messageItem(itemId('msg_', body, index), block.text, 'completed')
    case 'reasoning': return reasoningItem(itemId('rs_', body, index), block.text)
    case 'tool-call':
      return functionCallItem(itemId('fc_', body, index), callIdOf(block.id, body, index), block.name, block.arguments, 'completed')
  }
}

export function encodeResponse (res: CanonicalResponse, req: CanonicalRequest): WireResponse {
  const body = idBody(res.id)
  const output = res.content.map((block, i) => outputItem(block, body, i))
  const terminal = terminalOf(res.finish)
  return responseObject({ id: 'resp_' + body, createdAt: res.created, model: res.model }, req, {
    status: terminal.status,
    output,
    usage: res.usage === undefined ? null : responsesUsage(res.usage),
    incomplete: terminal.incomplete,
    error: terminal.error,
  })
}
