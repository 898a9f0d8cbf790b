// Metrics for a streamed reply (SPEC `switchyard_active_streams`): opened when the reply starts,
// closed exactly once when the client's response closes — completed, failed upstream or
// abandoned by the client alike. The raw response's `close` fires once for every response,
// so it is the one place that cannot double count or miss.
import type { ServerResponse } from 'node:http'
import type { Recorder } from '../metrics/recorder.js'

/** `ended` runs once, after `streamClosed`, for the accounting that needs the stream's end. */
export function accountStream (res: ServerResponse, recorder: Recorder, backend: string, ended?: () => void): void {
  const close = (): void => {
    recorder.streamClosed(backend)
    if (ended !== undefined) ended()
  }
  recorder.streamOpened(backend)
  // The client may have gone between the upstream's answer and now: its `close` is past.
  if (res.closed) queueMicrotask(close)
  else res.once('close', close)
}
