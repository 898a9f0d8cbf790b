// Canonical events → Anthropic Messages stream (PROTOCOLS.md §3.3, §3.4 a/b/c/d/e). Every frame
// has an `event:` line equal to `data.type` (the SDK drops frames without one). Block indexes
// are dense from 0 in start order; one block is open at a time in canonical streams.
// Reasoning (§3.4 d, §6.9): `thinking` block, `thinking_delta`s, then ONE `signature_delta` just
// before `content_block_stop` carrying the Anthropic signature or a `swy1.` envelope (which
// needs the block's full text, so it is accumulated). A redacted block's data arrives as a
// later `signature` event, so its `content_block_start` is held until then (or its block-end).
import type { BlockKind, CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import { signatureFor, type Signature } from '../../canonical/signature.js'
import type { Usage } from '../../canonical/usage.js'
import type { FrameSink, StreamEncoder } from '../types.js'
import { STREAM_TRUNCATED, type EventOf } from '../shared/events.js'
import { idBody } from '../shared/ids.js'
import { anthropicErrorObject } from './errors.js'
import { anthropicStop } from './finish-reason.js'
import { anthropicUsage, ZERO_USAGE } from './usage.js'

const DELTA = 'content_block_delta'
const START = 'content_block_start'
/** The delta object's type and text field per block kind (§3.3); refusals are plain text. */
const DELTA_FIELD: Readonly<Record<BlockKind, string>> = {
  text: '"type":"text_delta","text":',
  refusal: '"type":"text_delta","text":',
  reasoning: '"type":"thinking_delta","thinking":',
  'tool-call': '"type":"input_json_delta","partial_json":',
}
const NO_BLOCK = -1

export class AnthropicStreamEncoder implements StreamEncoder {
  private idBody = ''
  /** Canonical block index → serialised delta frame up to its value, built at block-start. */
  private readonly deltaHeads: Array<string | undefined> = []
  /** Canonical block index → Anthropic block index. */
  private readonly slots: number[] = []
  private nextIndex = 0
  private sawToolCall = false
  private sawRefusal = false
  private usage: Usage | undefined = undefined
  private finished = false
  /** Canonical index of the open reasoning block, its text so far and its signature. */
  private reasoningIndex = NO_BLOCK
  private reasoningText = ''
  private reasoningSignature: Signature | undefined = undefined
  /** The open reasoning block is redacted (no deltas, no signature_delta: its data is the start). */
  private reasoningRedacted = false
  /** …and its `content_block_start` is not written yet. */
  private redactedPending = false

  constructor (_request: CanonicalRequest) {}

  push (event: CanonicalEvent, out: FrameSink): void {
    if (this.finished) return
    switch (event.type) {
      case 'message-start': return this.start(event, out)
      case 'block-start': return this.blockStart(event, out)
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-input-delta': return this.delta(event, out)
      case 'signature': return this.signature(event, out)
      case 'block-end': return this.blockEnd(event, out)
      case 'usage': this.usage = event.usage; return
      case 'message-end': return this.finish(event, out)
      case 'error': return this.fail(event.error, out)
      case 'ping': return out({ event: 'ping', data: '{"type":"ping"}' })
    }
  }

  end (out: FrameSink): void {
    if (!this.finished) this.fail(STREAM_TRUNCATED, out)
  }

  /** §3.3: `usage` and `content:[]` are mandatory (the SDK writes into both). */
  private start (event: EventOf<'message-start'>, out: FrameSink): void {
    this.idBody = idBody(event.id)
    if (event.usage !== undefined) this.usage = event.usage
    const message = {
      id: 'msg_' + this.idBody,
      type: 'message',
      role: 'assistant',
      model: event.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: event.usage === undefined ? ZERO_USAGE : anthropicUsage(event.usage),
    }
    out({ event: 'message_start', data: JSON.stringify({ type: 'message_start', message }) })
  }

  private blockStart (event: EventOf<'block-start'>, out: FrameSink): void {
    const index = this.nextIndex++
    this.slots[event.index] = index
    if (event.kind === 'reasoning') {
      this.reasoningIndex = event.index
      this.reasoningText = ''
      this.reasoningSignature = undefined
      this.reasoningRedacted = event.redacted === true
      if (this.reasoningRedacted) {
        this.redactedPending = true
        return
      }
    }
    this.deltaHeads[event.index] = '{"type":"content_block_delta","index":' + index + ',"delta":{' + DELTA_FIELD[event.kind]
    out({ event: START, data: JSON.stringify({ type: START, index, content_block: this.contentBlock(event, index) }) })
  }

  /** Tool input is never put in the start block: Claude Code rebuilds it from deltas only (§5.7). */
  private contentBlock (event: EventOf<'block-start'>, index: number): object {
    switch (event.kind) {
      case 'text': return { type: 'text', text: '' }
      case 'refusal':
        this.sawRefusal = true
        return { type: 'text', text: '' }
      case 'reasoning': return { type: 'thinking', thinking: '', signature: '' }
      case 'tool-call':
        this.sawToolCall = true
        return { type: 'tool_use', id: event.toolCallId ?? 'toolu_' + this.idBody + '_' + index, name: event.toolName ?? '', input: {} }
    }
  }

  private delta (event: EventOf<'text-delta' | 'reasoning-delta' | 'tool-input-delta'>, out: FrameSink): void {
    if (event.index === this.reasoningIndex) this.reasoningText += event.delta
    const head = this.deltaHeads[event.index]
    if (head === undefined || event.delta === '') return
    out({ event: DELTA, data: head + JSON.stringify(event.delta) + '}}', json: true })
  }

  /** Kept for the block's end; a tool call's (Gemini) signature has no Anthropic slot. */
  private signature (event: EventOf<'signature'>, out: FrameSink): void {
    if (event.index !== this.reasoningIndex) return
    this.reasoningSignature = event.signature
    if (this.redactedPending) this.redactedStart(out)
  }

  private redactedStart (out: FrameSink): void {
    this.redactedPending = false
    const index = this.slots[this.reasoningIndex] as number
    const data = signatureFor('anthropic', this.reasoningSignature, this.reasoningText, true)
    out({ event: START, data: JSON.stringify({ type: START, index, content_block: { type: 'redacted_thinking', data } }) })
  }

  private blockEnd (event: EventOf<'block-end'>, out: FrameSink): void {
    const index = this.slots[event.index]
    if (index === undefined) return
    if (event.index === this.reasoningIndex) this.endReasoning(index, out)
    this.deltaHeads[event.index] = undefined
    out({ event: 'content_block_stop', data: '{"type":"content_block_stop","index":' + index + '}' })
  }

  /** §3.4(d): one `signature_delta`, just before the stop, even when no signature arrived. */
  private endReasoning (index: number, out: FrameSink): void {
    if (this.redactedPending) {
      this.redactedStart(out)
    } else if (!this.reasoningRedacted) {
      const signature = signatureFor('anthropic', this.reasoningSignature, this.reasoningText)
      const delta = { type: 'signature_delta', signature }
      out({ event: DELTA, data: JSON.stringify({ type: DELTA, index, delta }) })
    }
    this.reasoningIndex = NO_BLOCK
    this.reasoningText = ''
    this.reasoningSignature = undefined
    this.reasoningRedacted = false
  }

  /** §3.3: `message_delta.usage.output_tokens` is mandatory; final input/cache counts repeat there. */
  private finish (event: EventOf<'message-end'>, out: FrameSink): void {
    const delta = anthropicStop(event.finish, this.sawToolCall, this.sawRefusal)
    const usage = this.usage === undefined ? ZERO_USAGE : anthropicUsage(this.usage)
    out({ event: 'message_delta', data: JSON.stringify({ type: 'message_delta', delta, usage }) })
    out({ event: 'message_stop', data: '{"type":"message_stop"}' })
    this.finished = true
  }

  /** §3.4(e): `event: error`, then close without `message_stop`. */
  private fail (error: CanonicalError, out: FrameSink): void {
    out({ event: 'error', data: JSON.stringify({ type: 'error', error: anthropicErrorObject(error) }) })
    this.finished = true
  }
}
