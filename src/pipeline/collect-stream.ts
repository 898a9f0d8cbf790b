// An upstream SSE reply read to its end and folded into one canonical response, for a client
// that asked for a whole reply from a backend that streamed anyway. Bounded like any whole
// reply (MAX_UPSTREAM_JSON_BYTES); the dialect's stream decoder does the reading, so every
// backend protocol gets this for free.
import type { Readable } from 'node:stream'
import { ResponseAccumulator } from '../canonical/accumulate.js'
import type { CanonicalError } from '../canonical/error.js'
import type { CanonicalResponse } from '../canonical/response.js'
import type { StreamDecoder } from '../dialects/types.js'
import { UpstreamProtocol } from '../errors/codes.js'
import { SseDecoder } from '../sse/decoder.js'
import { MAX_UPSTREAM_JSON_BYTES } from '../upstream/read-body.js'

export type Collected =
  | { readonly ok: true, readonly response: CanonicalResponse }
  | { readonly ok: false, readonly error: CanonicalError }

export async function collectStream (body: Readable, decoder: StreamDecoder, backend: string): Promise<Collected> {
  const sse = new SseDecoder()
  const acc = new ResponseAccumulator()
  const sink = acc.push.bind(acc)
  let size = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_UPSTREAM_JSON_BYTES) throw new UpstreamProtocol(backend, `reply larger than ${MAX_UPSTREAM_JSON_BYTES} bytes`)
      for (const frame of sse.feed(chunk)) decoder.push(frame, sink)
      if (acc.error !== undefined) break
    }
    if (acc.error === undefined) {
      for (const frame of sse.end()) decoder.push(frame, sink)
      decoder.end(sink)
    }
  } finally {
    if (!body.readableEnded) body.destroy()
  }
  if (acc.error !== undefined) return { ok: false, error: acc.error }
  const response = acc.result()
  if (response === undefined) throw new UpstreamProtocol(backend, 'the stream ended before the reply was complete')
  return { ok: true, response }
}
