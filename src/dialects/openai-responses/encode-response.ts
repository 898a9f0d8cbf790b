// CanonicalResponse → Responses `response` object (PROTOCOLS.md §2.2): one output item per
// content block, in order, built exactly as the stream's `output_item.done` items are
// (items.ts, stream-items.ts); ids are `resp_`/`msg_`/`fc_`/`ctc_`/`rs_` + the body of the
// canonical id; status from the finish reason (§6.7).
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse, ContentBlock } from '../../canonical/response.js'
import { idBody } from '../shared/ids.js'
import { terminalOf } from './finish-reason.js'
import { callIdOf, encryptedContent, itemId, messageItem, outputText, reasoningItem, refusalPart, toolCallItem } from './items.js'
import { requestEcho, responseObject } from './response-object.js'
import { responsesUsage } from './usage.js'
import type { OutputItem, WireResponse } from './wire.js'

interface Context {
  readonly body: string
  readonly encrypted: boolean
}

function outputItem (block: ContentBlock, index: number, ctx: Context): OutputItem {
  switch (block.type) {
    case 'text': return messageItem(itemId('msg_', ctx.body, index), outputText(block.text), 'completed')
    case 'refusal': return messageItem(itemId('msg_', ctx.body, index), refusalPart(block.text), 'completed')
    case 'reasoning': {
      const redacted = block.redacted === true
      const id = itemId('rs_', ctx.body, index)
      const summary = redacted ? '' : block.text
      return ctx.encrypted ? reasoningItem(id, summary, encryptedContent(block.signature, block.text, redacted)) : reasoningItem(id, summary)
    }
    case 'tool-call': {
      const kind = block.toolKind ?? 'function'
      const id = itemId(kind === 'custom' ? 'ctc_' : 'fc_', ctx.body, index)
      // As in the stream: an argument-less function call says `{}` (§7.7).
      const input = kind === 'function' && block.arguments === '' ? '{}' : block.arguments
      return toolCallItem(kind, id, callIdOf(block.id, ctx.body, index), block, input, 'completed')
    }
  }
}

export function encodeResponse (res: CanonicalResponse, req: CanonicalRequest): WireResponse {
  const ctx: Context = { body: idBody(res.id), encrypted: req.encryptedReasoning === true }
  const output = res.content.map((block, i) => outputItem(block, i, ctx))
  const terminal = terminalOf(res.finish)
  return responseObject({ id: 'resp_' + ctx.body, createdAt: res.created, model: res.model }, requestEcho(req), {
    status: terminal.status,
    output,
    usage: res.usage === undefined ? null : responsesUsage(res.usage),
    incomplete: terminal.incomplete,
    error: terminal.error,
  })
}
