// generationConfig (sampling, structured output, thinking) and countTokens bodies → canonical
// (PROTOCOLS.md §4.1, §6.9, §6.10).
import t, { type Test } from 'tap'
import { decodeRequest } from '../../../../src/dialects/gemini/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'gemini', operation: 'generate', pathModel: 'g1' }
const COUNT: ClientOperation = { dialect: 'gemini', operation: 'count-tokens', pathModel: 'g1' }
const contents = [{ role: 'user', parts: [{ text: 'hi' }] }]
const config = (generationConfig: object) => decodeRequest({ contents, generationConfig }, OP)
const thinking = (thinkingConfig: object) => config({ thinkingConfig }).reasoning
const fails = (t: Test, generationConfig: object, message: string, code = 'SWY_ERR_CONVERT_INVALID') =>
  t.throws(() => config(generationConfig), { message, code, statusCode: 400 }, message)

t.test('sampling: topK, seed, penalties; TEXT modality and one candidate accepted', async t => {
  const req = config({ topK: 40, seed: 7, presencePenalty: 0.5, frequency_penalty: -0.5, responseModalities: ['TEXT'], candidateCount: 1, responseMimeType: 'text/plain' })
  t.strictSame(req, { model: 'g1', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false, topK: 40, seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5 })
})

t.test('structured output', async t => {
  t.strictSame(config({ responseMimeType: 'application/json' }).responseFormat, { type: 'json_object' })
  t.strictSame(config({ responseMimeType: 'application/json', responseSchema: { type: 'ARRAY', items: { type: 'STRING', nullable: true } } }).responseFormat,
    { type: 'json_schema', schema: { type: 'array', items: { type: ['string', 'null'] } } })
  t.strictSame(config({ response_mime_type: 'application/json', response_json_schema: { type: 'object', additionalProperties: false } }).responseFormat,
    { type: 'json_schema', schema: { type: 'object', additionalProperties: false } })
})

t.test('thinkingConfig → reasoning', async t => {
  t.strictSame(thinking({ thinkingBudget: 0 }), { mode: 'off' })
  t.strictSame(thinking({ thinkingBudget: -1, includeThoughts: true }), { mode: 'adaptive', visible: true })
  t.strictSame(thinking({ thinking_budget: 2048 }), { mode: 'on', budgetTokens: 2048 })
  t.strictSame(thinking({ thinkingLevel: 'LOW', includeThoughts: false }), { mode: 'on', effort: 'low', visible: false })
  t.strictSame(thinking({ thinkingLevel: 'MINIMAL' }), { mode: 'on', effort: 'minimal' })
  t.strictSame(thinking({ thinkingLevel: 'HIGH' }), { mode: 'on', effort: 'high' })
  t.strictSame(thinking({ includeThoughts: true }), { mode: 'adaptive', visible: true })
  t.equal(thinking({ includeThoughts: false }), undefined)
  t.equal(thinking({}), undefined)
})

t.test('generationConfig 400s name the field', async t => {
  fails(t, { candidateCount: 2 }, 'generationConfig.candidateCount: values other than 1 are not supported yet', 'SWY_ERR_CONVERT_UNSUPPORTED')
  fails(t, { responseModalities: ['TEXT', 'IMAGE'] }, 'generationConfig.responseModalities[1]: only TEXT output can be produced through a non-Gemini backend', 'SWY_ERR_CONVERT_UNSUPPORTED')
  fails(t, { responseMimeType: 'text/x.enum' }, "generationConfig.responseMimeType: 'text/x.enum' is not supported; use application/json or text/plain", 'SWY_ERR_CONVERT_UNSUPPORTED')
  fails(t, { responseSchema: { type: 'STRING' } }, 'generationConfig.responseSchema: needs responseMimeType "application/json"')
  fails(t, { responseMimeType: 'application/json', responseSchema: {}, responseJsonSchema: {} }, 'generationConfig.responseJsonSchema: send either responseSchema or responseJsonSchema')
  fails(t, { thinkingConfig: { thinkingBudget: 100, thinkingLevel: 'LOW' } }, 'generationConfig.thinkingConfig.thinkingLevel: send either thinkingBudget or thinkingLevel')
  fails(t, { thinkingConfig: { thinkingBudget: -2 } }, 'generationConfig.thinkingConfig.thinkingBudget: must be -1, 0 or a positive integer')
  fails(t, { thinkingConfig: { thinkingBudget: 1.5 } }, 'generationConfig.thinkingConfig.thinkingBudget: must be an integer')
  fails(t, { thinkingConfig: { thinkingLevel: 'low' } }, 'generationConfig.thinkingConfig.thinkingLevel: must be one of THINKING_LEVEL_UNSPECIFIED, MINIMAL, LOW, MEDIUM, HIGH')
  fails(t, { seed: 'x' }, 'generationConfig.seed: must be a number')
  fails(t, { speechConfig: {} }, 'generationConfig.speechConfig: not supported yet', 'SWY_ERR_CONVERT_UNSUPPORTED')
})

t.test('countTokens: {contents} or {generateContentRequest}, never streamed', async t => {
  t.strictSame(decodeRequest({ contents }, COUNT), { model: 'g1', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false })
  const inner = decodeRequest({
    generateContentRequest: {
      model: 'models/other',
      contents,
      systemInstruction: { parts: [{ text: 'S' }] },
      tools: [{ functionDeclarations: [{ name: 'f' }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: { maxOutputTokens: 9 },
    },
  }, { ...COUNT, pathStream: true })
  t.strictSame(inner, {
    model: 'g1', system: [{ type: 'text', text: 'S' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false,
    maxTokens: 9, tools: [{ kind: 'function', name: 'f' }], toolChoice: { type: 'required' },
  })
  t.throws(() => decodeRequest({ contents, generateContentRequest: { contents } }, COUNT), { message: 'contents: send either contents or generateContentRequest' })
  t.throws(() => decodeRequest({ generateContentRequest: { contents: [{ role: 'x', parts: [] }] } }, COUNT),
    { message: 'generateContentRequest.contents[0].role: must be one of user, model' })
  t.throws(() => decodeRequest({ contents, tools: [], systemInstruction: { parts: [] } }, COUNT),
    { message: 'systemInstruction: not supported yet', code: 'SWY_ERR_CONVERT_UNSUPPORTED' })
  t.throws(() => decodeRequest({ contents, model: 'm' }, OP), { message: 'model: not supported yet' })
})
