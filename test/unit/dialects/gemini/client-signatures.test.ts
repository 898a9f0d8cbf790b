// Reasoning to a Gemini client and back (PROTOCOLS.md §6.9; the signature contract in parts.ts
// and client-model-turn.ts): thoughts shown only with includeThoughts, the signature (an envelope
// for foreign families) on an extra thought part or on the next part, and the next request
// restoring the original ReasoningPart with its Anthropic signature and text.
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import type { CanonicalResponse } from '../../../../src/canonical/response.js'
import { openSignature, sealEnvelope } from '../../../../src/canonical/signature.js'
import { decodeRequest } from '../../../../src/dialects/gemini/decode-request.js'
import { encodeResponse } from '../../../../src/dialects/gemini/encode-response.js'
import { GeminiStreamEncoder } from '../../../../src/dialects/gemini/stream-encoder.js'
import { encodeAll, REQUEST, START, TOOL_RESPONSE } from '../scenarios.js'

const VISIBLE: CanonicalRequest = { ...REQUEST, reasoning: { mode: 'adaptive', visible: true } }
const ANTHROPIC = { family: 'anthropic' as const, value: 'EqQBsig' }
const OP = { dialect: 'gemini' as const, operation: 'generate', pathModel: 'g1' }

const reasoning = (index: number, text: string, signature = ANTHROPIC): CanonicalEvent[] => [
  { type: 'block-start', index, kind: 'reasoning' },
  { type: 'reasoning-delta', index, delta: text.slice(0, 3) },
  { type: 'reasoning-delta', index, delta: text.slice(3) },
  { type: 'signature', index, signature },
  { type: 'block-end', index },
]
const text = (index: number, delta: string): CanonicalEvent[] => [
  { type: 'block-start', index, kind: 'text' }, { type: 'text-delta', index, delta }, { type: 'block-end', index },
]
const call = (index: number): CanonicalEvent[] => [
  { type: 'block-start', index, kind: 'tool-call', toolCallId: 'toolu_1', toolName: 'f' },
  { type: 'tool-input-delta', index, delta: '{"a":1}' },
  { type: 'block-end', index },
]
const END: CanonicalEvent = { type: 'message-end', finish: { reason: 'stop' } }

/** Each chunk's content, as js-genai's chat history records them. */
const contentsOf = (request: CanonicalRequest, events: CanonicalEvent[]) =>
  encodeAll(new GeminiStreamEncoder(request), events).map(f => (JSON.parse(f.data) as { candidates: Array<{ content: { parts: object[] } }> }).candidates[0]!.content)
const partsOf = (request: CanonicalRequest, events: CanonicalEvent[]) => contentsOf(request, events).map(c => c.parts)
/** The assistant message the next request decodes from that history. */
const replayed = (contents: object[]) =>
  decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'q' }] }, ...contents, { role: 'user', parts: [{ text: 'next' }] }] }, OP).messages[1]

const envelope = sealEnvelope(ANTHROPIC, 'Thinking')

t.test('hidden thoughts: no thought parts; the envelope rides on the next text part and restores the block', async t => {
  const events = [START, ...reasoning(0, 'Thinking'), ...text(1, 'Answer'), END]
  t.strictSame(partsOf(REQUEST, events), [[{ text: 'Answer', thoughtSignature: envelope }], [{ text: '' }]])
  t.strictSame(openSignature(envelope, 'gemini'), { envelope: true, signature: ANTHROPIC, text: 'Thinking' })
  t.strictSame(replayed(contentsOf(REQUEST, events)), {
    role: 'assistant', parts: [{ type: 'reasoning', text: 'Thinking', signature: ANTHROPIC }, { type: 'text', text: 'Answer' }],
  })
})

t.test('hidden thoughts: on the next functionCall part, or the final empty part; two blocks in a row', async t => {
  t.strictSame(partsOf(REQUEST, [START, ...reasoning(0, 'Thinking'), ...call(1), END]),
    [[{ functionCall: { id: 'toolu_1', name: 'f', args: { a: 1 } }, thoughtSignature: envelope }], [{ text: '' }]])
  t.strictSame(partsOf(REQUEST, [START, ...reasoning(0, 'Thinking'), END]), [[{ text: '', thoughtSignature: envelope }]])
  const second = { family: 'anthropic' as const, value: 'second' }
  const events = [START, ...reasoning(0, 'Thinking'), ...reasoning(1, 'More thought', second), ...text(2, 'A'), END]
  t.strictSame(partsOf(REQUEST, events), [
    [{ text: '', thoughtSignature: envelope }],
    [{ text: 'A', thoughtSignature: sealEnvelope(second, 'More thought') }],
    [{ text: '' }],
  ])
  t.strictSame(replayed(contentsOf(REQUEST, events))?.parts, [
    { type: 'reasoning', text: 'Thinking', signature: ANTHROPIC },
    { type: 'reasoning', text: 'More thought', signature: second },
    { type: 'text', text: 'A' },
  ])
})

t.test('visible thoughts: thought parts, then one extra thought part with the envelope; replay restores one block', async t => {
  const events = [START, ...reasoning(0, 'Thinking'), ...call(1), END]
  t.strictSame(partsOf(VISIBLE, events), [
    [{ text: 'Thi', thought: true }],
    [{ text: 'nking', thought: true }],
    [{ text: '', thought: true, thoughtSignature: envelope }],
    [{ functionCall: { id: 'toolu_1', name: 'f', args: { a: 1 } } }],
    [{ text: '' }],
  ])
  t.strictSame(replayed(contentsOf(VISIBLE, events))?.parts, [
    { type: 'reasoning', text: 'Thinking', signature: ANTHROPIC },
    { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' },
  ])
})

t.test('the envelope text wins over edited thought text; unsigned and redacted blocks round-trip', async t => {
  t.strictSame(replayed([{ role: 'model', parts: [{ text: 'edited', thought: true }, { text: '', thought: true, thoughtSignature: envelope }, { text: 'A' }] }])?.parts,
    [{ type: 'reasoning', text: 'Thinking', signature: ANTHROPIC }, { type: 'text', text: 'A' }])
  const unsigned = partsOf(REQUEST, [START, { type: 'block-start', index: 0, kind: 'reasoning' }, { type: 'reasoning-delta', index: 0, delta: 'chat reasoning' }, { type: 'block-end', index: 0 }, ...text(1, 'A'), END])
  t.strictSame(replayed([{ role: 'model', parts: unsigned[0] }])?.parts, [{ type: 'reasoning', text: 'chat reasoning' }, { type: 'text', text: 'A' }])
  const redacted: CanonicalEvent[] = [START, { type: 'block-start', index: 0, kind: 'reasoning', redacted: true }, { type: 'signature', index: 0, signature: ANTHROPIC }, { type: 'block-end', index: 0 }, END]
  t.strictSame(replayed(contentsOf(VISIBLE, redacted))?.parts, [{ type: 'reasoning', text: '', signature: ANTHROPIC, redacted: true }])
  t.strictSame(partsOf(REQUEST, [START, { type: 'block-start', index: 0, kind: 'reasoning' }, { type: 'block-end', index: 0 }, END]), [[{ text: '' }]], 'an empty block carries nothing')
})

t.test('raw Gemini signatures from an earlier Gemini turn: on calls, texts and thoughts', async t => {
  const gemini = (value: string) => ({ family: 'gemini', value })
  t.strictSame(replayed([{ role: 'model', parts: [
    { text: 'plan', thought: true },
    { text: 'more', thought: true, thoughtSignature: 'G1' },
    { text: 'A' },
    { functionCall: { name: 'f', args: {} }, thoughtSignature: 'G2' },
    { text: '', thoughtSignature: 'G3' },
  ] }])?.parts, [
    { type: 'reasoning', text: 'planmore', signature: gemini('G1') },
    { type: 'text', text: 'A' },
    { type: 'tool-call', id: 'call_1_3', name: 'f', arguments: '{}', signature: gemini('G2') },
    { type: 'reasoning', text: '', signature: gemini('G3') },
  ])
})

t.test('whole replies: hidden signature on the next part, visible thought part with it', async t => {
  const tool = { functionCall: { id: 'call_a', name: 'get_weather', args: { city: 'Paris' } } }
  const sealed = sealEnvelope({ family: 'anthropic', value: 'sig' }, 'Think')
  t.strictSame(encodeResponse(TOOL_RESPONSE, REQUEST).candidates[0]?.content.parts, [{ text: 'Checking.', thoughtSignature: sealed }, tool])
  t.strictSame(encodeResponse(TOOL_RESPONSE, VISIBLE).candidates[0]?.content.parts, [{ text: 'Think', thought: true, thoughtSignature: sealed }, { text: 'Checking.' }, tool])
  const only: CanonicalResponse = { ...TOOL_RESPONSE, content: [TOOL_RESPONSE.content[0]!] }
  t.strictSame(encodeResponse(only, REQUEST).candidates[0]?.content.parts, [{ text: '', thoughtSignature: sealed }])
  for (const req of [REQUEST, VISIBLE]) {
    const parts = encodeResponse(TOOL_RESPONSE, req).candidates[0]?.content.parts as object[]
    t.strictSame(replayed([{ role: 'model', parts }])?.parts, [
      { type: 'reasoning', text: 'Think', signature: { family: 'anthropic', value: 'sig' } },
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ])
  }
})
