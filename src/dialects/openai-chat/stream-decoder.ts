// Chat Completions chunks → canonical events (PROTOCOLS.md §1.3, §1.4, §6.12, §7.1–7.4, §7.19),
// keeping every invariant of src/canonical/events.ts:
// - `message-start` on the first chunk; blocks indexed densely in start order, ONE open at a time;
// - reasoning (`reasoning_content`/`reasoning`) and content of the same chunk become two blocks,
//   reasoning first (§7.4); `delta.refusal` is a refusal block; empty strings open nothing;
// - tool calls: a call's block starts once its name is known (fragments buffered until then);
//   a flattened namespaced name is split back into name + `toolNamespace` (namespaces.ts);
//   the first call streams live; when a NEW call appears, the live one is closed if its
//   arguments are complete JSON, otherwise the upstream interleaves (§7.2) and every later call
//   is buffered and flushed at finish as sequential blocks (start, one delta, end);
// - `finish_reason` closes the open block, but `message-end` waits for the usage chunk (or
//   `[DONE]`, or end()) so usage is final (§6.12); a stream cut before any finish_reason gets
//   nothing more: the client encoder renders the truncation;
// - an `{error}` chunk becomes the canonical `error`, and the rest is ignored (§1.4(e));
// - upstream `:` comments are keep-alives and become `ping` (§7.33).
// Per chunk: at most one JSON.parse (none for a delta that differs from the learnt one only in
// its text: shared/delta-template.ts); no regexes, clocks or closures.
import { randomUUID } from 'node:crypto'
import type { CanonicalError } from '../../canonical/error.js'
import type { BlockKind, CanonicalEvent } from '../../canonical/events.js'
import type { Finish } from '../../canonical/finish-reason.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Usage } from '../../canonical/usage.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import type { SseFrame } from '../../sse/frame.js'
import type { EventSink, StreamDecoder } from '../types.js'
import { idBody } from '../shared/ids.js'
import { parseUpstreamObject } from '../shared/upstream-json.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { DeltaTemplate } from '../shared/delta-template.js'
import type { Mutable } from '../shared/request.js'
import { customToolNames, unwrapCustomInput } from '../shared/custom-tools.js'
import { namespacedTools, type NamespaceLookup } from '../shared/namespaces.js'
import { parseStreamError } from './errors.js'
import { canonicalFinish } from './finish-reason.js'
import { findCall, fragmentId, fragmentKey, isCompleteJson, StreamToolCall } from './stream-tool-call.js'
import { canonicalUsage } from './usage.js'

const PING: CanonicalEvent = { type: 'ping' }
type BlockStart = Extract<CanonicalEvent, { type: 'block-start' }>
type TextKind = Exclude<BlockKind, 'tool-call'>

/** A chunk whose only effect is one text delta of `kind`, read from `delta[key]`. */
interface TextSlot { readonly kind: TextKind, readonly key: string, readonly value: string }

function nonEmpty (value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

/**
 * The text slot of a chunk that `push` would turn into nothing but `text(kind, value)` (once the
 * stream has started, before its finish): no error, usage, finish or tool calls, and exactly one
 * of reasoning, content and refusal — read as `delta` reads them.
 */
function textSlot (chunk: JsonObject): TextSlot | undefined {
  if (Boolean(chunk.error) || (chunk.usage !== undefined && chunk.usage !== null)) return undefined
  const choices = chunk.choices
  if (!Array.isArray(choices) || !isObject(choices[0])) return undefined
  const choice = choices[0]
  if (nonEmpty(choice.finish_reason) || !isObject(choice.delta)) return undefined
  const delta = choice.delta
  if (Array.isArray(delta.tool_calls)) return undefined
  const reasoningKey = nonEmpty(delta.reasoning_content) ? 'reasoning_content' : 'reasoning'
  const slots: TextSlot[] = []
  if (nonEmpty(delta[reasoningKey])) slots.push({ kind: 'reasoning', key: reasoningKey, value: delta[reasoningKey] })
  if (nonEmpty(delta.content)) slots.push({ kind: 'text', key: 'content', value: delta.content })
  if (nonEmpty(delta.refusal)) slots.push({ kind: 'refusal', key: 'refusal', value: delta.refusal })
  return slots.length === 1 ? slots[0] : undefined
}

export class ChatStreamDecoder implements StreamDecoder {
  private readonly model: string
  private readonly customTools: ReadonlySet<string>
  private readonly namespaces: NamespaceLookup
  private started = false
  /** Opaque part of the reply id, for synthesised tool-call ids. */
  private replyId = ''
  private nextIndex = 0
  private openIndex = -1
  /** Kind of the open block, or undefined when none is open. */
  private openKind: BlockKind | undefined = undefined
  private readonly calls: StreamToolCall[] = []
  private live: StreamToolCall | undefined = undefined
  /** Set once the upstream interleaves calls: new calls queue until finish. */
  private interleaved = false
  private finish: Finish | undefined = undefined
  private usage: Usage | undefined = undefined
  /** After message-end, error, or a finish-less `[DONE]`: nothing more is emitted. */
  private done = false
  /** The last plain text delta's chunk, and the kind of text its slot carries. */
  private readonly template = new DeltaTemplate()
  private templateKind: TextKind = 'text'

  constructor (request: CanonicalRequest) {
    this.model = request.model
    this.customTools = customToolNames(request)
    this.namespaces = namespacedTools(request)
  }

  push (frame: SseFrame, out: EventSink): void {
    if (this.done) return
    if (frame.comment !== undefined) return out(PING)
    const data = frame.data
    if (data === '[DONE]') return this.close(out)
    if (data === '') return
    const plain = frame.event === undefined && this.started && this.finish === undefined
    if (plain) {
      const text = this.template.match(data)
      if (text !== undefined) return this.text(this.templateKind, text, out)
    }
    const chunk = parseUpstreamObject(data, 'a stream chunk')
    if (frame.event === 'error' || Boolean(chunk.error)) return this.fail(parseStreamError(chunk), out)
    if (!this.started) this.start(chunk, out)
    const choices = chunk.choices
    if (Array.isArray(choices) && isObject(choices[0]) && this.finish === undefined) this.choice(choices[0], out)
    if (chunk.usage !== undefined && chunk.usage !== null) this.takeUsage(chunk.usage, out)
    if (plain && this.template.learning) this.learn(data, chunk)
  }

  /** A plain text delta's chunk becomes the template for the next ones. */
  private learn (data: string, chunk: JsonObject): void {
    const slot = textSlot(chunk)
    if (slot === undefined) return
    this.templateKind = slot.kind
    this.template.learn(data, slot.key, candidate => {
      const probed = textSlot(parseUpstreamObject(candidate, 'a probe'))
      return probed?.kind === slot.kind && probed.key === slot.key ? probed.value : undefined
    })
  }

  end (out: EventSink): void {
    if (!this.done) this.close(out)
  }

  private start (chunk: JsonObject, out: EventSink): void {
    this.started = true
    const id = typeof chunk.id === 'string' && chunk.id !== '' ? chunk.id : 'chatcmpl-' + randomUUID()
    this.replyId = idBody(id)
    const model = typeof chunk.model === 'string' && chunk.model !== '' ? chunk.model : this.model
    const created = typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000)
    out({ type: 'message-start', id, model, created })
  }

  private choice (choice: JsonObject, out: EventSink): void {
    const delta = choice.delta
    if (isObject(delta)) this.delta(delta, out)
    const reason = choice.finish_reason
    if (typeof reason === 'string' && reason !== '') this.finishWith(canonicalFinish(reason), out)
  }

  /** Reasoning before content before refusal before tool calls, as §7.4 orders them. */
  private delta (delta: JsonObject, out: EventSink): void {
    const reasoning = typeof delta.reasoning_content === 'string' && delta.reasoning_content !== ''
      ? delta.reasoning_content
      : delta.reasoning
    if (typeof reasoning === 'string' && reasoning !== '') this.text('reasoning', reasoning, out)
    if (typeof delta.content === 'string' && delta.content !== '') this.text('text', delta.content, out)
    if (typeof delta.refusal === 'string' && delta.refusal !== '') this.text('refusal', delta.refusal, out)
    const toolCalls = delta.tool_calls
    if (Array.isArray(toolCalls)) {
      for (const item of toolCalls) if (isObject(item)) this.toolFragment(item, out)
    }
  }

  private text (kind: TextKind, delta: string, out: EventSink): void {
    if (this.openKind !== kind) {
      this.closeOpen(out)
      this.openIndex = this.nextIndex++
      this.openKind = kind
      out({ type: 'block-start', index: this.openIndex, kind })
    }
    out(kind === 'reasoning'
      ? { type: 'reasoning-delta', index: this.openIndex, delta }
      : { type: 'text-delta', index: this.openIndex, delta })
  }

  /** Ends the open block; a live call whose block never started (no name yet) is queued instead. */
  private closeOpen (out: EventSink): void {
    const live = this.live
    if (live !== undefined) {
      this.live = undefined
      if (live.block < 0) live.state = 'queued'
      else this.endCall(live, out)
    } else if (this.openKind !== undefined) {
      out({ type: 'block-end', index: this.openIndex })
    }
    this.openKind = undefined
    this.openIndex = -1
  }

  private toolFragment (item: JsonObject, out: EventSink): void {
    const id = fragmentId(item)
    const key = fragmentKey(item)
    let call = findCall(this.calls, id, key)
    if (call === undefined) {
      call = new StreamToolCall(this.calls.length, key)
      this.calls.push(call)
      this.admit(call, out)
    }
    if (call.id === undefined && id !== undefined) call.id = id
    const fn = item.function
    let fragment = ''
    if (isObject(fn)) {
      if (call.name === undefined && typeof fn.name === 'string' && fn.name !== '') call.name = fn.name
      if (typeof fn.arguments === 'string') fragment = fn.arguments
    }
    if (call.state === 'done') {
      if (fragment.trim() !== '') throw new UpstreamInvalidData('tool call arguments arrived after the call ended')
      return
    }
    call.args += fragment
    if (call.state !== 'live') return
    if (call.block >= 0) {
      if (fragment !== '' && !call.custom) out({ type: 'tool-input-delta', index: call.block, delta: fragment })
    } else if (call.name !== undefined) {
      this.startCall(call, out)
    }
  }

  /** A new call: live if nothing is streaming or the live call is complete, else buffered (§7.2). */
  private admit (call: StreamToolCall, out: EventSink): void {
    if (this.interleaved) return
    const live = this.live
    if (live !== undefined && (live.block < 0 || !isCompleteJson(live.args))) {
      this.interleaved = true
      return
    }
    this.closeOpen(out)
    call.state = 'live'
    this.live = call
  }

  /** Block-start with id and name, then whatever arguments were buffered, as one delta. */
  private startCall (call: StreamToolCall, out: EventSink): void {
    const name = call.name
    if (name === undefined) throw new UpstreamInvalidData('a tool call never received a name')
    call.block = this.nextIndex++
    const split = this.namespaces.get(name)
    call.custom = split === undefined ? this.customTools.has(name) : split.kind === 'custom'
    this.openIndex = call.block
    this.openKind = 'tool-call'
    const toolCallId = call.id ?? 'call_' + this.replyId + '_' + call.ordinal
    const start: Mutable<BlockStart> = { type: 'block-start', index: call.block, kind: 'tool-call', toolCallId, toolName: name }
    if (call.custom) start.toolKind = 'custom'
    if (split !== undefined) {
      start.toolName = split.name
      start.toolNamespace = split.namespace
    }
    out(start)
    if (call.args !== '' && !call.custom) out({ type: 'tool-input-delta', index: call.block, delta: call.args })
  }

  /** Custom calls are unwrapped from `{"input":…}` only now, when their arguments are whole. */
  private endCall (call: StreamToolCall, out: EventSink): void {
    if (call.custom && call.args !== '') out({ type: 'tool-input-delta', index: call.block, delta: unwrapCustomInput(call.args) })
    out({ type: 'block-end', index: call.block })
    call.state = 'done'
  }

  private finishWith (finish: Finish, out: EventSink): void {
    this.closeOpen(out)
    for (const call of this.calls) {
      if (call.state !== 'queued') continue
      this.startCall(call, out)
      this.endCall(call, out)
    }
    this.openKind = undefined
    this.openIndex = -1
    this.finish = finish
  }

  /** The usage chunk after finish (or usage riding on the finish chunk) releases message-end. */
  private takeUsage (value: unknown, out: EventSink): void {
    const usage = canonicalUsage(value)
    if (usage !== undefined) this.usage = usage
    if (this.finish !== undefined) this.close(out)
  }

  /** `[DONE]` or end(): message-end if a finish was seen, else nothing (truncation). */
  private close (out: EventSink): void {
    this.done = true
    if (this.finish === undefined) return
    if (this.usage !== undefined) out({ type: 'usage', usage: this.usage })
    out({ type: 'message-end', finish: this.finish })
  }

  private fail (error: CanonicalError, out: EventSink): void {
    this.done = true
    out({ type: 'error', error })
  }
}
