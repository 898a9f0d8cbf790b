// Canonical events → Responses stream (PROTOCOLS.md §2.3–§2.5 a/b/c/d/e). The encoder owns
// sequence_number (from 0, +1 per event), output_index (in add order) and item ids; it keeps
// every finished item so the terminal event carries the FULL output array (openai-node
// replaces its snapshot with it, §2.4).
import type { BlockKind, CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Usage } from '../../canonical/usage.js'
import type { FrameSink, StreamEncoder } from '../types.js'
import { KEEPALIVE_COMMENT } from '../../sse/frame.js'
import { STREAM_TRUNCATED, type EventOf } from '../shared/events.js'
import { idBody } from '../shared/ids.js'
import { openAiErrorObject } from '../shared/openai-error.js'
import { TERMINAL_EVENT, terminalOf } from './finish-reason.js'
import { callIdOf, functionCallItem, itemId, messageItem, reasoningItem } from './items.js'
import { responseObject, type ResponseHead, type ResponseState } from './response-object.js'
import { responsesUsage } from './usage.js'
import type { OutputItem } from './wire.js'

interface WireEvent { readonly type: string, readonly sequence_number: number, readonly [field: string]: unknown }

const DELTA_EVENT: Readonly<Record<BlockKind, string>> = {
  text: 'response.output_text.delta',
  refusal: 'response.output_text.delta',
  reasoning: 'response.reasoning_summary_text.delta',
  'tool-call': 'response.function_call_arguments.delta',
}

/** One output item being streamed; its fixed strings are built once, at block-start. */
class OpenItem {
  readonly kind: BlockKind
  readonly outputIndex: number
  readonly id: string
  readonly callId: string
  readonly name: string
  /** The delta event serialised up to its `delta` value (hot path: one stringify per delta). */
  readonly deltaHead: string
  text = ''
  /** Reasoning: the summary part is opened by the first delta, so empty reasoning has none. */
  partOpen: boolean

  constructor (kind: BlockKind, outputIndex: number, id: string, callId: string, name: string) {
    this.kind = kind
    this.outputIndex = outputIndex
    this.id = id
    this.callId = callId
    this.name = name
    this.partOpen = kind !== 'reasoning'
    const where = '"item_id":' + JSON.stringify(id) + ',"output_index":' + outputIndex
    const slot = kind === 'text' ? ',"content_index":0,"logprobs":[]' : kind === 'reasoning' ? ',"summary_index":0' : ''
    this.deltaHead = '{"type":"' + DELTA_EVENT[kind] + '",' + where + slot + ',"delta":'
  }
}

export class ResponsesStreamEncoder implements StreamEncoder {
  private readonly request: CanonicalRequest
  private head: ResponseHead
  private idBody = ''
  private seq = 0
  /** Canonical block index → the item it streams into. */
  private readonly open: Array<OpenItem | undefined> = []
  /** Finished items by output_index. */
  private readonly output: OutputItem[] = []
  private added = 0
  private usage: Usage | undefined = undefined
  private finished = false

  constructor (request: CanonicalRequest) {
    this.request = request
    this.head = { id: 'resp_', createdAt: 0, model: request.model }
  }

  push (event: CanonicalEvent, out: FrameSink): void {
    if (this.finished) return
    switch (event.type) {
      case 'message-start': return this.start(event, out)
      case 'block-start': return this.blockStart(event, out)
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-input-delta': return this.delta(event, out)
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

  private send (out: FrameSink, event: WireEvent): void {
    out({ event: event.type, data: JSON.stringify(event) })
  }

  private snapshot (state: ResponseState): unknown {
    return responseObject(this.head, this.request, state)
  }

  /** §2.4: `response.created` first, then `response.in_progress`, both with `output:[]`. */
  private start (event: EventOf<'message-start'>, out: FrameSink): void {
    this.idBody = idBody(event.id)
    this.head = { id: 'resp_' + this.idBody, createdAt: event.created, model: event.model }
    if (event.usage !== undefined) this.usage = event.usage
    const response = this.snapshot({ status: 'in_progress', output: [], usage: null })
    this.send(out, { type: 'response.created', sequence_number: this.seq++, response })
    this.send(out, { type: 'response.in_progress', sequence_number: this.seq++, response })
  }

  private blockStart (event: EventOf<'block-start'>, out: FrameSink): void {
    const index = this.added++
    const body = this.idBody
    let item: OpenItem
    let wire: OutputItem
    if (event.kind === 'text' || event.kind === 'refusal') {
      item = new OpenItem('text', index, itemId('msg_', body, index), '', '')
      wire = messageItem(item.id, undefined, 'in_progress')
    } else if (event.kind === 'reasoning') {
      item = new OpenItem('reasoning', index, itemId('rs_', body, index), '', '')
      wire = reasoningItem(item.id, '')
    } else {
      item = new OpenItem('tool-call', index, itemId('fc_', body, index), callIdOf(event.toolCallId, body, index), event.toolName ?? '')
      wire = functionCallItem(item.id, item.callId, item.name, '', 'in_progress')
    }
    this.open[event.index] = item
    this.send(out, { type: 'response.output_item.added', sequence_number: this.seq++, output_index: index, item: wire })
    if (item.kind === 'text') {
      const part = { type: 'output_text', text: '', annotations: [] }
      this.send(out, { type: 'response.content_part.added', sequence_number: this.seq++, item_id: item.id, output_index: index, content_index: 0, part })
    }
  }

  private delta (event: EventOf<'text-delta' | 'reasoning-delta' | 'tool-input-delta'>, out: FrameSink): void {
    const item = this.open[event.index]
    if (item === undefined || event.delta === '') return
    if (!item.partOpen) this.openSummaryPart(item, out)
    item.text += event.delta
    out({ event: DELTA_EVENT[item.kind], data: item.deltaHead + JSON.stringify(event.delta) + ',"sequence_number":' + this.seq++ + '}' })
  }

  private openSummaryPart (item: OpenItem, out: FrameSink): void {
    item.partOpen = true
    const part = { type: 'summary_text', text: '' }
    this.send(out, { type: 'response.reasoning_summary_part.added', sequence_number: this.seq++, item_id: item.id, output_index: item.outputIndex, summary_index: 0, part })
  }

  /** Each item's `.done` chain, then `output_item.done` with the complete item (§2.5). */
  private blockEnd (event: EventOf<'block-end'>, out: FrameSink): void {
    const item = this.open[event.index]
    if (item === undefined) return
    this.open[event.index] = undefined
    const id = item.id
    const at = item.outputIndex
    let done: OutputItem
    if (item.kind === 'text') {
      const part = { type: 'output_text', text: item.text, annotations: [] }
      this.send(out, { type: 'response.output_text.done', sequence_number: this.seq++, item_id: id, output_index: at, content_index: 0, text: item.text, logprobs: [] })
      this.send(out, { type: 'response.content_part.done', sequence_number: this.seq++, item_id: id, output_index: at, content_index: 0, part })
      done = messageItem(item.id, item.text, 'completed')
    } else if (item.kind === 'reasoning') {
      if (item.partOpen) {
        const part = { type: 'summary_text', text: item.text }
        this.send(out, { type: 'response.reasoning_summary_text.done', sequence_number: this.seq++, item_id: id, output_index: at, summary_index: 0, text: item.text })
        this.send(out, { type: 'response.reasoning_summary_part.done', sequence_number: this.seq++, item_id: id, output_index: at, summary_index: 0, part })
      }
      done = reasoningItem(item.id, item.text)
    } else {
      this.send(out, { type: 'response.function_call_arguments.done', sequence_number: this.seq++, item_id: id, output_index: at, arguments: item.text, name: item.name })
      done = functionCallItem(item.id, item.callId, item.name, item.text, 'completed')
    }
    this.output[item.outputIndex] = done
    this.send(out, { type: 'response.output_item.done', sequence_number: this.seq++, output_index: item.outputIndex, item: done })
  }

  private finishedOutput (): OutputItem[] {
    // Sparse only if a stream broke with a block still open; holes are skipped.
    return this.output.filter(item => item !== undefined)
  }

  private finish (event: EventOf<'message-end'>, out: FrameSink): void {
    const terminal = terminalOf(event.finish)
    const response = this.snapshot({
      status: terminal.status,
      output: this.finishedOutput(),
      usage: this.usage === undefined ? null : responsesUsage(this.usage),
      incomplete: terminal.incomplete,
      error: terminal.error,
    })
    this.send(out, { type: TERMINAL_EVENT[terminal.status], sequence_number: this.seq++, response })
    this.finished = true
  }

  /**
   * §2.5(e): an `error` event with the flat fields AND a nested `error` object (openai-node 6.49
   * throws on a truthy top-level `error`), then `response.failed` for Codex, then close.
   */
  private fail (error: CanonicalError, out: FrameSink): void {
    const wire = openAiErrorObject(error)
    this.send(out, { type: 'error', sequence_number: this.seq++, code: wire.code, message: wire.message, param: wire.param, error: wire })
    const response = this.snapshot({
      status: 'failed',
      output: this.finishedOutput(),
      usage: this.usage === undefined ? null : responsesUsage(this.usage),
      error: { code: wire.code ?? 'server_error', message: wire.message },
    })
    this.send(out, { type: 'response.failed', sequence_number: this.seq++, response })
    this.finished = true
  }
}
