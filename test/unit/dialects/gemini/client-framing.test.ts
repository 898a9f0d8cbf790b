// Stream framing for Gemini clients (PROTOCOLS.md §4.1, §4.3): `alt=sse` → SSE data frames;
// without it one JSON array that parses whole, after errors and truncation too.
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import { streamFraming } from '../../../../src/dialects/gemini/client-framing.js'
import { GeminiStreamEncoder } from '../../../../src/dialects/gemini/stream-encoder.js'
import type { FrameSink, StreamFraming } from '../../../../src/dialects/types.js'
import { encodeSseText } from '../../../../src/sse/encoder.js'
import type { SseFrame } from '../../../../src/sse/frame.js'
import { encodeAll, ERROR, REQUEST, TEXT, TOOL, TRUNCATED, TWO_TOOLS } from '../scenarios.js'

const body = (events: readonly CanonicalEvent[], framing: StreamFraming = 'json-array') =>
  encodeAll(new GeminiStreamEncoder(REQUEST, framing), events).map(encodeSseText).join('')

t.test('streamFraming reads alt=sse from the query', async t => {
  t.equal(streamFraming('alt=sse'), 'sse')
  t.equal(streamFraming('key=abc&alt=sse'), 'sse')
  t.equal(streamFraming(''), 'json-array')
  t.equal(streamFraming('alt=json'), 'json-array')
  t.equal(streamFraming('salt=sse'), 'json-array')
})

t.test('json-array: text stream is one array of chunks, CRLF-separated as Google writes it', async t => {
  const text = body(TEXT)
  t.match(text, /^\[\{"candidates".*\},\r\n\{"candidates".*\},\r\n\{"candidates".*\}\]$/s)
  const chunks = JSON.parse(text) as Array<{ candidates: Array<{ content: { role: string, parts: object[] }, finishReason?: string }> }>
  t.strictSame(chunks.map(c => c.candidates[0]?.content.parts), [[{ text: 'Hel' }], [{ text: 'lo' }], [{ text: '' }]])
  t.equal(chunks.at(-1)?.candidates[0]?.finishReason, 'STOP')
  t.ok(chunks.every(c => c.candidates[0]?.content.role === 'model'))
})

t.test('json-array: tool calls, error and truncation all parse', async t => {
  const tool = JSON.parse(body(TOOL)) as Array<{ candidates: Array<{ content: { parts: object[] } }> }>
  t.strictSame(tool[1]?.candidates[0]?.content.parts, [{ functionCall: { id: 'call_a', name: 'get_weather', args: { city: 'Paris' } } }])
  t.equal((JSON.parse(body(TWO_TOOLS)) as unknown[]).length, 3)
  const error = JSON.parse(body(ERROR)) as unknown[]
  t.strictSame(error.at(-1), { error: { code: 503, message: 'Overloaded', status: 'UNAVAILABLE' } })
  const truncated = JSON.parse(body(TRUNCATED)) as unknown[]
  t.match(truncated.at(-1), { error: { code: 502, status: 'INTERNAL' } })
  t.strictSame(JSON.parse(body([{ type: 'error', error: { kind: 'server_error', status: 500, message: 'x' } }])),
    [{ error: { code: 500, message: 'x', status: 'INTERNAL' } }], 'an error before any chunk is still an array')
})

t.test('json-array: open() starts the array early; keep-alives are whitespace; one ] only', async t => {
  const frames: SseFrame[] = []
  const out: FrameSink = f => { frames.push(f) }
  const encoder = new GeminiStreamEncoder(REQUEST, 'json-array')
  encoder.open(out)
  encoder.push({ type: 'ping' }, out)
  for (const e of TEXT.slice(0, 3)) encoder.push(e, out)
  encoder.push({ type: 'ping' }, out)
  for (const e of TEXT.slice(3)) encoder.push(e, out)
  encoder.end(out)
  encoder.push({ type: 'ping' }, out)
  t.ok(frames.every(f => f.raw === true), 'every frame is raw')
  const text = frames.map(encodeSseText).join('')
  t.match(text, /^\[\n\{/)
  t.equal((JSON.parse(text) as unknown[]).length, 3)
})

t.test('sse framing: data-only frames, keep-alive comment, open() writes nothing', async t => {
  const frames: SseFrame[] = []
  const out: FrameSink = f => { frames.push(f) }
  const encoder = new GeminiStreamEncoder(REQUEST, 'sse')
  encoder.open(out)
  encoder.push({ type: 'ping' }, out)
  t.strictSame(frames, [{ data: '', comment: 'keepalive' }])
  const text = body(TEXT, 'sse')
  t.match(text, /^data: \{"candidates"/)
  t.notMatch(text, /\[DONE\]|event:/)
  t.equal(text.split('\n\n').filter(s => s !== '').length, 3)
})
