// Anthropic Messages stream → canonical events, for an Anthropic backend (PROTOCOLS.md §3.3,
// §3.4, §6.12). Each frame's JSON is parsed once and dispatched on `data.type` (the `event:`
// line says the same). Upstream block indexes map to dense canonical ones; blocks Switchyard
// never asks for (server tool blocks) are not forwarded, nor are their deltas. Anthropic never
// interleaves blocks, so the one-open-block invariant holds as received. `input` of a tool_use
// start is ignored: the input arrives only as `input_json_delta` fragments (empty ones skipped,
// §3.4 b). A flattened namespaced tool name is split back into name + `toolNamespace`
// (namespaces.ts). Unknown event and delta types are ignored (the API adds new ones over time).
// A delta that differs from the learnt one only in its string is taken without a parse
// (shared/delta-template.ts).
import type { CanonicalEvent } from '../../canonical/events.js'
import type { Finish } from '../../canonical/finish-reason.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import type { SseFrame } from '../../sse/frame.js'
import type { EventSink, StreamDecoder } from '../types.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { parseUpstreamObject } from '../shared/upstream-json.js'
import { DeltaTemplate } from '../shared/delta-template.js'
import { customInput, customToolNames } from '../shared/custom-tools.js'
import { namespacedTools, type NamespaceLookup } from '../shared/namespaces.js'
import type { Mutable } from '../shared/request.js'
import { streamError } from './errors.js'
import { canonicalFinish } from './finish-reason.js'
import { canonicalUsage, emptyCounts, readUsage } from './usage.js'

const PING = { type: 'ping' } as const
type BlockStart = Extract<CanonicalEvent, { type: 'block-start' }>
const NO_CUSTOM = undefined

function fail (why: string, cause?: unknown): Error {
  return cause === undefined ? new UpstreamInvalidData(why) : new UpstreamInvalidData(why, { cause })
}

function field (obj: JsonObject, key: string, where: string): string {
  const v = obj[key]
  if (typeof v !== 'string') throw fail(`${where} without a string ${key}`)
  return v
}

function objectField (obj: JsonObject, key: string, where: string): JsonObject {
  const v = obj[key]
  if (!isObject(v)) throw fail(`${where} without ${key}`)
  return v
}

function indexOf (data: JsonObject): number {
  if (typeof data.index !== 'number') throw fail(`${String(data.type)} without an index`)
  return data.index
}

/** The block kind each delta type belongs to (the upstream's framing is checked, not trusted). */
const DELTA_KIND: Readonly<Record<string, 'text' | 'reasoning' | 'tool'>> = {
  text_delta: 'text',
  thinking_delta: 'reasoning',
  signature_delta: 'reasoning',
  input_json_delta: 'tool',
}

/** The delta types that stream a string, and the field that carries it. */
type StreamedDelta = 'text_delta' | 'thinking_delta' | 'input_json_delta'
const STREAMED_FIELD: Readonly<Record<StreamedDelta, string>> = {
  text_delta: 'text',
  thinking_delta: 'thinking',
  input_json_delta: 'partial_json',
}

function streamedType (type: unknown): StreamedDelta | undefined {
  return typeof type === 'string' && Object.hasOwn(STREAMED_FIELD, type) ? type as StreamedDelta : undefined
}

/** A `content_block_delta` that streams a non-empty string: where it goes and what it says. */
interface StreamedSlot { readonly upstream: number, readonly type: StreamedDelta, readonly value: string }

function streamedSlot (data: JsonObject): StreamedSlot | undefined {
  if (data.type !== 'content_block_delta' || typeof data.index !== 'number' || !isObject(data.delta)) return undefined
  const type = streamedType(data.delta.type)
  if (type === undefined) return undefined
  const value = data.delta[STREAMED_FIELD[type]]
  return typeof value === 'string' && value !== '' ? { upstream: data.index, type, value } : undefined
}

export class AnthropicStreamDecoder implements StreamDecoder {
  private started = false
  private ended = false
  private readonly custom: ReadonlySet<string>
  private readonly namespaces: NamespaceLookup
  /** Upstream block index → canonical index, for forwarded blocks that are still open. */
  private readonly slots: Array<number | undefined> = []
  private nextIndex = 0
  /** A custom tool's input, buffered whole so its `{input}` wrapper can be removed at the stop. */
  private customJson: string | undefined = NO_CUSTOM
  private readonly counts = emptyCounts()
  private finish: Finish | undefined = undefined
  /** The open block's kind, for checking the upstream's framing (one block at a time). */
  private openKind: 'text' | 'reasoning' | 'tool' | undefined = undefined
  /** The open reasoning block already got its signature. */
  private signed = false
  /** The last streamed delta's event, and where its string goes. */
  private readonly template = new DeltaTemplate()
  private templateUpstream = 0
  private templateType: StreamedDelta = 'text_delta'

  constructor (request: CanonicalRequest) {
    this.custom = customToolNames(request)
    this.namespaces = namespacedTools(request)
  }

  push (frame: SseFrame, out: EventSink): void {
    if (this.ended || frame.comment !== undefined || frame.data === '') return
    const text = this.template.match(frame.data)
    if (text !== undefined) return this.streamed(this.templateUpstream, this.templateType, text, out)
    const data = parseUpstreamObject(frame.data, 'a stream event')
    switch (data.type) {
      case 'message_start': return this.messageStart(data, out)
      case 'content_block_start': return this.blockStart(data, out)
      case 'content_block_delta':
        this.blockDelta(data, out)
        if (this.template.learning) this.learn(frame.data, data)
        return
      case 'content_block_stop': return this.blockStop(data, out)
      case 'message_delta': return this.messageDelta(data)
      case 'message_stop': return this.messageStop(out)
      case 'ping': return out(PING)
      case 'error': return this.error(data, out)
    }
  }

  /** A stream cut after `message_delta` lost only `message_stop`: the reply is complete. */
  end (out: EventSink): void {
    if (!this.ended && this.finish !== undefined) this.messageEnd(out)
  }

  /** A repeated `message_start` is ignored (seen in the wild: vercel/ai duplicate-message-start). */
  private messageStart (data: JsonObject, out: EventSink): void {
    if (this.started) return
    const message = objectField(data, 'message', 'message_start')
    this.started = true
    const base = { type: 'message-start', id: field(message, 'id', 'message'), model: field(message, 'model', 'message'), created: Math.floor(Date.now() / 1000) } as const
    out(readUsage(message.usage, this.counts) ? { ...base, usage: canonicalUsage(this.counts) } : base)
  }

  private open (upstream: number, kind: 'text' | 'reasoning' | 'tool'): number {
    if (!this.started) throw fail('content before message_start')
    if (this.openKind !== undefined) throw fail('content_block_start while another block is open')
    this.openKind = kind
    this.signed = false
    const index = this.nextIndex++
    this.slots[upstream] = index
    return index
  }

  private blockStart (data: JsonObject, out: EventSink): void {
    const upstream = indexOf(data)
    const block = objectField(data, 'content_block', 'content_block_start')
    switch (block.type) {
      case 'text': {
        const index = this.open(upstream, 'text')
        out({ type: 'block-start', index, kind: 'text' })
        const text = field(block, 'text', 'text block')
        if (text !== '') out({ type: 'text-delta', index, delta: text })
        return
      }
      case 'thinking': {
        const index = this.open(upstream, 'reasoning')
        out({ type: 'block-start', index, kind: 'reasoning' })
        const thinking = field(block, 'thinking', 'thinking block')
        if (thinking !== '') out({ type: 'reasoning-delta', index, delta: thinking })
        return
      }
      case 'redacted_thinking': {
        // The whole block is its data: it becomes the signature right after the start.
        const value = field(block, 'data', 'redacted_thinking block')
        const index = this.open(upstream, 'reasoning')
        this.signed = true
        out({ type: 'block-start', index, kind: 'reasoning', redacted: true })
        out({ type: 'signature', index, signature: { family: 'anthropic', value } })
        return
      }
      case 'tool_use': return this.toolStart(upstream, block, out)
    }
  }

  private toolStart (upstream: number, block: JsonObject, out: EventSink): void {
    const toolCallId = field(block, 'id', 'tool_use block')
    const toolName = field(block, 'name', 'tool_use block')
    if (toolCallId === '') throw fail('a tool_use block without an id')
    if (toolName === '') throw fail('a tool_use block without a name')
    const index = this.open(upstream, 'tool')
    const split = this.namespaces.get(toolName)
    const start: Mutable<BlockStart> = { type: 'block-start', index, kind: 'tool-call', toolCallId, toolName }
    if (split === undefined ? this.custom.has(toolName) : split.kind === 'custom') {
      this.customJson = ''
      start.toolKind = 'custom'
    }
    if (split !== undefined) {
      start.toolName = split.name
      start.toolNamespace = split.namespace
    }
    out(start)
  }

  private blockDelta (data: JsonObject, out: EventSink): void {
    const upstream = indexOf(data)
    const index = this.slots[upstream]
    if (index === undefined) return
    const delta = objectField(data, 'delta', 'content_block_delta')
    const type = delta.type
    // Only the table's own names: a non-string `type` (or one like `toString`) is an unknown delta, ignored below.
    const expected = typeof type === 'string' && Object.hasOwn(DELTA_KIND, type) ? DELTA_KIND[type] : undefined
    if (expected !== undefined && expected !== this.openKind) throw fail(`${type as string} on a ${this.openKind ?? 'closed'} block`)
    const streamed = streamedType(type)
    if (streamed !== undefined) return this.streamed(upstream, streamed, field(delta, STREAMED_FIELD[streamed], streamed), out)
    if (type === 'signature_delta') {
      if (this.signed) throw fail('a second signature on one thinking block')
      this.signed = true
      out({ type: 'signature', index, signature: { family: 'anthropic', value: field(delta, 'signature', 'signature_delta') } })
    }
  }

  /** A string delta of upstream block `upstream` (parsed, or matched to the template). */
  private streamed (upstream: number, type: StreamedDelta, value: string, out: EventSink): void {
    const index = this.slots[upstream]
    if (index === undefined) return
    if (DELTA_KIND[type] !== this.openKind) throw fail(`${type} on a ${this.openKind ?? 'closed'} block`)
    if (value === '') return
    switch (type) {
      case 'text_delta': return out({ type: 'text-delta', index, delta: value })
      case 'thinking_delta': return out({ type: 'reasoning-delta', index, delta: value })
      case 'input_json_delta':
        if (this.customJson !== NO_CUSTOM) this.customJson += value
        else out({ type: 'tool-input-delta', index, delta: value })
    }
  }

  /** A streamed delta's event becomes the template for the next ones. */
  private learn (text: string, data: JsonObject): void {
    const slot = streamedSlot(data)
    if (slot === undefined) return
    this.templateUpstream = slot.upstream
    this.templateType = slot.type
    this.template.learn(text, STREAMED_FIELD[slot.type], candidate => {
      const probed = streamedSlot(parseUpstreamObject(candidate, 'a probe'))
      return probed?.type === slot.type && probed.upstream === slot.upstream ? probed.value : undefined
    })
  }

  private blockStop (data: JsonObject, out: EventSink): void {
    const upstream = indexOf(data)
    const index = this.slots[upstream]
    if (index === undefined) return
    this.slots[upstream] = undefined
    this.openKind = undefined
    if (this.customJson !== NO_CUSTOM) this.flushCustom(index, this.customJson, out)
    out({ type: 'block-end', index })
  }

  /** The raw text of `{"input":"…"}`; input that is not of that shape passes as it came. */
  private flushCustom (index: number, json: string, out: EventSink): void {
    this.customJson = NO_CUSTOM
    let raw: string | undefined
    try {
      raw = customInput(JSON.parse(json))
    } catch {
      raw = undefined
    }
    const delta = raw ?? json
    if (delta !== '') out({ type: 'tool-input-delta', index, delta })
  }

  /** Stop reason and cumulative usage; both are sent on at `message_stop`. */
  private messageDelta (data: JsonObject): void {
    if (!this.started) throw fail('message_delta before message_start')
    const delta = data.delta
    if (isObject(delta) && typeof delta.stop_reason === 'string') this.finish = canonicalFinish(delta.stop_reason, delta.stop_sequence)
    readUsage(data.usage, this.counts)
  }

  private messageStop (out: EventSink): void {
    if (!this.started) throw fail('message_stop before message_start')
    this.messageEnd(out)
  }

  private messageEnd (out: EventSink): void {
    if (this.openKind !== undefined) throw fail('message_stop with a content block still open')
    this.ended = true
    out({ type: 'usage', usage: canonicalUsage(this.counts) })
    out({ type: 'message-end', finish: this.finish ?? { reason: 'other' } })
  }

  /** §3.4(e): the upstream failed mid-stream; nothing follows. */
  private error (data: JsonObject, out: EventSink): void {
    this.ended = true
    out({ type: 'error', error: streamError(data) })
  }
}
