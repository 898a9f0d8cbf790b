// Canonical events → Responses stream (PROTOCOLS.md §2.3–§2.5, §5.3, §5.8, §6.12 "Any → client
// RESP"). The encoder owns sequence_number (from 0, +1 per event, no gaps), output_index (in
// add order) and item ids; it keeps every finished item so the terminal event carries the FULL
// output array (openai-node replaces its snapshot with it, §2.4).
//
// Opening: `open()` (the upstream has answered) sends `response.created` + `response.in_progress`
// at once, with an id minted here (`resp_` + 24 hex) and the request's model: Codex gives up on
// a silent connection, and a thinking model can be silent longer than it waits. The id then
// never changes (Codex and the SDK keep the first/last one); `message-start` only brings the
// upstream's model for the terminal response. Without `open()` (whole replies replayed as a
// stream) `message-start` opens the response with its own id, created time and model.
//
// For the response store (plugins/handlers/responses-state.ts): `responseId` is the id the
// client sees; `completedResponse` is the terminal event's response object once the reply
// reached its end (completed or incomplete; never set for a failed or truncated stream).
//
// Items still open when the stream fails or breaks off get no `.done` events and are left out
// of `response.failed`'s output: their content is cut, and Codex executes whatever reaches
// `output_item.done` — a half-streamed call must never look complete. Finished items stay.
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Usage } from '../../canonical/usage.js'
import { KEEPALIVE_COMMENT } from '../../sse/frame.js'
import type { FrameSink, StreamEncoder } from '../types.js'
import { STREAM_TRUNCATED, type EventOf } from '../shared/events.js'
import { idBody } from '../shared/ids.js'
import { randomHex } from '../shared/random-ids.js'
import { failureOf } from './failure.js'
import { TERMINAL_EVENT, terminalOf } from './finish-reason.js'
import { callIdOf, itemId } from './items.js'
import { requestEcho, responseObject, type RequestEcho, type ResponseHead, type ResponseState } from './response-object.js'
import { ResponseJson } from './response-json.js'
import { MessageStream, ReasoningStream, ToolCallStream, type StreamedItem, type WireFields } from './stream-encoder-items.js'
import { responsesUsage } from './usage.js'
import type { OutputItem, WireResponse } from './wire.js'

const NO_BLOCK = -1

export class ResponsesStreamEncoder implements StreamEncoder {
  private readonly echo: RequestEcho
  /** The lifecycle events' response object as text, the request's half serialised once. */
  private readonly responseJson: ResponseJson
  private readonly encryptedReasoning: boolean
  private head: ResponseHead
  private idBody: string
  /** `response.created` and `response.in_progress` are out. */
  private opened = false
  private finished = false
  private seq = 0
  /** The one open item (canonical streams open one block at a time) and its block index. */
  private current: StreamedItem | undefined = undefined
  private currentIndex = NO_BLOCK
  /** Finished items, by output_index. */
  private readonly output: OutputItem[] = []
  private added = 0
  private usage: Usage | undefined = undefined
  /** The terminal response object, once the reply reached its end (see the header), and its JSON as sent. */
  completedResponse: WireResponse | undefined = undefined
  completedResponseJson: string | undefined = undefined

  constructor (request: CanonicalRequest) {
    this.echo = requestEcho(request)
    this.responseJson = new ResponseJson(this.echo)
    this.encryptedReasoning = request.encryptedReasoning === true
    this.idBody = randomHex(12)
    this.head = { id: 'resp_' + this.idBody, createdAt: Math.floor(Date.now() / 1000), model: request.model }
  }

  open (out: FrameSink): void {
    if (!this.opened && !this.finished) this.announce(out)
  }

  push (event: CanonicalEvent, out: FrameSink): void {
    if (this.finished) return
    switch (event.type) {
      case 'message-start': return this.start(event, out)
      case 'block-start': return this.blockStart(event, out)
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-input-delta': return this.delta(event, out)
      case 'signature': return this.signature(event)
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

  /** Byte for byte `JSON.stringify({ ...fields, sequence_number })`, without building that copy. */
  private send (out: FrameSink, fields: WireFields): void {
    const json = JSON.stringify(fields)
    out({ event: fields.type, data: json.slice(0, -1) + ',"sequence_number":' + this.seq++ + '}', json: true })
  }

  /** A lifecycle event, byte for byte what `send` writes for `{ type, response: responseObject(…) }`; returns the response's JSON. */
  private sendResponse (out: FrameSink, type: string, state: ResponseState, response = this.responseJson.serialise(this.head, state)): string {
    out({ event: type, data: '{"type":"' + type + '","response":' + response + ',"sequence_number":' + this.seq++ + '}', json: true })
    return response
  }

  /** The response id the client sees. */
  get responseId (): string {
    return this.head.id
  }

  private snapshot (state: ResponseState): WireResponse {
    return responseObject(this.head, this.echo, state)
  }

  private usageNow (): ResponseState['usage'] {
    return this.usage === undefined ? null : responsesUsage(this.usage)
  }

  /** §2.4: `response.created` first, then `response.in_progress`, both with `output:[]`. */
  private announce (out: FrameSink): void {
    this.opened = true
    const state: ResponseState = { status: 'in_progress', output: [], usage: null }
    // The same response object twice: serialised once.
    const response = this.sendResponse(out, 'response.created', state)
    this.sendResponse(out, 'response.in_progress', state, response)
  }

  private start (event: EventOf<'message-start'>, out: FrameSink): void {
    if (event.usage !== undefined) this.usage = event.usage
    if (this.opened) {
      this.head = { id: this.head.id, createdAt: this.head.createdAt, model: event.model }
      return
    }
    this.idBody = idBody(event.id)
    this.head = { id: 'resp_' + this.idBody, createdAt: event.created, model: event.model }
    this.announce(out)
  }

  private newItem (event: EventOf<'block-start'>, at: number): StreamedItem {
    const body = this.idBody
    switch (event.kind) {
      case 'text': return new MessageStream(at, itemId('msg_', body, at), false)
      case 'refusal': return new MessageStream(at, itemId('msg_', body, at), true)
      case 'reasoning': return new ReasoningStream(at, itemId('rs_', body, at), event.redacted === true, this.encryptedReasoning)
      case 'tool-call': {
        const kind = event.toolKind ?? 'function'
        const id = itemId(kind === 'custom' ? 'ctc_' : 'fc_', body, at)
        const tool = { name: event.toolName ?? '', namespace: event.toolNamespace }
        return new ToolCallStream(at, id, kind, callIdOf(event.toolCallId, body, at), tool)
      }
    }
  }

  private blockStart (event: EventOf<'block-start'>, out: FrameSink): void {
    if (!this.opened) this.announce(out)
    if (this.current !== undefined) this.close(out)
    const item = this.newItem(event, this.added++)
    this.current = item
    this.currentIndex = event.index
    this.send(out, { type: 'response.output_item.added', output_index: item.outputIndex, item: item.added() })
    for (const fields of item.opening()) this.send(out, fields)
  }

  /** The hot path: one string concatenation around the prebuilt head. */
  private delta (event: EventOf<'text-delta' | 'reasoning-delta' | 'tool-input-delta'>, out: FrameSink): void {
    const item = this.current
    if (item === undefined || event.index !== this.currentIndex || event.delta === '') return
    this.emitDelta(item, event.delta, out)
  }

  private emitDelta (item: StreamedItem, delta: string, out: FrameSink): void {
    if (item.silent) {
      item.text += delta
      return
    }
    if (item.text === '') {
      const first = item.firstDelta()
      if (first !== undefined) this.send(out, first)
    }
    item.text += delta
    out({ event: item.deltaType, data: item.deltaHead + JSON.stringify(delta) + ',"sequence_number":' + this.seq++ + '}', json: true })
  }

  /** Kept for the reasoning item's `output_item.done` (a tool call's Gemini proof has no slot). */
  private signature (event: EventOf<'signature'>): void {
    if (this.current !== undefined && event.index === this.currentIndex) this.current.sign(event.signature)
  }

  private blockEnd (event: EventOf<'block-end'>, out: FrameSink): void {
    if (this.current !== undefined && event.index === this.currentIndex) this.close(out)
  }

  /** The item's `.done` chain, then `output_item.done` with the complete item (§2.5). */
  private close (out: FrameSink): void {
    const item = this.current as StreamedItem
    this.current = undefined
    this.currentIndex = NO_BLOCK
    const tail = item.finalDelta()
    if (tail !== undefined) this.emitDelta(item, tail, out)
    for (const fields of item.closing()) this.send(out, fields)
    const done = item.done()
    this.output[item.outputIndex] = done
    this.send(out, { type: 'response.output_item.done', output_index: item.outputIndex, item: done })
  }

  private finish (event: EventOf<'message-end'>, out: FrameSink): void {
    if (!this.opened) this.announce(out)
    if (this.current !== undefined) this.close(out)
    const terminal = terminalOf(event.finish)
    const state: ResponseState = {
      status: terminal.status,
      output: this.output,
      usage: this.usageNow(),
      incomplete: terminal.incomplete,
      error: terminal.error,
    }
    this.completedResponseJson = this.sendResponse(out, TERMINAL_EVENT[terminal.status], state)
    this.finished = true
    this.completedResponse = this.snapshot(state)
  }

  /**
   * §2.5(e): an `error` event with the flat fields AND a nested `error` object (openai-node 6.49
   * throws on a truthy top-level `error`), then `response.failed` with a non-null code for
   * Codex (failure.ts), then close.
   */
  private fail (error: CanonicalError, out: FrameSink): void {
    if (!this.opened) this.announce(out)
    this.current = undefined
    const failure = failureOf(error)
    const wire = failure.wire
    this.send(out, { type: 'error', code: wire.code, message: wire.message, param: wire.param, error: wire })
    this.sendResponse(out, 'response.failed', { status: 'failed', output: this.output, usage: this.usageNow(), error: failure.error })
    this.finished = true
  }
}
