// Coze workflow stream (`POST /v1/workflow/stream_run`) → canonical events. Events and data
// from @coze/api 1.3.9 `WorkflowEventType`, `WorkflowEventMessage`, `WorkflowEventError`,
// `WorkflowEventInterrupt` and the docs page workflow_stream_run (which adds `PING` and a
// `usage` on Message data; its frames are `id: N\nevent: Message\ndata: {…}`). Decisions:
// - every `Message` event's `content` is the reply's text, in order, in one text block. A
//   workflow whose Output node streams AND whose End node returns the same variables emits both
//   (Coze sends them as two Messages); an End node in "return text" mode avoids the repeat;
// - the latest `usage` seen is the reply's usage;
// - `Done` ends the message with finish stop; `Error` (`error_code`, `error_message`) is the
//   canonical error; `PING` is a keep-alive;
// - `Interrupt` (a Question or Input node waiting for the user, resumable only through
//   `stream_resume` with its event id) is an error explaining that such workflows are not
//   supported: the conversion is one request, one reply.
import { randomUUID } from 'node:crypto'
import type { CanonicalError } from '../../canonical/error.js'
import type { CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Usage } from '../../canonical/usage.js'
import type { SseFrame } from '../../sse/frame.js'
import type { JsonObject } from '../shared/json.js'
import { parseUpstreamObject } from '../shared/upstream-json.js'
import type { EventSink, StreamDecoder } from '../types.js'
import { cozeCodeError, cozeJsonError } from './errors.js'
import { StreamBlocks } from './stream-blocks.js'
import { cozeUsage } from './usage.js'
import { WORKFLOW_EVENT } from './wire.js'

const PING: CanonicalEvent = { type: 'ping' }
const EMPTY: JsonObject = {}
/** All Message content goes into one block. */
const OUTPUT = 'output'

export class CozeWorkflowStreamDecoder implements StreamDecoder {
  private readonly model: string
  private readonly blocks = new StreamBlocks()
  private usage: Usage | undefined = undefined
  private started = false
  private done = false

  constructor (request: CanonicalRequest) {
    this.model = request.model
  }

  push (frame: SseFrame, out: EventSink): void {
    if (this.done) return
    if (frame.comment !== undefined || frame.event === WORKFLOW_EVENT.ping) return out(PING)
    // Done carries `{}` or a debug_url; older servers send no data at all.
    const data = frame.data === '' ? EMPTY : parseUpstreamObject(frame.data, 'a Coze workflow event')
    switch (frame.event) {
      case WORKFLOW_EVENT.message:
        return this.message(data, out)
      case WORKFLOW_EVENT.done:
        return this.finish(out)
      case WORKFLOW_EVENT.error:
        return this.fail(workflowError(data), out)
      case WORKFLOW_EVENT.interrupt:
        return this.fail(interruptError(data), out)
      case undefined: {
        const error = cozeJsonError(data)
        if (error !== undefined) this.fail(error, out)
      }
    }
  }

  end (): void {
    this.done = true
  }

  private start (out: EventSink): void {
    if (this.started) return
    this.started = true
    out({ type: 'message-start', id: 'coze-wf-' + randomUUID(), model: this.model, created: Math.floor(Date.now() / 1000) })
  }

  private message (data: JsonObject, out: EventSink): void {
    this.start(out)
    if (typeof data.content === 'string') this.blocks.write('text', data.content, OUTPUT, out)
    const usage = cozeUsage(data.usage)
    if (usage !== undefined) this.usage = usage
  }

  private finish (out: EventSink): void {
    this.start(out)
    this.blocks.close(out)
    if (this.usage !== undefined) out({ type: 'usage', usage: this.usage })
    out({ type: 'message-end', finish: { reason: 'stop', raw: 'Done' } })
    this.done = true
  }

  private fail (error: CanonicalError, out: EventSink): void {
    this.done = true
    out({ type: 'error', error })
  }
}

function workflowError (data: JsonObject): CanonicalError {
  const code = typeof data.error_code === 'number' ? data.error_code : 5000
  return cozeCodeError(code, data.error_message)
}

function interruptError (data: JsonObject): CanonicalError {
  const node = typeof data.node_title === 'string' && data.node_title !== '' ? ` at node "${data.node_title}"` : ''
  return {
    kind: 'invalid_request',
    status: 400,
    message: `the Coze workflow stopped${node} to wait for input (Interrupt); workflows that ask the user for input are not supported`,
  }
}
