// A request's abort signal: fired when the client goes away before its reply is complete, or at
// the whole-request deadline (plugins/context.ts). An EventEmitter with `aborted` and `reason`
// rather than an AbortController: the controller and its EventTarget cost ~4 µs of CPU on every
// request (issue 8's profile; 0.1 µs for this), and undici takes either kind of signal (it listens
// with `addListener('abort')` when there is no `addEventListener`).
import { EventEmitter } from 'node:events'

export class RequestSignal extends EventEmitter {
  aborted = false
  /** Why it fired: a `TimeoutError` DOMException at the deadline, an `AbortError` otherwise. */
  reason: unknown = undefined

  abort (reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    this.emit('abort')
  }
}
