/** Response headers for every SSE stream we produce (PROTOCOLS.md §0). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Tell nginx-style ingresses not to buffer the stream.
  'x-accel-buffering': 'no',
} as const

/** Gemini's stream without `alt=sse`: one JSON array, written element by element. */
export const JSON_STREAM_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const
