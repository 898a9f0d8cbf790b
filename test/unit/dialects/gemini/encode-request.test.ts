// CanonicalRequest → Gemini generateContent / streamGenerateContent / countTokens call
// (PROTOCOLS.md §4.1, §6.1, §6.9, §6.10).
import t from 'tap'
import type { CanonicalMessage, CanonicalRequest, ReasoningConfig } from '../../../../src/canonical/request.js'
import { countTokens, encodeRequest } from '../../../../src/dialects/gemini/encode-request.js'
import type { GenerateContentBody } from '../../../../src/dialects/gemini/wire-request.js'
import type { BackendOptions } from '../../../../src/dialects/types.js'
import { EFFORT_BUDGET } from '../../../../src/dialects/shared/reasoning.js'

const OPTIONS: BackendOptions = { model: 'gemini-2.5-flash', defaultMaxTokens: 4096 }
const GEMINI_3: BackendOptions = { ...OPTIONS, model: 'gemini-3-pro-preview' }
const user = (text: string): CanonicalMessage => ({ role: 'user', parts: [{ type: 'text', text }] })
const req = (extra: Partial<CanonicalRequest> = {}): CanonicalRequest => ({ model: 'client-model', system: [], messages: [user('hi')], stream: false, ...extra })
const body = (r: CanonicalRequest, options = OPTIONS): GenerateContentBody => encodeRequest(r, options).body as GenerateContentBody

t.test('non-stream: POST :generateContent, no query, minimal camelCase body', async t => {
  t.strictSame(encodeRequest(req(), OPTIONS), {
    method: 'POST',
    path: '/models/gemini-2.5-flash:generateContent',
    query: '',
    body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
  })
})

t.test('stream: POST :streamGenerateContent?alt=sse', async t => {
  const call = encodeRequest(req({ stream: true, includeUsage: true }), OPTIONS)
  t.equal(call.path, '/models/gemini-2.5-flash:streamGenerateContent')
  t.equal(call.query, 'alt=sse')
  t.strictSame(call.body, { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, 'includeUsage sends nothing')
})

t.test('model: leading models/ stripped, encoded as one segment, path injection rejected', async t => {
  t.equal(encodeRequest(req(), { ...OPTIONS, model: 'models/gemini-2.5-pro' }).path, '/models/gemini-2.5-pro:generateContent')
  t.equal(encodeRequest(req(), { ...OPTIONS, model: 'my model:v1?x#y' }).path, '/models/my%20model%3Av1%3Fx%23y:generateContent')
  for (const model of ['tunedModels/x', '../files', 'models/', 'a..b', '', 'models/a/b']) {
    t.throws(() => encodeRequest(req(), { ...OPTIONS, model }), { code: 'SWY_ERR_CONVERT_INVALID', field: 'model' }, model)
  }
})

t.test('system → one systemInstruction text part, joined in order; empty system sends none', async t => {
  const b = body(req({ system: [{ type: 'text', text: 'A', cacheControl: { type: 'ephemeral' } }, { type: 'text', text: '' }, { type: 'text', text: 'B' }] }))
  t.strictSame(b.systemInstruction, { parts: [{ text: 'A\n\nB' }] })
  t.notOk('systemInstruction' in body(req()))
  t.notOk('systemInstruction' in body(req({ system: [{ type: 'text', text: '' }] })))
})

t.test('generationConfig: sampling, capped max tokens, stops, seed, penalties; dropped knobs send nothing', async t => {
  const b = body(req({
    maxTokens: 64000, temperature: 1.5, topP: 0.9, topK: 40, stop: ['END', 'STOP'], seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5,
    user: 'u-1', verbosity: 'low', encryptedReasoning: true, parallelToolCalls: false,
  }), { ...OPTIONS, maxOutputTokens: 8192 })
  t.strictSame(b, {
    contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
    generationConfig: { maxOutputTokens: 8192, temperature: 1.5, topP: 0.9, topK: 40, stopSequences: ['END', 'STOP'], seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5 },
  })
  t.strictSame(body(req({ maxTokens: 100 }), { ...OPTIONS, maxOutputTokens: 8192 }).generationConfig, { maxOutputTokens: 100 })
  t.notOk('generationConfig' in body(req({ stop: [] }), { ...OPTIONS, maxOutputTokens: 8192 }), 'absent max tokens stay absent; empty config omitted')
  t.strictSame(body(req({ stop: ['1', '2', '3', '4', '5'] })).generationConfig, { stopSequences: ['1', '2', '3', '4', '5'] })
  t.throws(() => body(req({ stop: ['1', '2', '3', '4', '5', '6'] })), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'stop' })
})

t.test('responseFormat: json_schema → mime + responseJsonSchema without $schema; json_object → mime; text → nothing', async t => {
  const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { a: { const: 1 } }, additionalProperties: false }
  t.strictSame(body(req({ responseFormat: { type: 'json_schema', schema, name: 'out', strict: true } })).generationConfig, {
    responseMimeType: 'application/json',
    responseJsonSchema: { type: 'object', properties: { a: { const: 1 } }, additionalProperties: false },
  })
  t.strictSame(body(req({ responseFormat: { type: 'json_object' } })).generationConfig, { responseMimeType: 'application/json' })
  t.notOk('generationConfig' in body(req({ responseFormat: { type: 'text' } })))
})

t.test('thinkingConfig (§6.9): Gemini 2.5 budgets vs Gemini 3 levels', async t => {
  const thinking = (reasoning: ReasoningConfig, options = OPTIONS) => body(req({ reasoning }), options).generationConfig?.thinkingConfig
  t.strictSame(thinking({ mode: 'off' }), { thinkingBudget: 0 })
  t.strictSame(thinking({ mode: 'on', effort: 'none' }), { thinkingBudget: 0 }, 'effort none alone is off')
  t.strictSame(thinking({ mode: 'adaptive' }), { thinkingBudget: -1, includeThoughts: true })
  t.strictSame(thinking({ mode: 'adaptive', visible: false }), { thinkingBudget: -1 })
  t.strictSame(thinking({ mode: 'on', budgetTokens: 2048, effort: 'high' }, GEMINI_3), { thinkingBudget: 2048, includeThoughts: true }, 'a budget wins, never with a level')
  t.strictSame(thinking({ mode: 'on', effort: 'medium' }), { thinkingBudget: EFFORT_BUDGET.medium, includeThoughts: true })
  t.strictSame(thinking({ mode: 'on', effort: 'xhigh', visible: true }), { thinkingBudget: EFFORT_BUDGET.xhigh, includeThoughts: true })
  t.strictSame(thinking({ mode: 'on', effort: 'minimal' }, GEMINI_3), { thinkingLevel: 'MINIMAL', includeThoughts: true })
  t.strictSame(thinking({ mode: 'on', effort: 'low' }, GEMINI_3), { thinkingLevel: 'LOW', includeThoughts: true })
  t.strictSame(thinking({ mode: 'on', effort: 'medium' }, GEMINI_3), { thinkingLevel: 'MEDIUM', includeThoughts: true })
  for (const effort of ['high', 'xhigh', 'max'] as const) t.strictSame(thinking({ mode: 'on', effort }, GEMINI_3), { thinkingLevel: 'HIGH', includeThoughts: true }, effort)
  t.strictSame(thinking({ mode: 'on', effort: 'high', visible: false }, { ...OPTIONS, model: 'models/gemini-3-flash' }), { thinkingLevel: 'HIGH' })
  t.strictSame(thinking({ mode: 'on', summary: 'auto' }), { includeThoughts: true }, 'on with nothing else: model default, thoughts shown')
  t.equal(thinking({ mode: 'on', visible: false }), undefined)
})

t.test('tools and toolConfig land in the body only with tools', async t => {
  const b = body(req({ tools: [{ kind: 'function', name: 'f', parameters: { type: 'object' } }], toolChoice: { type: 'required' } }))
  t.strictSame(b.tools, [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object' } }] }])
  t.strictSame(b.toolConfig, { functionCallingConfig: { mode: 'ANY' } })
  const none = body(req({ toolChoice: { type: 'none' } }))
  t.notOk('tools' in none)
  t.notOk('toolConfig' in none)
})

t.test('countTokens: POST :countTokens with the whole request under generateContentRequest', async t => {
  const r = req({
    stream: true,
    system: [{ type: 'text', text: 'S' }],
    maxTokens: 10,
    tools: [{ kind: 'function', name: 'f' }],
    toolChoice: { type: 'auto' },
  })
  t.strictSame(countTokens(r, { ...OPTIONS, model: 'models/gemini-2.5-pro' }), {
    method: 'POST',
    path: '/models/gemini-2.5-pro:countTokens',
    query: '',
    body: {
      generateContentRequest: {
        model: 'models/gemini-2.5-pro',
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        systemInstruction: { parts: [{ text: 'S' }] },
        tools: [{ functionDeclarations: [{ name: 'f' }] }],
        toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
        generationConfig: { maxOutputTokens: 10 },
      },
    },
  })
  t.strictSame(countTokens(req(), OPTIONS).body, { generateContentRequest: { model: 'models/gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } })
  t.throws(() => countTokens(req(), { ...OPTIONS, model: 'a/b' }), { code: 'SWY_ERR_CONVERT_INVALID', field: 'model' })
})

t.test('conversion errors surface with their canonical path', async t => {
  const messages: CanonicalMessage[] = [user('go'), { role: 'assistant', parts: [{ type: 'tool-call', id: 'c', name: 'f', arguments: 'nope' }] }]
  t.throws(() => encodeRequest(req({ messages }), OPTIONS), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[1].parts[0].arguments' })
})
