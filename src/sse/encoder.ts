// Frame encoding (PROTOCOLS.md §0 byte rules): `\n` line ends, a blank line after every event,
// one Buffer per event so each is written in a single `write()`.
import type { SseFrame } from './frame.js'

const DATA = 'data: '
const END = '\n\n'

/** Multi-line data becomes several `data:` lines, as the SSE spec reassembles them; JSON has one line. */
function dataLines (frame: SseFrame): string {
  const data = frame.data
  return frame.json !== true && data.includes('\n') ? DATA + data.split('\n').join('\n' + DATA) : DATA + data
}

/** One frame as text; callers batch the frames of one upstream chunk into one write. */
export function encodeSseText (frame: SseFrame): string {
  if (frame.raw === true) return frame.data
  if (frame.comment !== undefined) return ': ' + frame.comment.replace(/[\r\n]/g, ' ') + END
  const event = frame.event
  if (event === undefined) return dataLines(frame) + END
  // An event name with a line break would forge extra fields (Hono's rule).
  if (event.includes('\n') || event.includes('\r')) throw new TypeError('SSE event name contains a line break')
  return 'event: ' + event + '\n' + dataLines(frame) + END
}

export function encodeSseFrame (frame: SseFrame): Buffer {
  return Buffer.from(encodeSseText(frame))
}
