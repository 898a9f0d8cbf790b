// A finished response as the event stream that would have produced it. Used when a streaming
// client meets an upstream that answered with plain JSON (some OpenAI-compatible servers ignore
// `stream:true`), and by the mock backend: one encoder path for both.
import type { CanonicalEvent } from './events.js'
import type { CanonicalResponse, ContentBlock } from './response.js'

function blockEvents (block: ContentBlock, index: number, out: CanonicalEvent[]): void {
  switch (block.type) {
    case 'text':
    case 'refusal':
      out.push({ type: 'block-start', index, kind: block.type }, { type: 'text-delta', index, delta: block.text })
      break
    case 'reasoning':
      out.push(block.redacted === true
        ? { type: 'block-start', index, kind: 'reasoning', redacted: true }
        : { type: 'block-start', index, kind: 'reasoning' })
      if (block.text !== '') out.push({ type: 'reasoning-delta', index, delta: block.text })
      if (block.signature !== undefined) out.push({ type: 'signature', index, signature: block.signature })
      break
    case 'tool-call':
      out.push({
        type: 'block-start',
        index,
        kind: 'tool-call',
        toolCallId: block.id,
        toolName: block.name,
        ...(block.toolKind === undefined ? {} : { toolKind: block.toolKind }),
        ...(block.namespace === undefined ? {} : { toolNamespace: block.namespace }),
      })
      if (block.arguments !== '') out.push({ type: 'tool-input-delta', index, delta: block.arguments })
      if (block.signature !== undefined) out.push({ type: 'signature', index, signature: block.signature })
      break
  }
  out.push({ type: 'block-end', index })
}

export function responseEvents (res: CanonicalResponse): CanonicalEvent[] {
  const out: CanonicalEvent[] = [{ type: 'message-start', id: res.id, model: res.model, created: res.created }]
  for (let i = 0; i < res.content.length; i++) blockEvents(res.content[i]!, i, out)
  if (res.usage !== undefined) out.push({ type: 'usage', usage: res.usage })
  out.push({ type: 'message-end', finish: res.finish })
  return out
}
