// Canonical events → Chat Completions chunks (PROTOCOLS.md §1.3, §1.4 a/b/c/e). Every chunk
// shares id/created/model, so that envelope is serialised once at `message-start` and each
// delta costs one JSON.stringify of its own payload. Refusal blocks stream as `delta.refusal`;
// signatures have no Chat slot; `ping` becomes the `: keepalive` comment (§6.12).
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Usage } from '../../canonical/usage.js'
import { KEEPALIVE_COMMENT, type SseFrame } from '../../sse/frame.js'
import type { FrameSink, StreamEncoder } from '../types.js'
import { STREAM_TRUNCATED, type EventOf } from '../shared/events.js'
import { idBody } from '../shared/ids.js'
import { openAiErrorObject } from '../shared/openai-error.js'
import { chatFinishReason } from './finish-reason.js'
import { chatUsage } from './usage.js'

/** Always sent: some clients hang without it (§1.3); openai-node 7.x wants it exact. */
const DONE: SseFrame = { data: '[DONE]' }
const OPEN_CHOICE = '[{"index":0,"delta":'
const CLOSE_CHOICE = ',"logprobs":null,"finish_reason":null}]}'
/** §1.3: the first chunk carries the role (openai-node: `missing role for choice N`). */
const ROLE_DELTA = '{"role":"assistant","content":"","refusal":null}'

export class ChatStreamEncoder implements StreamEncoder {
  private readonly includeUsage: boolean
  /** `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":` */
  private head = ''
  /** The head up to a text delta's value, for content and for refusal: one concatenation less per delta. */
  private contentHead = ''
  private refusalHead = ''
  private idBody = ''
  /** Canonical block index → dense 0-based `tool_calls[].index` (§5.2: no holes). */
  private readonly toolSlots: number[] = []
  private toolCount = 0
  /**
   * Canonical index of the open function call that has streamed no arguments yet (-1: none).
   * A no-argument call (Anthropic `partial_json:""` only, §3.4 b) must still end with `"{}"`:
   * clients JSON.parse the accumulated arguments, and `""` is not JSON (§7.7, conformance 9).
   */
  private argumentless = -1
  /** Index of the open refusal block: its text deltas go to `delta.refusal`. */
  private refusalIndex = -1
  private usage: Usage | undefined = undefined
  private finished = false

  constructor (req: CanonicalRequest) {
    this.includeUsage = req.includeUsage === true
  }

  push (event: CanonicalEvent, out: FrameSink): void {
    if (this.finished) return
    switch (event.type) {
      case 'message-start': return this.start(event, out)
      case 'block-start': return this.blockStart(event, out)
      case 'text-delta': return this.textDelta(event, out)
      // §1.4(d): official Chat has no reasoning stream; reasoning only shows in usage.
      case 'reasoning-delta': return
      case 'tool-input-delta': return this.toolInputDelta(event, out)
      // Chat has no slot for reasoning proofs.
      case 'signature': return
      case 'block-end': return this.blockEnd(event, out)
      case 'usage': this.usage = event.usage; return
      case 'message-end': return this.finish(event, out)
      case 'error': return this.fail(event.error, out)
      case 'ping': return out(KEEPALIVE_COMMENT)
    }
  }

  end (out: FrameSink): void {
    if (!this.finished) this.fail(STREAM_TRUNCATED, out)
  }

  private start (event: EventOf<'message-start'>, out: FrameSink): void {
    this.idBody = idBody(event.id)
    this.head = '{"id":' + JSON.stringify('chatcmpl-' + this.idBody) + ',"object":"chat.completion.chunk","created":' +
      event.created + ',"model":' + JSON.stringify(event.model) + ',"choices":'
    this.contentHead = this.head + OPEN_CHOICE + '{"content":'
    this.refusalHead = this.head + OPEN_CHOICE + '{"refusal":'
    if (event.usage !== undefined) this.usage = event.usage
    out({ data: this.head + OPEN_CHOICE + ROLE_DELTA + CLOSE_CHOICE })
  }

  /**
   * §1.3: a call's first delta carries index, id, type and name; arguments start empty. Chunk
   * tool deltas only know `function` (openai-node's chunk type), so custom calls stream as
   * function calls whose arguments are the raw input.
   */
  private blockStart (event: EventOf<'block-start'>, out: FrameSink): void {
    if (event.kind === 'refusal') this.refusalIndex = event.index
    if (event.kind !== 'tool-call') return
    const slot = this.toolCount++
    this.toolSlots[event.index] = slot
    // Custom (freeform) calls carry raw text, for which "" is a real, empty input.
    this.argumentless = event.toolKind === 'custom' ? -1 : event.index
    const call = {
      index: slot,
      id: event.toolCallId ?? 'call_' + this.idBody + '_' + slot,
      type: 'function',
      function: { name: event.toolName ?? '', arguments: '' },
    }
    out({ data: this.head + OPEN_CHOICE + '{"tool_calls":[' + JSON.stringify(call) + ']}' + CLOSE_CHOICE })
  }

  private textDelta (event: EventOf<'text-delta'>, out: FrameSink): void {
    if (event.delta === '') return
    const head = event.index === this.refusalIndex ? this.refusalHead : this.contentHead
    out({ data: head + JSON.stringify(event.delta) + '}' + CLOSE_CHOICE, json: true })
  }

  private toolInputDelta (event: EventOf<'tool-input-delta'>, out: FrameSink): void {
    const slot = this.toolSlots[event.index]
    if (slot === undefined || event.delta === '') return
    if (event.index === this.argumentless) this.argumentless = -1
    out({
      data: this.head + OPEN_CHOICE + '{"tool_calls":[{"index":' + slot + ',"function":{"arguments":' +
        JSON.stringify(event.delta) + '}}]}' + CLOSE_CHOICE,
      json: true,
    })
  }

  private blockEnd (event: EventOf<'block-end'>, out: FrameSink): void {
    if (event.index !== this.argumentless) return
    this.argumentless = -1
    this.toolInputDelta({ type: 'tool-input-delta', index: event.index, delta: '{}' }, out)
  }

  /** Finish chunk, then the usage chunk (`choices:[]`) only if asked for, then `[DONE]`. */
  private finish (event: EventOf<'message-end'>, out: FrameSink): void {
    const reason = chatFinishReason(event.finish, this.toolCount > 0)
    out({ data: this.head + OPEN_CHOICE + '{},"logprobs":null,"finish_reason":"' + reason + '"}]}' })
    if (this.includeUsage && this.usage !== undefined) {
      out({ data: this.head + '[],"usage":' + JSON.stringify(chatUsage(this.usage)) + '}' })
    }
    out(DONE)
    this.finished = true
  }

  /** §1.4(e): an `{error}` data object, then close — no finish_reason, no `[DONE]`. */
  private fail (error: CanonicalError, out: FrameSink): void {
    out({ data: JSON.stringify({ error: openAiErrorObject(error) }) })
    this.finished = true
  }
}
