// The openai-node 7.x ResponseStream rules (PROTOCOLS.md §5.3, read from
// src/internal/responses/response-accumulator.ts), stricter than the 6.49 SDK installed here:
// a small accumulator replays a Responses stream and reports every violation, in order.
// Besides 7.x's checks (response.created first, known event types, output_item.added appends
// at output.length, non-empty ids and call_ids, no duplicate identity, item_id and item type of
// item-scoped events, content/summary parts present, output_item.done keeps type/id/call_id)
// it checks what the gateway promises on top: sequence_number 0,1,2… without gaps, `event:`
// equal to `data.type`, the required fields of §2.4, nothing after the terminal event, and
// each item's deltas adding up to its `output_item.done` item.
import type { SseFrame } from '../../src/sse/frame.js'

type Json = Record<string, unknown>

const LIFECYCLE = new Set(['response.created', 'response.in_progress', 'response.queued', 'response.completed', 'response.incomplete', 'response.failed'])
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/** Item-scoped events → the output item type they must target (7.x `expectedOutputItemTypes`). */
const ITEM_TYPE: Readonly<Record<string, string>> = {
  'response.output_text.delta': 'message',
  'response.output_text.done': 'message',
  'response.refusal.delta': 'message',
  'response.refusal.done': 'message',
  'response.function_call_arguments.delta': 'function_call',
  'response.function_call_arguments.done': 'function_call',
  'response.custom_tool_call_input.delta': 'custom_tool_call',
  'response.custom_tool_call_input.done': 'custom_tool_call',
  'response.reasoning_summary_part.added': 'reasoning',
  'response.reasoning_summary_part.done': 'reasoning',
  'response.reasoning_summary_text.delta': 'reasoning',
  'response.reasoning_summary_text.done': 'reasoning',
}

/** §2.4 required fields (besides `type` and `sequence_number`). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'response.created': ['response'],
  'response.in_progress': ['response'],
  'response.completed': ['response'],
  'response.incomplete': ['response'],
  'response.failed': ['response'],
  'response.output_item.added': ['output_index', 'item'],
  'response.output_item.done': ['output_index', 'item'],
  'response.content_part.added': ['item_id', 'output_index', 'content_index', 'part'],
  'response.content_part.done': ['item_id', 'output_index', 'content_index', 'part'],
  'response.output_text.delta': ['item_id', 'output_index', 'content_index', 'delta', 'logprobs'],
  'response.output_text.done': ['item_id', 'output_index', 'content_index', 'text', 'logprobs'],
  'response.refusal.delta': ['item_id', 'output_index', 'content_index', 'delta'],
  'response.refusal.done': ['item_id', 'output_index', 'content_index', 'refusal'],
  'response.function_call_arguments.delta': ['item_id', 'output_index', 'delta'],
  'response.function_call_arguments.done': ['item_id', 'output_index', 'arguments', 'name'],
  'response.custom_tool_call_input.delta': ['item_id', 'output_index', 'delta'],
  'response.custom_tool_call_input.done': ['item_id', 'output_index', 'input'],
  'response.reasoning_summary_part.added': ['item_id', 'output_index', 'summary_index', 'part'],
  'response.reasoning_summary_part.done': ['item_id', 'output_index', 'summary_index', 'part'],
  'response.reasoning_summary_text.delta': ['item_id', 'output_index', 'summary_index', 'delta'],
  'response.reasoning_summary_text.done': ['item_id', 'output_index', 'summary_index', 'text'],
  error: ['code', 'message', 'param'],
  keepalive: [],
}

const isCall = (item: Json): boolean => item.type === 'function_call' || item.type === 'custom_tool_call'
const clone = <T>(v: T): T => structuredClone(v)

export interface StrictResult {
  /** Every violation, in stream order ([] = valid). */
  readonly problems: string[]
  /** The parsed events. */
  readonly events: Json[]
  /** The `output_item.done` items by output_index. */
  readonly doneItems: Json[]
  /** The last lifecycle event's response. */
  readonly final: Json | undefined
}

class Replay {
  readonly problems: string[] = []
  readonly doneItems: Json[] = []
  output: Json[] | undefined = undefined
  identities = new Set<string>()
  final: Json | undefined = undefined
  terminal = false

  problem (at: string, message: string): void {
    this.problems.push(at + ': ' + message)
  }

  /** 7.x `getOutputItemIdentityKeys`. */
  identityKeys (item: Json, at: string): string[] {
    const keys: string[] = []
    if (typeof item.type !== 'string') this.problem(at, 'item without a type')
    if ('id' in item) {
      if (typeof item.id !== 'string' || item.id === '') this.problem(at, 'expected a non-empty output item id')
      else keys.push('id:' + item.id)
    } else if (!isCall(item)) this.problem(at, 'expected a non-empty output item id')
    if (isCall(item)) {
      if (typeof item.call_id !== 'string' || item.call_id === '') this.problem(at, 'expected a non-empty output item call_id')
      else keys.push('call:' + String(item.type) + ':' + item.call_id)
    }
    return keys
  }

  addIdentities (keys: string[], at: string): void {
    for (const key of keys) {
      if (this.identities.has(key)) this.problem(at, `duplicate output item identity '${key}'`)
      this.identities.add(key)
    }
  }

  lifecycle (e: Json, at: string): void {
    const response = e.response as Json
    this.final = response
    this.output = clone(response.output as Json[])
    this.identities = new Set()
    for (const item of this.output) this.addIdentities(this.identityKeys(item, at), at)
  }

  item (e: Json, at: string): Json | undefined {
    const output = this.output as Json[]
    const item = output[e.output_index as number]
    if (item === undefined) this.problem(at, `missing output at index ${String(e.output_index)}`)
    return item
  }

  added (e: Json, at: string): void {
    const output = this.output as Json[]
    if (e.output_index !== output.length) return this.problem(at, `missing output at index ${String(e.output_index)}`)
    const item = clone(e.item as Json)
    this.addIdentities(this.identityKeys(item, at), at)
    output.push(item)
  }

  done (e: Json, at: string): void {
    const before = this.item(e, at)
    if (before === undefined) return
    const item = e.item as Json
    this.identityKeys(item, at)
    for (const key of ['type', 'id', 'call_id']) {
      if (before[key] !== item[key]) this.problem(at, `expected output item ${key} '${String(before[key])}', got '${String(item[key])}'`)
    }
    // What the deltas built must be what the item says it is.
    for (const key of ['content', 'arguments', 'input', 'summary']) {
      if (key in before && JSON.stringify(before[key]) !== JSON.stringify(item[key])) {
        this.problem(at, `streamed ${key} ${JSON.stringify(before[key])} differs from the done item's ${JSON.stringify(item[key])}`)
      }
    }
    ;(this.output as Json[])[e.output_index as number] = clone(item)
    this.doneItems[e.output_index as number] = item
  }

  /** An item-scoped event: item_id and item type checks, then its effect on the snapshot. */
  scoped (e: Json, type: string, at: string): void {
    const item = this.item(e, at)
    if (item === undefined) return
    if (typeof e.item_id !== 'string' || e.item_id === '') return this.problem(at, 'expected a non-empty item_id')
    if (item.id !== e.item_id) this.problem(at, `expected item_id '${String(item.id)}', got '${e.item_id}'`)
    const part = e.part as Json | undefined
    const expected = ITEM_TYPE[type] ?? (part?.type === 'reasoning_text' ? 'reasoning' : 'message')
    if (item.type !== expected) return this.problem(at, `expected output item type '${expected}', got '${String(item.type)}'`)
    this.apply(e, type, item, at)
  }

  part (list: Json[], index: unknown, at: string): Json | undefined {
    const part = list[index as number]
    if (part === undefined) this.problem(at, `missing content at index ${String(index)}`)
    return part
  }

  apply (e: Json, type: string, item: Json, at: string): void {
    const content = item.content as Json[]
    const summary = item.summary as Json[]
    switch (type) {
      case 'response.content_part.added':
        if (e.content_index !== content.length) return this.problem(at, `missing content at index ${String(e.content_index)}`)
        content.push(clone(e.part as Json)); return
      case 'response.content_part.done':
        if (this.part(content, e.content_index, at) !== undefined) content[e.content_index as number] = clone(e.part as Json)
        return
      case 'response.output_text.delta':
      case 'response.output_text.done':
      case 'response.refusal.delta':
      case 'response.refusal.done': {
        const field = type.startsWith('response.refusal') ? 'refusal' : 'text'
        const part = this.part(content, e.content_index, at)
        if (part === undefined) return
        const want = field === 'refusal' ? 'refusal' : 'output_text'
        if (part.type !== want) return this.problem(at, `expected content to be '${want}', got ${String(part.type)}`)
        part[field] = type.endsWith('.delta') ? String(part[field]) + String(e.delta) : e[field]
        return
      }
      case 'response.function_call_arguments.delta': item.arguments = String(item.arguments) + String(e.delta); return
      case 'response.function_call_arguments.done': item.arguments = e.arguments; return
      case 'response.custom_tool_call_input.delta': item.input = String(item.input) + String(e.delta); return
      case 'response.custom_tool_call_input.done': item.input = e.input; return
      case 'response.reasoning_summary_part.added':
        if (e.summary_index !== summary.length) return this.problem(at, `missing content at index ${String(e.summary_index)}`)
        summary.push(clone(e.part as Json)); return
      case 'response.reasoning_summary_part.done':
        if (this.part(summary, e.summary_index, at) !== undefined) summary[e.summary_index as number] = clone(e.part as Json)
        return
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_summary_text.done': {
        const part = this.part(summary, e.summary_index, at)
        if (part !== undefined) part.text = type.endsWith('.delta') ? String(part.text) + String(e.delta) : e.text
      }
    }
  }

  event (e: Json, n: number, name: string | undefined): void {
    const type = String(e.type)
    const at = `#${n} ${type}`
    if (e.sequence_number !== n) this.problem(at, `sequence_number ${String(e.sequence_number)}, expected ${n}`)
    if (name !== type) this.problem(at, `event: ${String(name)} differs from data.type`)
    if (this.terminal) this.problem(at, 'event after the terminal event')
    const required = REQUIRED[type]
    if (required === undefined) return this.problem(at, 'Unhandled response stream event: unknown')
    for (const field of required) if (!(field in e)) this.problem(at, `missing required field ${field}`)
    if (this.output === undefined && type !== 'response.created') return this.problem(at, `expected 'response.created' event, got ${type}`)
    if (LIFECYCLE.has(type)) {
      this.lifecycle(e, at)
      if (TERMINAL.has(type)) this.terminal = true
      return
    }
    if (type === 'response.output_item.added') return this.added(e, at)
    if (type === 'response.output_item.done') return this.done(e, at)
    if (type === 'error' || type === 'keepalive') return
    this.scoped(e, type, at)
  }
}

/** Replay frames (as the encoder wrote them) through the 7.x rules. */
export function strictCheck (frames: readonly SseFrame[]): StrictResult {
  const replay = new Replay()
  const events: Json[] = []
  for (const frame of frames) {
    if (frame.comment !== undefined) continue
    const e = JSON.parse(frame.data) as Json
    replay.event(e, events.length, frame.event)
    events.push(e)
  }
  if (events.length === 0) replay.problems.push('request ended without sending any events')
  else if (!replay.terminal) replay.problems.push('the stream has no terminal event')
  return { problems: replay.problems, events, doneItems: replay.doneItems, final: replay.final }
}
