// The SSE decoder against the byte-level rules of PROTOCOLS.md §0 (§7.17, §7.18): any split of
// the byte stream — inside a UTF-8 character, inside `\r\n`, inside a field name — yields the
// same frames; CR, LF and CRLF line ends; comments dropped; multi-line data joined with `\n`.
import fc from 'fast-check'
import t from 'tap'
import { SseDecoder, SseEventTooLarge } from '../../../src/sse/decoder.js'
import type { SseFrame } from '../../../src/sse/frame.js'

function decodeChunks (chunks: readonly Uint8Array[]): SseFrame[] {
  const d = new SseDecoder()
  const frames: SseFrame[] = []
  for (const c of chunks) frames.push(...d.feed(c))
  frames.push(...d.end())
  return frames
}

function splitAt (bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map(c => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let from = 0
  for (const p of points) { out.push(bytes.subarray(from, p)); from = p }
  out.push(bytes.subarray(from))
  return out
}

const SAMPLE = Buffer.from(
  ': OPENROUTER PROCESSING\r\n\r\n' +
  'event: message_start\r\ndata: {"text":"你好🌍"}\r\n\r\n' +
  'data: line one\ndata: line two\n\n' +
  'event: x\rdata: {"a":"é"}\r\r' +
  'data:no-space\n\n' +
  'data: [DONE]\n\n',
)
const EXPECTED: SseFrame[] = [
  { event: 'message_start', data: '{"text":"你好🌍"}' },
  { data: 'line one\nline two' },
  { event: 'x', data: '{"a":"é"}' },
  { data: 'no-space' },
  { data: '[DONE]' },
]

t.test('CR, LF and CRLF line ends, comments, multi-line data', async t => {
  t.same(decodeChunks([SAMPLE]), EXPECTED)
})

t.test('one byte at a time gives the same frames (sse-line-split-crlf)', async t => {
  const bytes: Uint8Array[] = []
  for (let i = 0; i < SAMPLE.length; i++) bytes.push(SAMPLE.subarray(i, i + 1))
  t.same(decodeChunks(bytes), EXPECTED)
})

t.test('property: any split of the byte stream gives the same frames (sse-utf8-split)', async t => {
  fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 20 }), cuts => {
    const got = decodeChunks(splitAt(SAMPLE, cuts))
    return JSON.stringify(got) === JSON.stringify(EXPECTED)
  }), { numRuns: 2000 })
  t.pass('2000 random splits decoded identically')
})

t.test('property: arbitrary unicode data survives any split', async t => {
  fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 10 }), (texts, cuts) => {
    const clean = texts.map(s => s.replace(/[\r\n]/g, ' '))
    const bytes = Buffer.from(clean.map(s => 'data: ' + s + '\r\n\r\n').join(''))
    const got = decodeChunks(splitAt(bytes, cuts)).map(f => f.data)
    // A data line keeps everything after the one optional space.
    return JSON.stringify(got) === JSON.stringify(clean)
  }), { numRuns: 1000 })
  t.pass('1000 random texts')
})

t.test('a final event without its blank line still counts', async t => {
  t.same(decodeChunks([Buffer.from('data: {"a":1}\n\ndata: {"b":2}')]), [{ data: '{"a":1}' }, { data: '{"b":2}' }])
})

t.test('an event over the limit is an error, not unbounded memory', async t => {
  const d = new SseDecoder(1024)
  t.throws(() => d.feed(Buffer.from('data: ' + 'x'.repeat(4096))), SseEventTooLarge)
})

t.test('a leading byte-order mark is dropped, however the first bytes are split; a later one is data', async t => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf])
  const body = Buffer.concat([bom, Buffer.from('data: {"a":1}\n\ndata: \uFEFFx\n\n')])
  for (const cut of [0, 1, 2, 3, 4]) {
    const frames = decodeChunks(cut === 0 ? [body] : [body.subarray(0, cut), body.subarray(cut)])
    t.same(frames, [{ data: '{"a":1}' }, { data: '\uFEFFx' }], `split at ${cut}`)
  }
  t.same(decodeChunks([Buffer.alloc(0), body]), [{ data: '{"a":1}' }, { data: '\uFEFFx' }], 'after an empty chunk')
})
