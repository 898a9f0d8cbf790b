// Responses stream → canonical events, for a Responses backend (PROTOCOLS.md §2.3–§2.5, §6.12,
// §7.1–7.3, §7.29), keeping every invariant of src/canonical/events.ts. Each frame's JSON is
// parsed once and dispatched on `data.type` (the `event:` line says the same, §2.3).
// - `response.created` → message-start (a stream that skips it starts on its first item);
// - items are matched by `output_index` (decode-output.ts maps their kinds; hosted-tool items and
//   their events are skipped); a canonical block opens on an item's first text (an empty message
//   opens nothing), a tool call's block as soon as the item is added, with call_id and name;
// - ONE block is open at a time: an item added while another is still open is buffered and
//   flushed as its own block once the earlier one is done;
// - deltas stream as they come; an item part that got no deltas is filled in from its `.done`
//   event or, failing that, from the complete item in `output_item.done` (§7.29: some upstreams
//   send only those); reasoning summary parts are separated by a blank line; a reasoning item's
//   `encrypted_content` is its signature, sent before its block ends;
// - `response.completed` / `.incomplete` → usage, then message-end (items never announced or
//   never finished are first completed from `response.output` when it holds them, else closed
//   as streamed); `response.failed` or an `error` event → the canonical error, after which
//   nothing more is emitted;
// - `keepalive` and `:` comments → ping; every other event type (lifecycle, content_part.*,
//   annotations, hosted-tool progress, types newer than this code) is ignored;
// - a stream cut before its terminal event ends with nothing: the client encoder renders the
//   truncation. Unusable upstream data throws the upstream-invalid-data error naming the event.
import { randomUUID } from 'node:crypto'
import type { CanonicalError } from '../../canonical/error.js'
import type { BlockKind, CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest, ToolKind } from '../../canonical/request.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import type { SseFrame } from '../../sse/frame.js'
import type { EventSink, StreamDecoder } from '../types.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { parseUpstreamObject } from '../shared/upstream-json.js'
import { errorEventError, failedResponseError } from './backend-errors.js'
import { decodeFinish } from './decode-finish.js'
import {
  encryptedContent, itemKind, messageSegments, reasoningParts, toolHead, toolInput,
  type ItemKind, type ReasoningSource, type TextKind,
} from './decode-output.js'
import { decodeUsage } from './decode-usage.js'
import { StreamItem } from './stream-decoder-item.js'

const PING: CanonicalEvent = { type: 'ping' }
const NO_SINK: EventSink = () => {}
/** An added item Switchyard does not forward (hosted tools): its events are ignored. */
const SKIPPED = null

interface ToolBlockStart {
  type: 'block-start'
  index: number
  kind: BlockKind
  toolCallId: string
  toolName: string
  toolKind?: ToolKind
  toolNamespace?: string
}

function fail (why: string, cause?: unknown): Error {
  return cause === undefined ? new UpstreamInvalidData(why) : new UpstreamInvalidData(why, { cause })
}

function objectField (event: JsonObject, key: string, type: string): JsonObject {
  const value = event[key]
  if (!isObject(value)) throw fail(type + ' without a ' + key + ' object')
  return value
}

function stringField (event: JsonObject, key: string, type: string): string {
  const value = event[key]
  if (typeof value !== 'string') throw fail(type + ' without a string ' + key)
  return value
}

/** `content_index` / `summary_index`: keys only, so a missing one counts as part 0. */
function partIndex (event: JsonObject, key: string): number {
  const value = event[key]
  return typeof value === 'number' ? value : 0
}

export class ResponsesStreamDecoder implements StreamDecoder {
  private readonly model: string
  private out: EventSink = NO_SINK
  private started = false
  private ended = false
  /** By output_index: the item, SKIPPED, or undefined when never seen. */
  private readonly items: Array<StreamItem | typeof SKIPPED | undefined> = []
  /** The item allowed to stream; later items queue behind it. */
  private active: StreamItem | undefined = undefined
  private readonly queue: StreamItem[] = []
  private nextIndex = 0
  private openIndex = -1
  private openKind: BlockKind | undefined = undefined
  private sawToolCall = false

  constructor (request: CanonicalRequest) {
    this.model = request.model
  }

  push (frame: SseFrame, out: EventSink): void {
    if (this.ended) return
    if (frame.comment !== undefined) return out(PING)
    // Some compatible servers end with Chat's `[DONE]`; Responses has none (§2.3).
    if (frame.data === '' || frame.data === '[DONE]') return
    this.out = out
    const event = parseUpstreamObject(frame.data, 'a stream event')
    const type = event.type
    if (typeof type !== 'string') throw fail('a stream event has no type')
    this.dispatch(type, event)
  }

  /** A cut stream gets nothing more (§6.12): the client encoder renders the truncation. */
  end (_out: EventSink): void {
    this.ended = true
  }

  private dispatch (type: string, event: JsonObject): void {
    switch (type) {
      case 'response.created': return this.start(objectField(event, 'response', type))
      case 'response.output_item.added': return this.itemAdded(event, type)
      case 'response.output_item.done': return this.itemDone(event, type)
      case 'response.output_text.delta': return this.text(event, type, 'text', 'delta')
      case 'response.output_text.done': return this.text(event, type, 'text', 'text')
      case 'response.refusal.delta': return this.text(event, type, 'refusal', 'delta')
      case 'response.refusal.done': return this.text(event, type, 'refusal', 'refusal')
      case 'response.reasoning_summary_text.delta': return this.reasoning(event, type, 'summary', 'delta')
      case 'response.reasoning_summary_text.done': return this.reasoning(event, type, 'summary', 'text')
      case 'response.reasoning_text.delta': return this.reasoning(event, type, 'content', 'delta')
      case 'response.reasoning_text.done': return this.reasoning(event, type, 'content', 'text')
      case 'response.function_call_arguments.delta': return this.toolInput(event, type, 'function', 'delta')
      case 'response.function_call_arguments.done': return this.toolInput(event, type, 'function', 'arguments')
      case 'response.custom_tool_call_input.delta': return this.toolInput(event, type, 'custom', 'delta')
      case 'response.custom_tool_call_input.done': return this.toolInput(event, type, 'custom', 'input')
      case 'response.completed':
      case 'response.incomplete': return this.terminal(objectField(event, 'response', type), type === 'response.incomplete')
      case 'response.failed': return this.failWith(failedResponseError(objectField(event, 'response', type)))
      case 'error': return this.failWith(errorEventError(event))
      case 'keepalive': return this.out(PING)
    }
  }

  /** message-start from the response object, once; fallbacks when the upstream skipped `created`. */
  private start (response: JsonObject | undefined): void {
    if (this.started) return
    this.started = true
    const id = response !== undefined && typeof response.id === 'string' && response.id !== '' ? response.id : 'resp_' + randomUUID()
    const model = response !== undefined && typeof response.model === 'string' && response.model !== '' ? response.model : this.model
    const created = response !== undefined && typeof response.created_at === 'number' ? response.created_at : Math.floor(Date.now() / 1000)
    this.out({ type: 'message-start', id, model, created })
  }

  private outputIndex (event: JsonObject, type: string): number {
    const index = event.output_index
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw fail(type + ' without an output_index')
    return index
  }

  /** The item an item-scoped event targets; `undefined` for skipped items. */
  private itemFor (event: JsonObject, type: string, kind: ItemKind): StreamItem | undefined {
    const index = this.outputIndex(event, type)
    const item = this.items[index]
    if (item === SKIPPED) return undefined
    if (item === undefined) throw fail(type + ' for output ' + index + ', which was never added')
    if (item.kind !== kind) throw fail(type + ' for output ' + index + ', a ' + item.kind + ' item')
    return item
  }

  private itemAdded (event: JsonObject, type: string): void {
    const index = this.outputIndex(event, type)
    if (this.items[index] !== undefined) throw fail('output ' + index + ' was added twice')
    this.track(index, objectField(event, 'item', type))
  }

  /** A new item: skipped, streaming now, or queued behind the active one. */
  private track (index: number, wire: JsonObject): StreamItem | undefined {
    const kind = itemKind(wire)
    if (kind === undefined) {
      this.items[index] = SKIPPED
      return undefined
    }
    this.start(undefined)
    const item = new StreamItem(index, kind)
    this.items[index] = item
    // call_id/name belong on `.added` (§2.4); an upstream that sends them only at `.done` gets
    // its call buffered until then.
    if (item.isTool && typeof wire.call_id === 'string' && typeof wire.name === 'string') item.head = toolHead(wire, 'output ' + index)
    if (this.active === undefined) this.activate(item)
    else this.queue.push(item)
    return item
  }

  private itemDone (event: JsonObject, type: string): void {
    const index = this.outputIndex(event, type)
    const wire = objectField(event, 'item', type)
    let item = this.items[index]
    if (item === SKIPPED) return
    if (item === undefined) {
      item = this.track(index, wire)
      if (item === undefined) return
    }
    if (item.done) return
    if (itemKind(wire) !== item.kind) throw fail(type + ' for output ' + index + ' is not a ' + item.kind + ' item')
    this.complete(item, wire)
  }

  /** Fill in what the item's events did not stream, from the complete item, then end it. */
  private complete (item: StreamItem, wire: JsonObject): void {
    if (item.isTool && item.head === undefined) {
      item.head = toolHead(wire, 'output ' + item.outputIndex)
      if (this.active === item) this.goLive(item)
    }
    if (item.kind === 'message') {
      for (const s of messageSegments(wire)) if (!item.seenText(s.index)) this.addText(item, s.kind, s.index, s.text)
    } else if (item.kind === 'reasoning') {
      const source = item.reasoningSource(reasoningParts(wire, 'content').length > 0 ? 'content' : 'summary')
      for (const p of reasoningParts(wire, source)) if (!item.seenReasoning(source, p.index)) this.addReasoning(item, source, p.index, p.text)
      item.signature = encryptedContent(wire)
    } else if (!item.seenInput()) {
      this.addToolInput(item, toolInput(wire, item.kind))
    }
    item.done = true
    if (this.active === item) this.finishActive()
  }

  private text (event: JsonObject, type: string, kind: TextKind, field: string): void {
    const item = this.itemFor(event, type, 'message')
    const text = stringField(event, field, type)
    const index = partIndex(event, 'content_index')
    // A `.done` repeats the deltas: it counts only for a part that streamed nothing.
    if (item !== undefined && (field === 'delta' || !item.seenText(index))) this.addText(item, kind, index, text)
  }

  private reasoning (event: JsonObject, type: string, source: ReasoningSource, field: string): void {
    const item = this.itemFor(event, type, 'reasoning')
    const text = stringField(event, field, type)
    const index = partIndex(event, source === 'content' ? 'content_index' : 'summary_index')
    if (item !== undefined && (field === 'delta' || !item.seenReasoning(source, index))) this.addReasoning(item, source, index, text)
  }

  private toolInput (event: JsonObject, type: string, kind: 'function' | 'custom', field: string): void {
    const item = this.itemFor(event, type, kind)
    const text = stringField(event, field, type)
    if (item !== undefined && (field === 'delta' || !item.seenInput())) this.addToolInput(item, text)
  }

  private addText (item: StreamItem, kind: TextKind, index: number, text: string): void {
    if (item.take(text, index)) this.emit(item, kind, text)
  }

  private addReasoning (item: StreamItem, source: ReasoningSource, index: number, text: string): void {
    const delta = item.takeReasoning(source, index, text)
    if (delta !== undefined) this.emit(item, 'reasoning', delta)
  }

  private addToolInput (item: StreamItem, text: string): void {
    if (item.take(text)) this.emit(item, 'tool-call', text)
  }

  /** Live when the item owns the stream (and a call knows its name), else buffered. */
  private emit (item: StreamItem, kind: BlockKind, delta: string): void {
    if (this.active !== item || !item.ready) return item.buffer(kind, delta)
    if (this.openKind !== kind) this.openBlock(item, kind)
    const index = this.openIndex
    this.out(kind === 'reasoning'
      ? { type: 'reasoning-delta', index, delta }
      : kind === 'tool-call' ? { type: 'tool-input-delta', index, delta } : { type: 'text-delta', index, delta })
  }

  private openBlock (item: StreamItem, kind: BlockKind): void {
    this.closeBlock()
    const index = this.openIndex = this.nextIndex++
    this.openKind = kind
    const head = item.head
    if (kind !== 'tool-call' || head === undefined) return this.out({ type: 'block-start', index, kind })
    this.sawToolCall = true
    const start: ToolBlockStart = { type: 'block-start', index, kind, toolCallId: head.callId, toolName: head.name }
    if (item.kind === 'custom') start.toolKind = 'custom'
    if (head.namespace !== undefined) start.toolNamespace = head.namespace
    this.out(start)
  }

  private closeBlock (): void {
    if (this.openKind !== undefined) this.out({ type: 'block-end', index: this.openIndex })
    this.openKind = undefined
    this.openIndex = -1
  }

  private activate (item: StreamItem): void {
    this.active = item
    if (item.ready) this.goLive(item)
  }

  /** The item now owns the stream: a call's block opens at once; buffered text follows. */
  private goLive (item: StreamItem): void {
    if (item.isTool) this.openBlock(item, 'tool-call')
    const pending = item.pending.splice(0)
    for (const segment of pending) this.emit(item, segment.kind, segment.text)
  }

  /** End the active item's block (signature first), then let the queued items stream in order. */
  private finishActive (): void {
    const item = this.active
    if (item === undefined) return
    if (!item.ready) throw fail('output ' + item.outputIndex + ' is a tool call without call_id or name')
    if (item.signature !== undefined) {
      if (this.openKind !== 'reasoning') this.openBlock(item, 'reasoning')
      this.out({ type: 'signature', index: this.openIndex, signature: { family: 'openai', value: item.signature } })
    }
    this.closeBlock()
    this.active = undefined
    const next = this.queue.shift()
    if (next === undefined) return
    this.activate(next)
    if (next.done) this.finishActive()
  }

  private terminal (response: JsonObject, incomplete: boolean): void {
    this.start(response)
    // Items the stream never announced or never finished, completed from the final response
    // when it holds them (§7.21: partial sequences); else they end with what they streamed.
    const output = response.output
    if (Array.isArray(output)) {
      for (let i = 0; i < output.length; i++) {
        const wire: unknown = output[i]
        const seen = this.items[i]
        if (!isObject(wire) || seen === SKIPPED || seen?.done === true) continue
        const item = seen ?? this.track(i, wire)
        if (item !== undefined && itemKind(wire) === item.kind) this.complete(item, wire)
      }
    }
    while (this.active !== undefined) this.finishActive()
    this.ended = true
    const usage = decodeUsage(response.usage)
    if (usage !== undefined) this.out({ type: 'usage', usage })
    this.out({ type: 'message-end', finish: decodeFinish(incomplete ? 'incomplete' : 'completed', response.incomplete_details, this.sawToolCall) })
  }

  /** The canonical stream ends at the first error (an `error` event is followed by `response.failed`). */
  private failWith (error: CanonicalError): void {
    this.ended = true
    this.out({ type: 'error', error })
  }
}
