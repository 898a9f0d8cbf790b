// Coze chat v3 stream → canonical events (src/canonical/events.ts invariants). Event names and
// data shapes: @coze/api 1.3.9 `ChatEventType`, `CreateChatData` (chat events), `ChatV3Message`
// (message events), `{code,msg}` (error); framing and order from the docs' chat_v3 example:
// chat.created, chat.in_progress, message.delta…, message.completed (answer, then verbose /
// follow_up), chat.completed (with usage), done (`data:"[DONE]"`). Decisions:
// - only `type: answer` messages are the reply: `reasoning_content` deltas → a reasoning block,
//   `content` deltas → a text block; function_call, tool_output, tool_response, follow_up and
//   verbose messages are the bot's internals or UI extras and are ignored;
// - `message.completed` repeats a streamed answer whole and is ignored, unless that answer was
//   never streamed (it is then emitted as its blocks, so nothing the bot said is lost);
// - `chat.completed` ends the message: usage, then `message-end` stop — later events (`done`,
//   follow-ups) add nothing;
// - `chat.failed` (its `last_error`) and the `error` event become the canonical error;
// - `chat.requires_action` means the bot wants the CALLER to run a local plugin and submit its
//   output to the chat (`submit_tool_outputs`). A Switchyard client cannot: it does not know the
//   bot's tools and the conversion is stateless. It is an error naming the tools, not a silent
//   stop, so the operator can switch the bot to cloud plugins;
// - `done` without `chat.completed` emits nothing more: the client encoder renders truncation.
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { SseFrame } from '../../sse/frame.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { parseUpstreamObject } from '../shared/upstream-json.js'
import type { EventSink, StreamDecoder } from '../types.js'
import { cozeCodeError, cozeJsonError } from './errors.js'
import { StreamBlocks } from './stream-blocks.js'
import { cozeUsage } from './usage.js'
import { CHAT_EVENT } from './wire.js'

const PING: CanonicalEvent = { type: 'ping' }

function text (value: unknown): string {
  return typeof value === 'string' ? value : ''
}

export class CozeChatStreamDecoder implements StreamDecoder {
  private readonly model: string
  private readonly blocks = new StreamBlocks()
  /** Ids of answer messages that arrived as deltas. */
  private readonly streamed = new Set<string>()
  private started = false
  private done = false

  constructor (request: CanonicalRequest) {
    this.model = request.model
  }

  push (frame: SseFrame, out: EventSink): void {
    if (this.done) return
    if (frame.comment !== undefined) return out(PING)
    // Coze writes `data:"[DONE]"` (a JSON string); a bare `[DONE]` is accepted too.
    if (frame.event === CHAT_EVENT.done || frame.data === '[DONE]' || frame.data === '"[DONE]"') { this.done = true; return }
    if (frame.data === '') return
    const data = parseUpstreamObject(frame.data, 'a Coze chat event')
    switch (frame.event) {
      case CHAT_EVENT.created:
      case CHAT_EVENT.inProgress:
        return this.start(data, out)
      case CHAT_EVENT.messageDelta:
        return this.answer(data, true, out)
      case CHAT_EVENT.messageCompleted:
        return this.answer(data, false, out)
      case CHAT_EVENT.completed:
        return this.complete(data, out)
      case CHAT_EVENT.failed:
        return this.fail(failedChatError(data), out)
      case CHAT_EVENT.requiresAction:
        return this.fail(requiresActionError(data), out)
      case CHAT_EVENT.error:
        return this.fail(cozeJsonError(data) ?? cozeCodeError(5000, data.msg), out)
      case undefined: {
        // An unnamed frame is not Coze's framing; it counts only when it is a failure envelope.
        const error = cozeJsonError(data)
        if (error !== undefined) this.fail(error, out)
      }
    }
  }

  end (): void {
    this.done = true
  }

  /** message-start once, from the first event: the chat id names the reply. */
  private start (data: JsonObject, out: EventSink): void {
    if (this.started) return
    this.started = true
    const chatId = text(data.chat_id) !== '' ? text(data.chat_id) : text(data.id)
    const created = typeof data.created_at === 'number' ? data.created_at : Math.floor(Date.now() / 1000)
    out({ type: 'message-start', id: chatId !== '' ? chatId : 'coze-chat', model: this.model, created })
  }

  private answer (data: JsonObject, delta: boolean, out: EventSink): void {
    if (data.type !== 'answer' || data.role === 'user') return
    const id = text(data.id)
    if (delta) this.streamed.add(id)
    else if (this.streamed.has(id)) return
    this.start(data, out)
    this.blocks.write('reasoning', text(data.reasoning_content), id, out)
    this.blocks.write('text', text(data.content), id, out)
  }

  private complete (data: JsonObject, out: EventSink): void {
    this.start(data, out)
    this.blocks.close(out)
    const usage = cozeUsage(data.usage)
    if (usage !== undefined) out({ type: 'usage', usage })
    out({ type: 'message-end', finish: { reason: 'stop', raw: 'completed' } })
    this.done = true
  }

  private fail (error: CanonicalError, out: EventSink): void {
    this.done = true
    out({ type: 'error', error })
  }
}

function failedChatError (data: JsonObject): CanonicalError {
  const last = data.last_error
  if (isObject(last) && typeof last.code === 'number' && last.code !== 0) return cozeCodeError(last.code, last.msg)
  return { kind: 'server_error', status: 502, message: 'the Coze chat failed without an error code' }
}

function requiresActionError (data: JsonObject): CanonicalError {
  const names: string[] = []
  const action = data.required_action
  const submit = isObject(action) ? action.submit_tool_outputs : undefined
  const calls = isObject(submit) && Array.isArray(submit.tool_calls) ? submit.tool_calls : []
  for (const call of calls) {
    const name = isObject(call) && isObject(call.function) ? text(call.function.name) : ''
    if (name !== '') names.push(name)
  }
  const which = names.length === 0 ? 'a local plugin' : 'its local plugin(s) ' + names.join(', ')
  return {
    kind: 'invalid_request',
    status: 400,
    message: `the Coze bot asked the caller to run ${which} (conversation.chat.requires_action); ` +
      'Switchyard cannot run a bot\'s local plugins: give the bot cloud plugins instead',
  }
}
