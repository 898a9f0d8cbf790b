// Gemini request → canonical (PROTOCOLS.md §4.1) and the field-path errors.
import t, { type Test } from 'tap'
import { decodeRequest, IGNORED_FIELDS } from '../../../../src/dialects/gemini/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'gemini', operation: 'generate', pathModel: 'g1' }
const STREAM: ClientOperation = { dialect: 'gemini', operation: 'stream-generate', pathModel: 'g1', pathStream: true }
const base = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }
const fails = (t: Test, body: unknown, message: string, code = 'SWY_ERR_CONVERT_INVALID', op = OP) =>
  t.throws(() => decodeRequest(body, op), { message, code, statusCode: 400 }, message)

t.test('contents, systemInstruction, generationConfig; model from the path, stream from the verb', async t => {
  t.strictSame(decodeRequest({
    contents: [
      { role: 'user', parts: [{ text: 'look' }, { inlineData: { mimeType: 'image/jpeg', data: 'QQ==' } }] },
      { role: 'model', parts: [{ text: 'seen' }, { text: '' }] },
      { parts: [{ text: 'again' }] },
    ],
    systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
    generationConfig: { maxOutputTokens: 30, temperature: 0.1, topP: 0.8, stopSequences: ['X'], candidateCount: 1 },
    safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
  }, STREAM), {
    model: 'g1',
    system: [{ type: 'text', text: 'Be brief.' }],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'look' }, { type: 'image', url: 'data:image/jpeg;base64,QQ==' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'seen' }] },
      { role: 'user', parts: [{ type: 'text', text: 'again' }] },
    ],
    stream: true,
    maxTokens: 30,
    temperature: 0.1,
    topP: 0.8,
    stop: ['X'],
  })
})

t.test('snake_case proto JSON is accepted', async t => {
  const req = decodeRequest({
    contents: [{ role: 'user', parts: [{ inline_data: { mime_type: 'image/png', data: 'AA' } }] }],
    system_instruction: { parts: [{ text: 'S' }] },
    generation_config: { max_output_tokens: 5, top_p: 0.2, stop_sequences: ['Y'] },
  }, OP)
  t.strictSame(req, {
    model: 'g1', system: [{ type: 'text', text: 'S' }], messages: [{ role: 'user', parts: [{ type: 'image', url: 'data:image/png;base64,AA' }] }],
    stream: false, maxTokens: 5, topP: 0.2, stop: ['Y'],
  })
})

t.test('bad input names the JSON path', async t => {
  fails(t, base, 'model: required', 'SWY_ERR_CONVERT_INVALID', { dialect: 'gemini', operation: 'generate' })
  fails(t, {}, 'contents: required')
  fails(t, { contents: [{ role: 'assistant', parts: [] }] }, 'contents[0].role: must be one of user, model')
  fails(t, { contents: [{ role: 'user' }] }, 'contents[0].parts: required')
  fails(t, { contents: [{ role: 'user', parts: [{}] }] }, 'contents[0].parts[0]: must hold text, inlineData, fileData, functionCall or functionResponse')
  fails(t, { contents: [{ role: 'user', parts: [{ text: 'a', functionCall: { name: 'f' } }] }] },
    'contents[0].parts[0]: must hold only one of text, inlineData, fileData, functionCall or functionResponse; it holds text and functionCall')
  fails(t, { contents: [{ role: 'user', parts: [{ functionCall: { name: 'f' } }] }] }, 'contents[0].parts[0].functionCall: function calls belong to model turns')
  fails(t, { contents: [{ role: 'user', parts: [{ text: 'x', thought: true }] }] }, 'contents[0].parts[0].thought: thoughts belong to model turns')
  fails(t, { contents: [{ role: 'user', parts: [{ text: 'x', thoughtSignature: 's' }] }] }, 'contents[0].parts[0].thoughtSignature: signatures belong to model turns')
  fails(t, { contents: [{ role: 'user', parts: [{ text: 5 }] }] }, 'contents[0].parts[0].text: must be a string')
  fails(t, { ...base, generationConfig: { maxOutputTokens: '5' } }, 'generationConfig.maxOutputTokens: must be a positive integer')
  fails(t, { ...base, systemInstruction: { parts: [{ text: 1 }] } }, 'systemInstruction.parts[0].text: must be a string')
})

t.test('what has no portable form is rejected, by path, as unsupported', async t => {
  const unsupported = (body: unknown, message: string) => fails(t, body, message, 'SWY_ERR_CONVERT_UNSUPPORTED')
  unsupported({ ...base, generationConfig: { candidateCount: 2 } }, 'generationConfig.candidateCount: values other than 1 are not supported yet')
  unsupported({ ...base, generationConfig: { responseLogprobs: true } }, 'generationConfig.responseLogprobs: not supported yet')
  unsupported({ ...base, cachedContent: 'cachedContents/abc' },
    'cachedContent: names a context cache stored by Gemini, which has no portable form; send the cached contents instead')
  unsupported({ contents: [{ role: 'model', parts: [{ executableCode: { language: 'PYTHON', code: 'print(1)' } }] }] },
    'contents[0].parts[0].executableCode: not supported yet')
  unsupported({ contents: [{ role: 'user', parts: [{ codeExecutionResult: { outcome: 'OUTCOME_OK' } }] }] },
    'contents[0].parts[0].codeExecutionResult: not supported yet')
  unsupported({ contents: [{ role: 'user', parts: [{ fileData: { fileUri: 'gs://b/v.mp4', mimeType: 'video/mp4' }, videoMetadata: {} }] }] },
    'contents[0].parts[0].videoMetadata: not supported yet')
  unsupported({ contents: [{ role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: 'AA' } }] }] },
    'contents[0].parts[0].inlineData: a model turn cannot carry media to a non-Gemini backend')
})

t.test('IGNORED_FIELDS each have a reason; countTokens decodes contents', async t => {
  for (const [field, reason] of Object.entries(IGNORED_FIELDS)) t.ok(reason.length > 10, field)
  t.equal(decodeRequest(base, { dialect: 'gemini', operation: 'count-tokens', pathModel: 'g1' }).messages.length, 1)
})
