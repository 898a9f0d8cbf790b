// Canonical events → Gemini `alt=sse` stream (PROTOCOLS.md §4.3, §4.4 a/b/d/e, §6.12): data-only
// frames, each a complete GenerateContentResponse holding only the NEW parts; no `[DONE]`.
// Tool-call arguments are buffered and emitted as one whole `functionCall` part at block-end.
// The last chunk carries `finishReason` and the final `usageMetadata` (never a usage-only chunk).
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Usage } from '../../canonical/usage.js'
import type { FrameSink, StreamEncoder } from '../types.js'
import { KEEPALIVE_COMMENT } from '../../sse/frame.js'
import { STREAM_TRUNCATED, type EventOf } from '../shared/events.js'
import { geminiErrorBody } from './errors.js'
import { geminiFinishReason, MALFORMED_FUNCTION_CALL } from './finish-reason.js'
import { EMPTY_PARTS, functionCallPart } from './parts.js'
import { usageMetadata } from './usage.js'

const HEAD = '{"candidates":[{"content":{"role":"model","parts":'

/** A tool call being assembled from its argument fragments. */
class PendingCall {
  readonly id: string | undefined
  readonly name: string
  args = ''
  constructor (id: string | undefined, name: string) {
    this.id = id
    this.name = name
  }
}

export class GeminiStreamEncoder implements StreamEncoder {
  private model: string
  private responseId = ''
  /** `},"index":0}],"modelVersion":…,"responseId":…}` — fixed per response. */
  private tail = ''
  private readonly calls: Array<PendingCall | undefined> = []
  private malformed = false
  private usage: Usage | undefined = undefined
  private finished = false

  constructor (request: CanonicalRequest) {
    this.model = request.model
  }

  push (event: CanonicalEvent, out: FrameSink): void {
    if (this.finished) return
    switch (event.type) {
      case 'message-start': return this.start(event)
      case 'block-start': return this.blockStart(event)
      case 'text-delta': return this.text(event.delta, '}]', out)
      case 'reasoning-delta': return this.text(event.delta, ',"thought":true}]', out)
      case 'tool-input-delta': return this.toolInput(event)
      case 'block-end': return this.blockEnd(event, out)
      case 'usage': this.usage = event.usage; return
      case 'message-end': return this.finish(event, out)
      case 'error': return this.fail(event.error, out)
      case 'ping': out(KEEPALIVE_COMMENT); return
      case 'signature': return
    }
  }

  end (out: FrameSink): void {
    if (!this.finished) this.fail(STREAM_TRUNCATED, out)
  }

  private start (event: EventOf<'message-start'>): void {
    this.model = event.model
    this.responseId = event.id
    this.tail = '},"index":0}],"modelVersion":' + JSON.stringify(event.model) + ',"responseId":' + JSON.stringify(event.id) + '}'
    if (event.usage !== undefined) this.usage = event.usage
  }

  private blockStart (event: EventOf<'block-start'>): void {
    if (event.kind === 'tool-call') this.calls[event.index] = new PendingCall(event.toolCallId, event.toolName ?? '')
  }

  /** One chunk per text or thought delta; `close` ends the part (and marks thoughts). */
  private text (delta: string, close: string, out: FrameSink): void {
    if (delta === '') return
    out({ data: HEAD + '[{"text":' + JSON.stringify(delta) + close + this.tail })
  }

  private toolInput (event: EventOf<'tool-input-delta'>): void {
    const call = this.calls[event.index]
    if (call !== undefined) call.args += event.delta
  }

  private blockEnd (event: EventOf<'block-end'>, out: FrameSink): void {
    const call = this.calls[event.index]
    if (call === undefined) return
    this.calls[event.index] = undefined
    const part = functionCallPart(call.id, call.name, call.args)
    if (part === undefined) this.malformed = true
    else out({ data: HEAD + JSON.stringify([part]) + this.tail })
  }

  private finish (event: EventOf<'message-end'>, out: FrameSink): void {
    const candidate = {
      content: { role: 'model', parts: EMPTY_PARTS },
      finishReason: this.malformed ? MALFORMED_FUNCTION_CALL : geminiFinishReason(event.finish),
      index: 0,
    }
    const chunk = this.usage === undefined
      ? { candidates: [candidate], modelVersion: this.model, responseId: this.responseId }
      : { candidates: [candidate], usageMetadata: usageMetadata(this.usage), modelVersion: this.model, responseId: this.responseId }
    out({ data: JSON.stringify(chunk) })
    this.finished = true
  }

  /** §4.4(e): `{error:{code,message,status}}`, then close. */
  private fail (error: CanonicalError, out: FrameSink): void {
    out({ data: JSON.stringify(geminiErrorBody(error)) })
    this.finished = true
  }
}
