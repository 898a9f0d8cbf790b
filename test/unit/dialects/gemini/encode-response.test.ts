// CanonicalResponse → GenerateContentResponse (PROTOCOLS.md §4.2, §6.7, §6.8).
import t from 'tap'
import { sealEnvelope } from '../../../../src/canonical/signature.js'
import { encodeResponse } from '../../../../src/dialects/gemini/encode-response.js'
import { REQUEST, TEXT_RESPONSE, TOOL_RESPONSE } from '../scenarios.js'

t.test('text', async t => {
  t.strictSame(encodeResponse(TEXT_RESPONSE, REQUEST), {
    candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 2, totalTokenCount: 12 },
    modelVersion: 'm1',
    responseId: 'mock-abc',
  })
})

t.test('text and functionCall, the hidden thought\'s signature on the text; STOP with calls; usage split', async t => {
  const r = encodeResponse(TOOL_RESPONSE, REQUEST)
  t.strictSame(r.candidates[0]?.content.parts, [
    { text: 'Checking.', thoughtSignature: sealEnvelope({ family: 'anthropic', value: 'sig' }, 'Think') },
    { functionCall: { id: 'call_a', name: 'get_weather', args: { city: 'Paris' } } },
  ])
  t.equal(r.candidates[0]?.finishReason, 'STOP')
  t.strictSame(r.usageMetadata, { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 17, cachedContentTokenCount: 4, thoughtsTokenCount: 2 })
})

t.test('finish reasons, raw Gemini words, empty content, malformed call, no usage', async t => {
  const finish = (f: object) => encodeResponse({ ...TEXT_RESPONSE, finish: f } as typeof TEXT_RESPONSE, REQUEST).candidates[0]?.finishReason
  t.equal(finish({ reason: 'length' }), 'MAX_TOKENS')
  t.equal(finish({ reason: 'content-filter' }), 'SAFETY')
  t.equal(finish({ reason: 'content-filter', raw: 'RECITATION' }), 'RECITATION')
  t.equal(finish({ reason: 'other' }), 'OTHER')
  t.strictSame(encodeResponse({ ...TEXT_RESPONSE, content: [] }, REQUEST).candidates[0]?.content.parts, [{ text: '' }])
  const bad = encodeResponse({ ...TEXT_RESPONSE, content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '[1]' }] }, REQUEST)
  t.equal(bad.candidates[0]?.finishReason, 'MALFORMED_FUNCTION_CALL')
  const { usage: _u, ...noUsage } = TEXT_RESPONSE
  t.notOk('usageMetadata' in encodeResponse(noUsage, REQUEST))
})
