// A whole Gemini `generateContent` reply → CanonicalResponse, and `countTokens` → its count
// (PROTOCOLS.md §4.1, §4.2, §6.7–§6.9). A whole reply must map exactly as the same parts
// streamed over several chunks do.
import t from 'tap'
import { ResponseAccumulator } from '../../../../src/canonical/accumulate.js'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import type { CanonicalResponse } from '../../../../src/canonical/response.js'
import { openCallId } from '../../../../src/dialects/gemini/call-ids.js'
import { decodeCountTokens, decodeResponse } from '../../../../src/dialects/gemini/decode-response.js'
import { GeminiStreamDecoder } from '../../../../src/dialects/gemini/stream-decoder.js'
import { REQUEST } from '../scenarios.js'

type Json = Record<string, unknown>
const HEAD = { modelVersion: 'gemini-3-pro', responseId: 'resp-9' }
const USAGE = { promptTokenCount: 50, cachedContentTokenCount: 20, candidatesTokenCount: 12, thoughtsTokenCount: 30, totalTokenCount: 92 }
const PARTS: Json[] = [
  { text: 'Think ', thought: true },
  { text: 'hard.', thought: true },
  { text: 'Checking both.', thoughtSignature: 'sigR' },
  { functionCall: { id: 'g1', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sigC' },
  { functionCall: { name: 'get_time', args: { tz: 'CET' } } },
]
const REQUEST_WITH_TOOLS: CanonicalRequest = { ...REQUEST, stream: false, tools: [{ kind: 'function', name: 'get_weather' }, { kind: 'function', name: 'get_time' }] }

const whole = (parts: Json[], extra: Json = {}): Json => ({
  candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0, safetyRatings: [] }],
  usageMetadata: USAGE, ...HEAD, ...extra,
})

/** The same parts streamed one per chunk, finish and final usage on a last empty chunk. */
function streamed (parts: Json[], request: CanonicalRequest): CanonicalResponse | undefined {
  const decoder = new GeminiStreamDecoder(request)
  const acc = new ResponseAccumulator()
  const sink = (e: CanonicalEvent): void => { acc.push(e) }
  for (const part of parts) {
    decoder.push({ data: JSON.stringify({ candidates: [{ content: { role: 'model', parts: [part] } }], usageMetadata: { promptTokenCount: 50 }, ...HEAD }) }, sink)
  }
  decoder.push({ data: JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }], usageMetadata: USAGE, ...HEAD }) }, sink)
  decoder.end(sink)
  return acc.result()
}

/** Minted `call_…` ids are random: compare them as placeholders. */
function stable (res: CanonicalResponse | undefined): unknown {
  if (res === undefined) return undefined
  return { ...res, created: 0, content: res.content.map(b => b.type === 'tool-call' && b.id.startsWith('call_') ? { ...b, id: 'call_*' } : b) }
}

t.test('thoughts + text + two calls: exact content, ids carrying Gemini id and signature, tool-calls, usage', async t => {
  const res = decodeResponse(whole(PARTS), REQUEST_WITH_TOOLS)
  const [, , first, second] = res.content
  const firstId = first?.type === 'tool-call' ? first.id : ''
  const secondId = second?.type === 'tool-call' ? second.id : ''
  t.strictSame(openCallId(firstId), { id: 'g1', signature: 'sigC' })
  t.ok(secondId.startsWith('call_'))
  t.strictSame({ ...res, created: 0 }, {
    id: 'resp-9',
    model: 'gemini-3-pro',
    created: 0,
    content: [
      { type: 'reasoning', text: 'Think hard.', signature: { family: 'gemini', value: 'sigR' } },
      { type: 'text', text: 'Checking both.' },
      { type: 'tool-call', id: firstId, name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool-call', id: secondId, name: 'get_time', arguments: '{"tz":"CET"}' },
    ],
    finish: { reason: 'tool-calls', raw: 'STOP' },
    usage: { input: 50, output: 42, cacheRead: 20, reasoning: 30 },
  })
  t.ok(Number.isInteger(res.created) && res.created > 1_700_000_000)
})

t.test('the whole reply equals what the stream path yields for the same parts', async t => {
  t.strictSame(stable(decodeResponse(whole(PARTS), REQUEST_WITH_TOOLS)), stable(streamed(PARTS, REQUEST_WITH_TOOLS)))
  const textOnly: Json[] = [{ text: 'Hel' }, { text: 'lo' }]
  t.strictSame(stable(decodeResponse(whole(textOnly), REQUEST)), stable(streamed(textOnly, REQUEST)))
})

t.test('fallbacks and absences: minted id, requested model, no usage stays absent', async t => {
  const res = decodeResponse({ candidates: [{ content: { parts: [{ text: 'Hi' }] }, finishReason: 'MAX_TOKENS' }] }, REQUEST)
  t.ok(res.id.length > 10)
  t.equal(res.model, 'm1')
  t.strictSame(res.content, [{ type: 'text', text: 'Hi' }])
  t.strictSame(res.finish, { reason: 'length', raw: 'MAX_TOKENS' })
  t.notOk('usage' in res)
})

t.test('a blocked prompt is a content-filter finish with no content', async t => {
  const res = decodeResponse({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, ...HEAD }, REQUEST)
  t.strictSame(res.content, [])
  t.strictSame(res.finish, { reason: 'content-filter', raw: 'SAFETY' })
  t.strictSame(res.usage, { input: 4, output: 0 })
})

t.test('unusable replies throw the upstream-invalid-data error saying why', async t => {
  const code = 'SWY_ERR_UPSTREAM_INVALID_DATA'
  t.throws(() => decodeResponse('nope', REQUEST), { code, message: /not a JSON object/ })
  t.throws(() => decodeResponse({ error: { code: 500, message: 'Internal error', status: 'INTERNAL' } }, REQUEST), { code, message: /is an error: Internal error/ })
  t.throws(() => decodeResponse({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }] }, REQUEST), { code, message: /no finishReason/ })
  t.throws(() => decodeResponse(whole([{ functionCall: { args: {} } }]), REQUEST), { code, message: /without a name/ })
})

t.test('countTokens: {totalTokens} read; anything else is an upstream protocol error', async t => {
  t.equal(decodeCountTokens({ totalTokens: 31, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 31 }] }), 31)
  t.equal(decodeCountTokens({ totalTokens: 0 }), 0)
  for (const bad of [undefined, null, [], 'x', {}, { totalTokens: '31' }, { totalTokens: 1.5 }, { totalTokens: -1 }, { error: { code: 400 } }]) {
    t.throws(() => decodeCountTokens(bad), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /totalTokens/ }, JSON.stringify(bad) ?? 'undefined')
  }
})
