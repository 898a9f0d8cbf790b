// One streamed output item per canonical block (PROTOCOLS.md §2.4, §2.5): what
// `output_item.added` shows, the events around its deltas, and the finished item for
// `output_item.done` (built by items.ts, so the stream and the whole reply agree).
// Each item's delta event is serialised once, at block-start, up to its `delta` value: a delta
// then costs one JSON.stringify of its text (STYLE.md §2.10). Events are object literals, not
// spreads: V8 stringified a spread-built event at half the speed (4.6 against 2.0 µs for an
// `output_text.done` of 100 tokens).
import type { ToolKind } from '../../canonical/request.js'
import type { Signature } from '../../canonical/signature.js'
import { type CalledTool, encryptedContent, messageItem, outputText, reasoningItem, refusalPart, toolCallItem } from './items.js'
import type { MessageContent, OutputItem } from './wire.js'

/** A non-delta event before its `sequence_number` is added. */
export interface WireFields { readonly type: string, readonly [field: string]: unknown }

const NONE: readonly WireFields[] = []

export abstract class StreamedItem {
  readonly outputIndex: number
  readonly id: string
  /** The delta event's name, and the event serialised up to its `delta` value. */
  readonly deltaType: string
  readonly deltaHead: string
  /** Deltas so far. */
  text = ''
  /** Deltas are kept but not sent (redacted reasoning has no visible text). */
  readonly silent: boolean

  constructor (outputIndex: number, id: string, deltaType: string, slot: string, silent = false) {
    this.outputIndex = outputIndex
    this.id = id
    this.deltaType = deltaType
    this.silent = silent
    this.deltaHead = '{"type":"' + deltaType + '","item_id":' + JSON.stringify(id) + ',"output_index":' + outputIndex + slot + ',"delta":'
  }

  /** The item as `output_item.added` shows it. */
  abstract added (): OutputItem
  /** Events right after `output_item.added`. */
  opening (): readonly WireFields[] { return NONE }
  /** An event due just before the first delta is sent. */
  firstDelta (): WireFields | undefined { return undefined }
  /** A delta still due when the block ends, before `closing`. */
  finalDelta (): string | undefined { return undefined }
  /** The block's proof (`signature` event); only reasoning has a slot for it. */
  sign (_signature: Signature): void {}
  /** The `.done` events before `output_item.done`. */
  abstract closing (): readonly WireFields[]
  /** The complete item for `output_item.done` and the terminal output. */
  abstract done (): OutputItem
}

/** A text or refusal block: a message item with one content part at content_index 0. */
export class MessageStream extends StreamedItem {
  private readonly refusal: boolean

  constructor (outputIndex: number, id: string, refusal: boolean) {
    super(outputIndex, id, refusal ? 'response.refusal.delta' : 'response.output_text.delta', refusal ? ',"content_index":0' : ',"content_index":0,"logprobs":[]')
    this.refusal = refusal
  }

  private part (text: string): MessageContent {
    return this.refusal ? refusalPart(text) : outputText(text)
  }

  added (): OutputItem {
    return messageItem(this.id, undefined, 'in_progress')
  }

  override opening (): readonly WireFields[] {
    return [{ type: 'response.content_part.added', item_id: this.id, output_index: this.outputIndex, content_index: 0, part: this.part('') }]
  }

  closing (): readonly WireFields[] {
    const text = this.text
    const done = this.refusal
      ? { type: 'response.refusal.done', item_id: this.id, output_index: this.outputIndex, content_index: 0, refusal: text }
      : { type: 'response.output_text.done', item_id: this.id, output_index: this.outputIndex, content_index: 0, text, logprobs: [] }
    return [done, { type: 'response.content_part.done', item_id: this.id, output_index: this.outputIndex, content_index: 0, part: this.part(text) }]
  }

  done (): OutputItem {
    return messageItem(this.id, this.part(this.text), 'completed')
  }
}

/**
 * A `function_call` (JSON arguments) or `custom_tool_call` (free-text input) item. A function
 * call that streamed no arguments ends with `{}`, as OpenAI's own do: clients JSON.parse the
 * arguments and `""` is not JSON (§7.7).
 */
export class ToolCallStream extends StreamedItem {
  private readonly kind: ToolKind
  private readonly callId: string
  private readonly tool: CalledTool

  constructor (outputIndex: number, id: string, kind: ToolKind, callId: string, tool: CalledTool) {
    super(outputIndex, id, kind === 'custom' ? 'response.custom_tool_call_input.delta' : 'response.function_call_arguments.delta', '')
    this.kind = kind
    this.callId = callId
    this.tool = tool
  }

  added (): OutputItem {
    return toolCallItem(this.kind, this.id, this.callId, this.tool, '', 'in_progress')
  }

  override finalDelta (): string | undefined {
    return this.kind === 'function' && this.text === '' ? '{}' : undefined
  }

  closing (): readonly WireFields[] {
    if (this.kind === 'custom') return [{ type: 'response.custom_tool_call_input.done', item_id: this.id, output_index: this.outputIndex, input: this.text }]
    return [{ type: 'response.function_call_arguments.done', item_id: this.id, output_index: this.outputIndex, arguments: this.text, name: this.tool.name }]
  }

  done (): OutputItem {
    return toolCallItem(this.kind, this.id, this.callId, this.tool, this.text, 'completed')
  }
}

/**
 * A reasoning item: its text streams as summary part 0, opened by the first delta (empty
 * reasoning has no summary part). `encrypted_content` is added to the finished item only when
 * the request asked for it (§6.9); a redacted block shows no text at all.
 */
export class ReasoningStream extends StreamedItem {
  private readonly redacted: boolean
  private readonly encrypted: boolean
  private signature: Signature | undefined = undefined

  constructor (outputIndex: number, id: string, redacted: boolean, encrypted: boolean) {
    super(outputIndex, id, 'response.reasoning_summary_text.delta', ',"summary_index":0', redacted)
    this.redacted = redacted
    this.encrypted = encrypted
  }

  added (): OutputItem {
    return reasoningItem(this.id, '')
  }

  override firstDelta (): WireFields {
    return { type: 'response.reasoning_summary_part.added', item_id: this.id, output_index: this.outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } }
  }

  override sign (signature: Signature): void {
    this.signature = signature
  }

  private summaryText (): string {
    return this.redacted ? '' : this.text
  }

  closing (): readonly WireFields[] {
    const text = this.summaryText()
    if (text === '') return NONE
    return [
      { type: 'response.reasoning_summary_text.done', item_id: this.id, output_index: this.outputIndex, summary_index: 0, text },
      { type: 'response.reasoning_summary_part.done', item_id: this.id, output_index: this.outputIndex, summary_index: 0, part: { type: 'summary_text', text } },
    ]
  }

  done (): OutputItem {
    const text = this.summaryText()
    if (!this.encrypted) return reasoningItem(this.id, text)
    return reasoningItem(this.id, text, encryptedContent(this.signature, this.text, this.redacted))
  }
}
