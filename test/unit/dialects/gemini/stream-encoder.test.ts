// Exact chunks for PROTOCOLS.md §4.4 (a) text, (b) one call, (c) two calls, (d) thoughts, (e) error.
// Signature placement in detail: client-signatures.test.ts; JSON-array framing: client-framing.test.ts.
import t from 'tap'
import { sealEnvelope } from '../../../../src/canonical/signature.js'
import { GeminiStreamEncoder } from '../../../../src/dialects/gemini/stream-encoder.js'
import { encodeAll, ERROR, parsed, REASONING, REQUEST, TEXT, TOOL, TRUNCATED, TWO_TOOLS } from '../scenarios.js'

const encode = (events: Parameters<typeof encodeAll>[1]) => parsed(encodeAll(new GeminiStreamEncoder(REQUEST), events))
const chunk = (parts: object[], extra: { finishReason?: string, usageMetadata?: object } = {}) => {
  const candidate = extra.finishReason === undefined
    ? { content: { role: 'model', parts }, index: 0 }
    : { content: { role: 'model', parts }, finishReason: extra.finishReason, index: 0 }
  const data = extra.usageMetadata === undefined
    ? { candidates: [candidate], modelVersion: 'm1', responseId: 'mock-abc' }
    : { candidates: [candidate], usageMetadata: extra.usageMetadata, modelVersion: 'm1', responseId: 'mock-abc' }
  return { data }
}
const last = (finishReason: string, usageMetadata: object) => chunk([{ text: '' }], { finishReason, usageMetadata })

t.test('(a) text: one chunk per delta, last chunk carries finishReason and usage', async t => {
  t.strictSame(encode(TEXT), [
    chunk([{ text: 'Hel' }]),
    chunk([{ text: 'lo' }]),
    last('STOP', { promptTokenCount: 10, candidatesTokenCount: 2, totalTokenCount: 12 }),
  ])
})

t.test('(b) call arrives whole with parsed args; STOP; cached tokens', async t => {
  t.strictSame(encode(TOOL), [
    chunk([{ text: 'Checking.' }]),
    chunk([{ functionCall: { id: 'call_a', name: 'get_weather', args: { city: 'Paris' } } }]),
    last('STOP', { promptTokenCount: 10, candidatesTokenCount: 7, totalTokenCount: 17, cachedContentTokenCount: 4 }),
  ])
})

t.test('(c) two calls; empty arguments → {}', async t => {
  t.strictSame(encode(TWO_TOOLS).slice(0, 2), [
    chunk([{ functionCall: { id: 'call_a', name: 'get_weather', args: { city: 'Paris' } } }]),
    chunk([{ functionCall: { id: 'call_b', name: 'get_time', args: {} } }]),
  ])
})

t.test('(d) thoughts (includeThoughts) then text; MAX_TOKENS; candidates exclude thoughts', async t => {
  const visible = { ...REQUEST, reasoning: { mode: 'adaptive' as const, visible: true } }
  const frames = parsed(encodeAll(new GeminiStreamEncoder(visible), REASONING))
  t.strictSame(frames, [
    chunk([{ text: 'Think', thought: true }]),
    chunk([{ text: 'ing', thought: true }]),
    chunk([{ text: '', thought: true, thoughtSignature: sealEnvelope(undefined, 'Thinking') }]),
    chunk([{ text: 'Answer' }]),
    last('MAX_TOKENS', { promptTokenCount: 10, candidatesTokenCount: 3, totalTokenCount: 16, thoughtsTokenCount: 3 }),
  ])
  t.strictSame(encode(REASONING).slice(0, 1), [chunk([{ text: 'Answer', thoughtSignature: sealEnvelope(undefined, 'Thinking') }])], 'hidden without includeThoughts')
})

t.test('(e) error mid-stream: {error:{code,message,status}} then close', async t => {
  t.strictSame(encode(ERROR), [chunk([{ text: 'Hel' }]), { data: { error: { code: 503, message: 'Overloaded', status: 'UNAVAILABLE' } } }])
  t.match(encode(TRUNCATED).at(-1), { data: { error: { code: 502, status: 'INTERNAL' } } })
})

t.test('unparsable arguments: no call part, MALFORMED_FUNCTION_CALL', async t => {
  const frames = encode([
    TEXT[0]!,
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'c', toolName: 'f' },
    { type: 'tool-input-delta', index: 0, delta: '{"a":' },
    { type: 'block-end', index: 0 },
    { type: 'message-end', finish: { reason: 'tool-calls' } },
  ])
  t.strictSame(frames, [last('MALFORMED_FUNCTION_CALL', { promptTokenCount: 10, candidatesTokenCount: 0, totalTokenCount: 10 })])
})

t.test('data-only frames, no [DONE]', async t => {
  for (const f of encodeAll(new GeminiStreamEncoder(REQUEST), TOOL)) {
    t.equal(f.event, undefined)
    t.not(f.data, '[DONE]')
  }
})
