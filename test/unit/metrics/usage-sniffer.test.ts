// The passthrough usage sniffer on each dialect's real wire format (built by the conformance
// fixtures), small replies and replies far larger than its windows, fed in arbitrary chunks.
import fc from 'fast-check'
import t from 'tap'
import { gzipSync } from 'node:zlib'
import type { ClientDialectId } from '../../../src/dialects/types.js'
import { SNIFF_WINDOW_BYTES, UsageSniffer } from '../../../src/metrics/usage-sniffer.js'
import {
  anthEnd, anthEvent, anthMessageStart, anthText, chatChunk, chatSse, CHAT_DONE, chatUsageChunk, gemChunkJson, gemFrame, gemSse,
} from '../../e2e/conformance/fixtures.js'
import type { Script } from '../../helpers/mock-upstream.js'
import { respSse, respWhole } from '../../helpers/responses-sse.js'

type Json = Record<string, unknown>

function bodyOf (s: Script | readonly (string | Buffer)[]): Buffer {
  const frames: readonly (string | Buffer)[] = Array.isArray(s) ? s : (s as Script).frames ?? []
  return Buffer.concat(frames.map(f => typeof f === 'string' ? Buffer.from(f) : f))
}

/** Feed `body` in pieces of `size` bytes (whole when omitted) and read the usage. */
function sniff (dialect: ClientDialectId, streamed: boolean, body: Buffer, size = body.length): ReturnType<UsageSniffer['usage']> {
  const sniffer = new UsageSniffer(dialect, streamed)
  for (let i = 0; i < body.length; i += Math.max(1, size)) sniffer.observe(body.subarray(i, i + Math.max(1, size)))
  return sniffer.usage()
}

/** Text long enough that the reply overflows both windows several times. */
const LONG = 'lorem ipsum dolor sit amet, '.repeat(40)
const manyPieces = (n: number): string[] => Array.from({ length: n }, (_, i) => `${i} ${LONG}`)

t.test('openai-chat', async t => {
  const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, prompt_tokens_details: { cached_tokens: 3 }, completion_tokens_details: { reasoning_tokens: 2 } }
  const expected = { input: 11, output: 7, cacheRead: 3, reasoning: 2 }
  const whole = (content: string): Buffer => Buffer.from(JSON.stringify({
    id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage,
  }))
  t.same(sniff('openai-chat', false, whole('hi')), expected, 'whole reply')
  const big = whole(LONG.repeat(60))
  t.ok(big.length > 4 * SNIFF_WINDOW_BYTES, 'the large whole reply overflows both windows')
  t.same(sniff('openai-chat', false, big, 1000), expected, 'whole reply larger than the window: the usage object in the tail')

  const stream = bodyOf(chatSse([chatChunk({ content: 'hi' }), chatChunk({}, 'stop')], { usage }))
  t.same(sniff('openai-chat', true, stream, 7), expected, 'stream: the usage chunk before [DONE]')
  const big2 = bodyOf(chatSse([...manyPieces(200).map(c => chatChunk({ content: c })), chatChunk({}, 'stop')], { usage }))
  t.ok(big2.length > 4 * SNIFF_WINDOW_BYTES)
  t.same(sniff('openai-chat', true, big2, 1500), expected, 'stream larger than the window')
  t.equal(sniff('openai-chat', true, bodyOf(chatSse([chatChunk({ content: 'hi' })], { usage: null }))), undefined, 'no usage chunk: nothing')

  // Servers that report running totals on every chunk (vLLM continuous usage): the last wins.
  const running = bodyOf([chatUsageChunk({ prompt_tokens: 11, completion_tokens: 1 }), chatUsageChunk({ prompt_tokens: 11, completion_tokens: 9 }), CHAT_DONE])
  t.same(sniff('openai-chat', true, running), { input: 11, output: 9 })
})

t.test('openai-responses', async t => {
  const end = { usage: { input: 20, output: 5, cached: 4, reasoning: 1 } }
  const expected = { input: 20, output: 5, cacheRead: 4, reasoning: 1 }
  const items = [{ type: 'reasoning' as const, summary: [['thinking']] }, { type: 'message' as const, pieces: ['Hel', 'lo'] }]
  t.same(sniff('openai-responses', true, bodyOf(respSse(items, end)), 3), expected, 'stream: response.completed')
  t.same(sniff('openai-responses', false, bodyOf(respWhole(items, end))), expected, 'whole reply')
  t.same(sniff('openai-responses', true, bodyOf(respSse(items, { ...end, status: 'incomplete', incompleteReason: 'max_output_tokens' }))), expected, 'stream: response.incomplete')

  // The terminal event repeats the whole output: with a long reply its one data line is larger
  // than the tail window, and the usage object is read off the end of it.
  const long = [{ type: 'message' as const, pieces: manyPieces(60) }]
  const stream = bodyOf(respSse(long, end))
  const lines = stream.toString().split('\n')
  t.ok(lines.some(l => l.startsWith('data: {"type":"response.completed"') && l.length > 2 * SNIFF_WINDOW_BYTES), 'the completed event alone overflows the window')
  t.same(sniff('openai-responses', true, stream, 4096), expected, 'stream larger than the window')
  t.same(sniff('openai-responses', false, bodyOf(respWhole(long, end))), expected, 'whole reply larger than the window')
  t.equal(sniff('openai-responses', true, bodyOf(respSse(items, {}))), undefined, 'usage null: nothing')
})

t.test('anthropic', async t => {
  const start = anthMessageStart({ input_tokens: 5, output_tokens: 1, cache_creation_input_tokens: 20, cache_read_input_tokens: 100 })
  const expected = { input: 125, output: 42, cacheRead: 100, cacheWrite: 20 }
  const frames = (pieces: string[]): string[] => [start, anthEvent({ type: 'ping' }), ...anthText(0, pieces), ...anthEnd('end_turn', { output_tokens: 42 })]
  t.same(sniff('anthropic', true, bodyOf(frames(['Hel', 'lo'])), 5), expected, 'stream: input from message_start, output from message_delta')
  const big = bodyOf(frames(manyPieces(200)))
  t.ok(big.length > 4 * SNIFF_WINDOW_BYTES)
  t.same(sniff('anthropic', true, big, 2000), expected, 'stream larger than the window: message_start in the head, message_delta in the tail')
  const cut = bodyOf(frames(['Hel', 'lo']).slice(0, -2))
  t.equal(sniff('anthropic', true, cut), undefined, 'cut before message_delta: no output count, so nothing')

  // message_delta usage is cumulative and may repeat the final input counts (§3.3).
  const cumulative = bodyOf([start, ...anthEnd('end_turn', { input_tokens: 6, output_tokens: 42, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 })])
  t.same(sniff('anthropic', true, cumulative), { input: 126, output: 42, cacheRead: 100, cacheWrite: 20 })

  const whole = (text: string): Buffer => Buffer.from(JSON.stringify({
    id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: 42, cache_creation_input_tokens: 20, cache_read_input_tokens: 100 },
  }))
  t.same(sniff('anthropic', false, whole('hi')), expected, 'whole reply')
  t.same(sniff('anthropic', false, whole(LONG.repeat(30)), 999), expected, 'whole reply larger than the window')
})

t.test('gemini', async t => {
  const final = { promptTokenCount: 30, candidatesTokenCount: 7, thoughtsTokenCount: 3, cachedContentTokenCount: 10, totalTokenCount: 40 }
  const expected = { input: 30, output: 10, cacheRead: 10, reasoning: 3 }
  const chunks = (n: number): Json[][] => Array.from({ length: n }, (_, i) => [{ text: `${i} ${LONG}` }])
  t.same(sniff('gemini', true, bodyOf(gemSse(chunks(3), 'STOP', final)), 11), expected, 'SSE: the last usageMetadata, not the running totals before it')
  const bigSse = bodyOf(gemSse(chunks(100), 'STOP', final))
  t.ok(bigSse.length > 4 * SNIFF_WINDOW_BYTES)
  t.same(sniff('gemini', true, bigSse, 3000), expected, 'SSE larger than the window')

  // Without alt=sse Gemini streams one JSON array, element by element.
  const array = (n: number): Buffer => {
    const elems = chunks(n).map((parts, i) => JSON.stringify(gemChunkJson(parts, i === n - 1 ? { finish: 'STOP', usage: final } : {})))
    return Buffer.from('[' + elems.join(',\r\n') + ']')
  }
  t.same(sniff('gemini', true, array(3)), expected, 'JSON-array stream')
  t.same(sniff('gemini', true, array(100), 4000), expected, 'JSON-array stream larger than the window')
  t.same(sniff('gemini', false, Buffer.from(JSON.stringify(gemChunkJson([{ text: 'hi' }], { finish: 'STOP', usage: final })))), expected, 'whole reply')
  t.equal(sniff('gemini', true, bodyOf([gemFrame({ candidates: [] })])), undefined, 'no usageMetadata: nothing')
})

t.test('what cannot be read for sure is nothing', async t => {
  const usage = { prompt_tokens: 1, completion_tokens: 2 }
  const stream = bodyOf(chatSse([chatChunk({ content: 'hi' })], { usage }))
  t.equal(sniff('openai-chat', true, gzipSync(stream)), undefined, 'gzip-encoded bytes')
  t.equal(sniff('openai-chat', true, Buffer.alloc(0)), undefined, 'empty body')
  t.equal(sniff('openai-chat', false, Buffer.from('{"usage":{"prompt_tokens":1')), undefined, 'truncated JSON')
  t.equal(sniff('openai-chat', false, stream), undefined, 'an SSE body where a whole reply was expected')
  t.same(sniff('openai-chat', true, Buffer.from(JSON.stringify({ usage }))), { input: 1, output: 2 }, 'a whole reply where a stream was asked (server ignored stream:true)')
})

t.test('any chunking of a large stream gives the same usage', async t => {
  const usage = { prompt_tokens: 11, completion_tokens: 7 }
  const body = bodyOf(chatSse(manyPieces(80).map(c => chatChunk({ content: c })), { usage }))
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 40000 }), { minLength: 1, maxLength: 30 }), sizes => {
    const sniffer = new UsageSniffer('openai-chat', true)
    let at = 0
    for (let i = 0; at < body.length; i++) {
      const n = sizes[i % sizes.length] as number
      sniffer.observe(body.subarray(at, at + n))
      at += n
    }
    const got = sniffer.usage()
    return got?.input === 11 && got.output === 7
  }), { numRuns: 50 })
  t.pass('50 chunkings')
})
