// The inverse of replay.ts: a canonical event stream folded into the finished response it
// describes. Used when an upstream streams a reply the client asked for whole (some servers
// only stream; the Codex endpoint among them, PROTOCOLS.md §9). Relies on the stream
// invariants of events.ts: one block open at a time, deltas only for the open block.
import type { CanonicalError } from './error.js'
import type { CanonicalEvent } from './events.js'
import type { Finish } from './finish-reason.js'
import type { ContentBlock } from './response.js'
import type { CanonicalResponse } from './response.js'
import type { Signature } from './signature.js'
import type { Usage } from './usage.js'

type Open = Extract<CanonicalEvent, { type: 'block-start' }>

export class ResponseAccumulator {
  private id = ''
  private model = ''
  private created = 0
  private usage: Usage | undefined
  private finish: Finish | undefined
  private open: Open | undefined
  private text = ''
  private signature: Signature | undefined
  private readonly content: ContentBlock[] = []
  /** The stream's failure, when it ended with an error event. */
  error: CanonicalError | undefined

  push (event: CanonicalEvent): void {
    switch (event.type) {
      case 'message-start':
        this.id = event.id
        this.model = event.model
        this.created = event.created
        if (event.usage !== undefined) this.usage = event.usage
        return
      case 'block-start': this.open = event; this.text = ''; this.signature = undefined; return
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-input-delta': this.text += event.delta; return
      case 'signature': this.signature = event.signature; return
      case 'block-end': this.close(); return
      case 'usage': this.usage = event.usage; return
      case 'message-end': this.finish = event.finish; return
      case 'error': this.error = event.error; return
      case 'ping': return
    }
  }

  private close (): void {
    const b = this.open
    if (b === undefined) return
    this.open = undefined
    const sig = this.signature === undefined ? {} : { signature: this.signature }
    switch (b.kind) {
      case 'text': this.content.push({ type: 'text', text: this.text }); return
      case 'refusal': this.content.push({ type: 'refusal', text: this.text }); return
      case 'reasoning': this.content.push({ type: 'reasoning', text: this.text, ...sig, ...(b.redacted === true ? { redacted: true } : {}) }); return
      case 'tool-call':
        this.content.push({
          type: 'tool-call',
          id: b.toolCallId ?? '',
          name: b.toolName ?? '',
          arguments: this.text,
          ...(b.toolKind === undefined ? {} : { toolKind: b.toolKind }),
          ...(b.toolNamespace === undefined ? {} : { namespace: b.toolNamespace }),
          ...sig,
        })
    }
  }

  /** The finished response; `undefined` when the stream never reached its end. */
  result (): CanonicalResponse | undefined {
    if (this.finish === undefined || this.error !== undefined) return undefined
    return {
      id: this.id,
      model: this.model,
      created: this.created,
      content: this.content,
      finish: this.finish,
      ...(this.usage === undefined ? {} : { usage: this.usage }),
    }
  }
}
