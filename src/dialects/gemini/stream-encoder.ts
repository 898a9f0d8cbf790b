// Canonical events → Gemini stream (PROTOCOLS.md §4.3, §4.4 a/b/d/e, §5.5, §6.12): each chunk a
// complete GenerateContentResponse holding only the NEW parts, role `model`, index 0; framed
// as SSE or one JSON array (client-framing.ts). Tool-call arguments are buffered and emitted as
// one whole `functionCall` part at block-end. The last chunk carries `finishReason` and the
// final `usageMetadata` (never a usage-only chunk, never `parts:[]`, never continuation).
// Reasoning (§6.9, parts.ts): thought parts only when the client set `includeThoughts`, then
// the block's signature on one extra `{text:"", thought:true, thoughtSignature}` part at its
// end; hidden, the signature rides on the next text or functionCall part, or on the final
// chunk's `{text:""}`. The block's text is kept either way: an envelope carries it.
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Signature } from '../../canonical/signature.js'
import type { Usage } from '../../canonical/usage.js'
import type { FrameSink, StreamEncoder, StreamFraming } from '../types.js'
import { STREAM_TRUNCATED, type EventOf } from '../shared/events.js'
import { ChunkWriter } from './client-framing.js'
import { geminiErrorBody } from './errors.js'
import { geminiFinishReason, MALFORMED_FUNCTION_CALL } from './finish-reason.js'
import { callSignature, EMPTY_PARTS, functionCallPart, reasoningSignature, SignatureHold, signed } from './parts.js'
import { usageMetadata } from './usage.js'
import type { GeminiPart } from './wire.js'

const HEAD = '{"candidates":[{"content":{"role":"model","parts":'
const NO_BLOCK = -1

/** A tool call being assembled from its argument fragments. */
class PendingCall {
  readonly id: string | undefined
  readonly name: string
  args = ''
  signature: Signature | undefined = undefined
  constructor (id: string | undefined, name: string) {
    this.id = id
    this.name = name
  }
}

export class GeminiStreamEncoder implements StreamEncoder {
  private readonly writer: ChunkWriter
  private readonly showThoughts: boolean
  private model: string
  private responseId = ''
  /** `},"index":0}],"modelVersion":…,"responseId":…}` — fixed per response. */
  private tail = ''
  private readonly calls: Array<PendingCall | undefined> = []
  private readonly hold = new SignatureHold()
  /** The open reasoning block: its canonical index, full text, signature and redaction. */
  private reasoningIndex = NO_BLOCK
  private reasoningText = ''
  private reasoningSig: Signature | undefined = undefined
  private reasoningRedacted = false
  private malformed = false
  private usage: Usage | undefined = undefined
  private finished = false

  constructor (request: CanonicalRequest, framing: StreamFraming = 'sse') {
    this.model = request.model
    this.showThoughts = request.reasoning?.visible === true
    this.writer = new ChunkWriter(framing)
  }

  open (out: FrameSink): void {
    this.writer.open(out)
  }

  push (event: CanonicalEvent, out: FrameSink): void {
    if (this.finished) return
    switch (event.type) {
      case 'message-start': return this.start(event)
      case 'block-start': return this.blockStart(event)
      case 'text-delta': return this.text(event.delta, out)
      case 'reasoning-delta': return this.thought(event, out)
      case 'tool-input-delta': return this.toolInput(event)
      case 'signature': return this.signature(event)
      case 'block-end': return this.blockEnd(event, out)
      case 'usage': this.usage = event.usage; return
      case 'message-end': return this.finish(event, out)
      case 'error': return this.fail(event.error, out)
      case 'ping': return this.writer.keepalive(out)
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
    if (event.kind === 'tool-call') {
      this.calls[event.index] = new PendingCall(event.toolCallId, event.toolName ?? '')
    } else if (event.kind === 'reasoning') {
      this.reasoningIndex = event.index
      this.reasoningText = ''
      this.reasoningSig = undefined
      this.reasoningRedacted = event.redacted === true
    }
  }

  /** One chunk per text delta (refusals are text to Gemini); a held signature rides on it. */
  private text (delta: string, out: FrameSink): void {
    if (delta === '') return
    const signature = this.hold.take()
    const part = signature === undefined
      ? '[{"text":' + JSON.stringify(delta) + '}]'
      : '[{"text":' + JSON.stringify(delta) + ',"thoughtSignature":' + JSON.stringify(signature) + '}]'
    this.writer.chunk(HEAD + part + this.tail, out)
  }

  private thought (event: EventOf<'reasoning-delta'>, out: FrameSink): void {
    if (event.index === this.reasoningIndex) this.reasoningText += event.delta
    if (!this.showThoughts || event.delta === '') return
    this.writer.chunk(HEAD + '[{"text":' + JSON.stringify(event.delta) + ',"thought":true}]' + this.tail, out)
  }

  private toolInput (event: EventOf<'tool-input-delta'>): void {
    const call = this.calls[event.index]
    if (call !== undefined) call.args += event.delta
  }

  /** A reasoning block's signature waits for its end; a (Gemini) call's rides on its part. */
  private signature (event: EventOf<'signature'>): void {
    if (event.index === this.reasoningIndex) {
      this.reasoningSig = event.signature
      return
    }
    const call = this.calls[event.index]
    if (call !== undefined) call.signature = event.signature
  }

  private blockEnd (event: EventOf<'block-end'>, out: FrameSink): void {
    if (event.index === this.reasoningIndex) return this.endReasoning(out)
    const call = this.calls[event.index]
    if (call === undefined) return
    this.calls[event.index] = undefined
    const part = functionCallPart(call.id, call.name, call.args)
    if (part === undefined) { this.malformed = true; return }
    const own = callSignature(call.signature)
    if (own !== undefined) this.parts(this.hold.flush(), out)
    this.parts(signed(part, own ?? this.hold.take()), out)
  }

  private endReasoning (out: FrameSink): void {
    const signature = reasoningSignature(this.reasoningSig, this.reasoningText, this.reasoningRedacted)
    this.reasoningIndex = NO_BLOCK
    this.reasoningText = ''
    this.reasoningSig = undefined
    if (signature === undefined) return
    if (this.showThoughts) this.parts({ text: '', thought: true, thoughtSignature: signature }, out)
    else this.parts(this.hold.hold(signature), out)
  }

  /** One chunk holding `part`, when there is one. */
  private parts (part: GeminiPart | undefined, out: FrameSink): void {
    if (part !== undefined) this.writer.chunk(HEAD + JSON.stringify([part]) + this.tail, out)
  }

  private finish (event: EventOf<'message-end'>, out: FrameSink): void {
    const waiting = this.hold.flush()
    const candidate = {
      content: { role: 'model', parts: waiting === undefined ? EMPTY_PARTS : [waiting] },
      finishReason: this.malformed ? MALFORMED_FUNCTION_CALL : geminiFinishReason(event.finish),
      index: 0,
    }
    const chunk = this.usage === undefined
      ? { candidates: [candidate], modelVersion: this.model, responseId: this.responseId }
      : { candidates: [candidate], usageMetadata: usageMetadata(this.usage), modelVersion: this.model, responseId: this.responseId }
    this.writer.last(JSON.stringify(chunk), out)
    this.finished = true
  }

  /** §4.4(e): `{error:{code,message,status}}`, then close. */
  private fail (error: CanonicalError, out: FrameSink): void {
    this.writer.last(JSON.stringify(geminiErrorBody(error)), out)
    this.finished = true
  }
}
