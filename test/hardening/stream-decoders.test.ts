// Issue 10, found by fuzz-sse.test.ts (each case is fast-check's shrunk counterexample), fixed in
// the Anthropic and Gemini stream decoders and src/sse/decoder.ts:
// upstream frame sequences on which a backend stream decoder emits events that break the
// canonical invariants (src/canonical/events.ts) instead of throwing SWY_ERR_UPSTREAM_INVALID_DATA.
// The client encoders trust those invariants: an Anthropic client then gets a stream with a
// block never stopped, or two blocks open at once. fuzz-sse.test.ts tolerates exactly these
// (its KnownBug list); drop an entry there when its case passes here.
//
// src/dialects/anthropic/stream-decoder.ts trusts the upstream's block framing:
// - open() (l. 96) opens a block while another is open (a second content_block_start);
// - messageEnd() (l. 211) emits message-end with a block still open (no content_block_stop), also
//   also from end() (l. 83) after a message_delta (l. 200) that had no message_start;
// - blockDelta() (l. 150) passes text_delta / input_json_delta / signature_delta to a block of
//   another type, and every signature_delta (a second signature on one block);
// - toolStart() (l. 133) accepts `id: ""`.
// Proposed fix: track the open block's kind; throw fail(...) for a block start while one is open,
// a delta of the wrong type, a second signature, an empty tool id or name, and a message_delta
// before message_start; at message_stop with a block open, close it (flushing custom JSON) before
// message-end, or fail.
// src/dialects/gemini/stream-decoder.ts pushChunk() (l. 90–92): a chunk with
// promptFeedback.blockReason after parts sets the finish without `this.parts.close(out)`, so
// end() emits message-end with the block open. Fix: close the parts first, as candidate() does.
// src/sse/decoder.ts (latent: today's callers stop at the first error): after SseEventTooLarge,
// feed() and end() throw eventsource-parser's plain Error ("Cannot feed parser: it was
// terminated…"), not the documented error. Fix: rethrow the kept #failure at the top of both.
import t, { type Test } from 'tap'
import type { BlockKind, CanonicalEvent } from '../../src/canonical/events.js'
import type { CanonicalRequest } from '../../src/canonical/request.js'
import { backendSide } from '../../src/dialects/registry.js'
import { SseDecoder, SseEventTooLarge } from '../../src/sse/decoder.js'
import type { SseFrame } from '../../src/sse/frame.js'

const REQUEST: CanonicalRequest = { model: 'm', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: true }

const DELTA_KINDS: Readonly<Record<string, readonly BlockKind[]>> = {
  'text-delta': ['text', 'refusal'], 'reasoning-delta': ['reasoning'], 'tool-input-delta': ['tool-call'],
}

/** The first broken rule of src/canonical/events.ts, or undefined (same rules as fuzz-sse.test.ts, nothing tolerated). */
function violation (events: readonly CanonicalEvent[]): string | undefined {
  let started = false
  let finished = false
  let next = 0
  let open: { index: number, kind: BlockKind, signed: boolean } | undefined
  for (const [i, e] of events.entries()) {
    const at = `#${i} ${e.type}`
    if (e.type === 'ping') continue
    if (finished) return `${at} after the terminal event`
    if (e.type === 'error') { finished = true; continue }
    if (e.type === 'message-start') { if (started) return `${at}: second message-start`; started = true; continue }
    if (!started) return `${at} before message-start`
    switch (e.type) {
      case 'block-start':
        if (open !== undefined) return `${at} while block ${open.index} is open`
        if (e.index !== next++) return `${at}: index ${e.index}`
        if (e.kind === 'tool-call' && (e.toolCallId === undefined || e.toolCallId === '' || e.toolName === undefined || e.toolName === '')) return `${at}: tool call without id/name`
        open = { index: e.index, kind: e.kind, signed: false }
        break
      case 'text-delta': case 'reasoning-delta': case 'tool-input-delta':
        if (open?.index !== e.index) return `${at} targets block ${e.index}, not the open one`
        if (!(DELTA_KINDS[e.type] ?? []).includes(open.kind)) return `${at} on a ${open.kind} block`
        break
      case 'signature':
        if (open?.index !== e.index) return `${at} targets block ${e.index}, not the open one`
        if (open.kind !== 'reasoning' && open.kind !== 'tool-call') return `${at} on a ${open.kind} block`
        if (open.signed) return `${at}: second signature`
        open.signed = true
        break
      case 'block-end':
        if (open?.index !== e.index) return `${at} ends block ${e.index}, which is not open`
        open = undefined
        break
      case 'message-end':
        if (open !== undefined) return `${at} with block ${open.index} still open`
        finished = true
    }
  }
  return undefined
}

/** Decode as the pipeline does (stop at the first throw); only SWY_ERR_UPSTREAM_INVALID_DATA may be thrown. */
function check (t: Test, protocol: 'anthropic' | 'gemini', frames: readonly SseFrame[], what: string): void {
  const decoder = backendSide(protocol)?.createStreamDecoder(REQUEST)
  if (decoder === undefined) throw new Error('no decoder')
  const events: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent): void => { events.push(e) }
  try {
    for (const f of frames) decoder.push(f, sink)
    decoder.end(sink)
  } catch (err) {
    t.equal((err as { code?: unknown }).code, 'SWY_ERR_UPSTREAM_INVALID_DATA', `${what}: only the upstream-invalid-data error is thrown`)
  }
  t.equal(violation(events), undefined, `${what}: the events obey the canonical invariants: ${JSON.stringify(events.map(e => e.type))}`)
}

const anth = (data: Record<string, unknown> & { type: string }): SseFrame => ({ event: data.type, data: JSON.stringify(data) })
const START = anth({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } })
const blockStart = (index: number, block: Record<string, unknown>): SseFrame => anth({ type: 'content_block_start', index, content_block: block })
const delta = (index: number, d: Record<string, unknown>): SseFrame => anth({ type: 'content_block_delta', index, delta: d })
const stop = (index: number): SseFrame => anth({ type: 'content_block_stop', index })
const END = [anth({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } }), anth({ type: 'message_stop' })]
const TEXT = { type: 'text', text: '' }
const THINKING = { type: 'thinking', thinking: '', signature: '' }

t.test('Anthropic stream decoder on malformed block framing', async t => {
  check(t, 'anthropic', [START, blockStart(0, TEXT), delta(0, { type: 'text_delta', text: 'Hi' }), ...END], 'message_stop without content_block_stop')
  check(t, 'anthropic', [START, blockStart(0, TEXT), blockStart(1, TEXT), stop(1), stop(0), ...END], 'a second content_block_start before the first stop')
  check(t, 'anthropic', [START, blockStart(0, TEXT), blockStart(0, TEXT), stop(0), ...END], 'content_block_start repeated for index 0')
  check(t, 'anthropic', [START, blockStart(0, THINKING), delta(0, { type: 'signature_delta', signature: 'a' }), delta(0, { type: 'signature_delta', signature: 'b' }), stop(0), ...END], 'two signature_delta on one thinking block')
  check(t, 'anthropic', [START, blockStart(0, THINKING), delta(0, { type: 'text_delta', text: 'x' }), stop(0), ...END], 'text_delta on a thinking block')
  check(t, 'anthropic', [START, blockStart(0, THINKING), delta(0, { type: 'input_json_delta', partial_json: '{' }), stop(0), ...END], 'input_json_delta on a thinking block')
  check(t, 'anthropic', [START, blockStart(0, TEXT), delta(0, { type: 'signature_delta', signature: 's' }), stop(0), ...END], 'signature_delta on a text block')
  check(t, 'anthropic', [START, blockStart(0, { type: 'tool_use', id: '', name: 'get_weather', input: {} }), stop(0), ...END], 'tool_use with an empty id')
  check(t, 'anthropic', [anth({ type: 'ping' }), END[0] as SseFrame], 'message_delta with no message_start, then the stream ends')
})

const gem = (body: Record<string, unknown>): SseFrame => ({ data: JSON.stringify(body) })

t.test('Gemini stream decoder: a blocked prompt after parts', async t => {
  check(t, 'gemini', [
    gem({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] }, index: 0 }], responseId: 'gem-1' }),
    gem({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 3 } }),
  ], 'text, then promptFeedback.blockReason')
  check(t, 'gemini', [
    gem({ candidates: [{ content: { role: 'model', parts: [{ text: 'plan', thought: true, thoughtSignature: 'c2ln' }] }, index: 0 }], responseId: 'gem-1' }),
    gem({ promptFeedback: { blockReason: 'SAFETY' } }),
  ], 'a thought, then promptFeedback.blockReason')
})

t.test('SseDecoder: after an event over the limit, feed() and end() keep throwing SseEventTooLarge', async t => {
  const d = new SseDecoder(16)
  t.throws(() => d.feed(Buffer.from('data: ' + 'x'.repeat(100))), SseEventTooLarge, 'the first overflow')
  t.throws(() => d.feed(Buffer.from('data: y\n\n')), SseEventTooLarge, 'a later chunk')
  t.throws(() => d.end(), SseEventTooLarge, 'the end')
})
