// Canonical inputs shared by every client dialect's tests: the event sequences of PROTOCOLS.md
// §1.4/§2.5/§3.4/§4.4 (a) text, (b) text + one tool call, (c) two calls, (d) reasoning + text,
// (e) error mid-stream, plus the matching non-streaming responses.
import type { CanonicalEvent } from '../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../src/canonical/request.js'
import type { CanonicalResponse } from '../../../src/canonical/response.js'
import type { FrameSink, StreamEncoder } from '../../../src/dialects/types.js'
import type { SseFrame } from '../../../src/sse/frame.js'

export const CREATED = 1700000000
export const START: CanonicalEvent = { type: 'message-start', id: 'mock-abc', model: 'm1', created: CREATED, usage: { input: 10, output: 0 } }

export const REQUEST: CanonicalRequest = { model: 'm1', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: true }

export const TEXT: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'text' },
  { type: 'text-delta', index: 0, delta: 'Hel' },
  { type: 'text-delta', index: 0, delta: 'lo' },
  { type: 'block-end', index: 0 },
  { type: 'usage', usage: { input: 10, output: 2 } },
  { type: 'message-end', finish: { reason: 'stop' } },
]

export const TOOL: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'text' },
  { type: 'text-delta', index: 0, delta: 'Checking.' },
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather' },
  { type: 'tool-input-delta', index: 1, delta: '{"ci' },
  { type: 'tool-input-delta', index: 1, delta: 'ty":"Paris"}' },
  { type: 'block-end', index: 1 },
  { type: 'usage', usage: { input: 10, output: 7, cacheRead: 4 } },
  // Gemini-style backends say "stop" with calls: the tool reason must win (§6.7).
  { type: 'message-end', finish: { reason: 'stop' } },
]

export const TWO_TOOLS: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather' },
  { type: 'tool-input-delta', index: 0, delta: '{"city":"Paris"}' },
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_b', toolName: 'get_time' },
  { type: 'tool-input-delta', index: 1, delta: '' },
  { type: 'block-end', index: 1 },
  { type: 'usage', usage: { input: 10, output: 9 } },
  { type: 'message-end', finish: { reason: 'tool-calls' } },
]

export const REASONING: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'reasoning' },
  { type: 'reasoning-delta', index: 0, delta: 'Think' },
  { type: 'reasoning-delta', index: 0, delta: 'ing' },
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'text' },
  { type: 'text-delta', index: 1, delta: 'Answer' },
  { type: 'block-end', index: 1 },
  { type: 'usage', usage: { input: 10, output: 6, reasoning: 3 } },
  { type: 'message-end', finish: { reason: 'length' } },
]

export const ERROR: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'text' },
  { type: 'text-delta', index: 0, delta: 'Hel' },
  { type: 'error', error: { kind: 'overloaded', status: 503, message: 'Overloaded' } },
]

/** Ends without message-end or error: the stream broke off. */
export const TRUNCATED: readonly CanonicalEvent[] = TEXT.slice(0, 3)

export const TEXT_RESPONSE: CanonicalResponse = {
  id: 'mock-abc',
  model: 'm1',
  created: CREATED,
  content: [{ type: 'text', text: 'Hello' }],
  finish: { reason: 'stop' },
  usage: { input: 10, output: 2 },
}

export const TOOL_RESPONSE: CanonicalResponse = {
  id: 'mock-abc',
  model: 'm1',
  created: CREATED,
  content: [
    { type: 'reasoning', text: 'Think', signature: { family: 'anthropic', value: 'sig' } },
    { type: 'text', text: 'Checking.' },
    { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
  ],
  finish: { reason: 'stop' },
  usage: { input: 10, output: 7, cacheRead: 4, reasoning: 2 },
}

/** Push every event then `end()`, collecting the frames. */
export function encodeAll (encoder: StreamEncoder, events: readonly CanonicalEvent[]): SseFrame[] {
  const frames: SseFrame[] = []
  const sink: FrameSink = f => { frames.push(f) }
  for (const e of events) encoder.push(e, sink)
  encoder.end(sink)
  return frames
}

/** Frames with their data parsed, for exact structural comparison. */
export function parsed (frames: readonly SseFrame[]): Array<{ event?: string, data: unknown }> {
  return frames.map(f => {
    const data: unknown = f.data === '[DONE]' ? '[DONE]' : JSON.parse(f.data)
    return f.event === undefined ? { data } : { event: f.event, data }
  })
}

/** The value a promise rejects with (fails the test by throwing if it resolves). */
export async function rejection (promise: Promise<unknown>): Promise<unknown> {
  return promise.then(value => { throw new Error('expected a rejection, got ' + JSON.stringify(value)) }, (err: unknown) => err)
}
