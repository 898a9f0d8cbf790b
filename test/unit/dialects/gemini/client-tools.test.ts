// Gemini tools, OpenAPI Schema → JSON Schema, toolConfig → canonical (PROTOCOLS.md §4.1, §6.3, §6.4).
import t, { type Test } from 'tap'
import { jsonSchema } from '../../../../src/dialects/gemini/client-schema.js'
import { decodeRequest } from '../../../../src/dialects/gemini/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'gemini', operation: 'generate', pathModel: 'g1' }
const contents = [{ role: 'user', parts: [{ text: 'hi' }] }]
const decode = (extra: object) => decodeRequest({ contents, ...extra }, OP)
const fails = (t: Test, extra: object, message: string, code = 'SWY_ERR_CONVERT_INVALID') =>
  t.throws(() => decode(extra), { message, code, statusCode: 400 }, message)

t.test('OpenAPI Schema → JSON Schema: upper-case types, nullable, int64 counts, nesting', async t => {
  t.strictSame(jsonSchema({
    type: 'OBJECT',
    description: 'args',
    properties: {
      city: { type: 'STRING', nullable: true, enum: ['Paris', 'Rome'], example: 'Paris' },
      days: { type: 'INTEGER', minimum: 1, maximum: 7, format: 'int32' },
      tags: { type: 'ARRAY', items: { type: 'string', pattern: '^[a-z]+$', max_length: '8' }, minItems: '1', maxItems: 3 },
      any_of_field: { anyOf: [{ type: 'NUMBER' }, { type: 'BOOLEAN' }], nullable: true, title: 'either' },
      free: { type: 'TYPE_UNSPECIFIED', nullable: true, default: 3 },
    },
    required: ['city'],
    propertyOrdering: ['city', 'days'],
  }, 'p'), {
    type: 'object',
    description: 'args',
    properties: {
      city: { type: ['string', 'null'], enum: ['Paris', 'Rome', null], examples: ['Paris'] },
      days: { type: 'integer', minimum: 1, maximum: 7, format: 'int32' },
      tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$', maxLength: 8 }, minItems: 1, maxItems: 3 },
      any_of_field: { anyOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'null' }], title: 'either' },
      free: { default: 3 },
    },
    required: ['city'],
  })
})

t.test('schema errors name the field', async t => {
  t.throws(() => jsonSchema({ type: 'OBJECT', properties: { a: { type: 'DATE' } } }, 'p'),
    { message: 'p.properties.a.type: must be one of STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT, NULL' })
  t.throws(() => jsonSchema({ type: 'OBJECT', additionalProperties: false }, 'p'),
    { message: "p.additionalProperties: is not a field of Gemini's Schema; send full JSON Schema as parametersJsonSchema or responseJsonSchema", code: 'SWY_ERR_CONVERT_UNSUPPORTED' })
  t.throws(() => jsonSchema({ type: 'ARRAY', minItems: '-1' }, 'p'), { message: 'p.minItems: must be a non-negative integer' })
})

t.test('functionDeclarations → function tools; hosted tools and result schemas are dropped, named', async t => {
  const req = decode({
    tools: [
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] }, response: { type: 'STRING' } },
          { name: 'raw', parametersJsonSchema: { type: 'object', additionalProperties: false, $schema: 'x' } },
          { name: 'noargs' },
        ],
      },
      { googleSearch: {} },
      { code_execution: {}, urlContext: {} },
    ],
  })
  t.strictSame(req.tools, [
    { kind: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    { kind: 'function', name: 'raw', parameters: { type: 'object', additionalProperties: false, $schema: 'x' } },
    { kind: 'function', name: 'noargs' },
  ])
  t.strictSame(req.dropped?.map(d => d.path), ['tools[0].functionDeclarations[0].response', 'tools[1].googleSearch', 'tools[2].code_execution', 'tools[2].urlContext'])
  t.match(req.dropped?.[1]?.reason, /Google-hosted tool 'googleSearch'/)
  t.match(req.dropped?.[2]?.reason, /Google-hosted tool 'codeExecution'/)
  t.notOk('toolChoice' in req)
})

const TOOLS = [{ functionDeclarations: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }]
const choose = (functionCallingConfig: object) => {
  const req = decode({ tools: TOOLS, toolConfig: { functionCallingConfig } })
  return { choice: req.toolChoice, tools: req.tools?.map(tool => tool.name) }
}

t.test('toolConfig.functionCallingConfig → tool choice', async t => {
  t.strictSame(choose({ mode: 'AUTO' }), { choice: { type: 'auto' }, tools: ['a', 'b', 'c'] })
  t.strictSame(choose({ mode: 'NONE' }), { choice: { type: 'none' }, tools: ['a', 'b', 'c'] })
  t.strictSame(choose({ mode: 'ANY' }), { choice: { type: 'required' }, tools: ['a', 'b', 'c'] })
  t.strictSame(choose({ mode: 'VALIDATED' }), { choice: { type: 'auto' }, tools: ['a', 'b', 'c'] })
  t.strictSame(choose({ mode: 'MODE_UNSPECIFIED' }), { choice: undefined, tools: ['a', 'b', 'c'] })
  t.strictSame(choose({ mode: 'ANY', allowedFunctionNames: ['b'] }), { choice: { type: 'tool', name: 'b' }, tools: ['b'] })
  t.strictSame(choose({ mode: 'ANY', allowed_function_names: ['c', 'a'] }), { choice: { type: 'required' }, tools: ['a', 'c'] })
  t.strictSame(choose({ mode: 'AUTO', allowedFunctionNames: ['a', 'b'] }), { choice: { type: 'auto' }, tools: ['a', 'b'] })
  const snake = decodeRequest({ contents, tools: TOOLS, tool_config: { function_calling_config: { mode: 'NONE' } } }, OP)
  t.strictSame(snake.toolChoice, { type: 'none' })
})

t.test('tool 400s name the field', async t => {
  fails(t, { tools: TOOLS, toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'zz'] } } },
    "toolConfig.functionCallingConfig.allowedFunctionNames[1]: no functionDeclaration is named 'zz'")
  fails(t, { tools: TOOLS, toolConfig: { functionCallingConfig: { mode: 'NONE', allowedFunctionNames: ['a'] } } },
    'toolConfig.functionCallingConfig.allowedFunctionNames: applies only with mode ANY, AUTO or VALIDATED')
  fails(t, { tools: TOOLS, toolConfig: { functionCallingConfig: { mode: 'any' } } },
    'toolConfig.functionCallingConfig.mode: must be one of MODE_UNSPECIFIED, AUTO, ANY, NONE, VALIDATED')
  fails(t, { tools: [{ googleSearch: {} }], toolConfig: { functionCallingConfig: { mode: 'ANY' } } },
    'toolConfig.functionCallingConfig.mode: ANY requires a call, but no functionDeclaration is carried')
  fails(t, { tools: [{ functionDeclarations: [{ name: 'a', parameters: { type: 'OBJECT' }, parametersJsonSchema: {} }] }] },
    'tools[0].functionDeclarations[0].parametersJsonSchema: send either parameters or parametersJsonSchema')
  fails(t, { tools: [{ functionDeclarations: [{ description: 'x' }] }] }, 'tools[0].functionDeclarations[0].name: required')
  fails(t, { tools: [{ functionDeclarations: [{ name: 'a', behavior: 'NON_BLOCKING' }] }] },
    'tools[0].functionDeclarations[0].behavior: not supported yet', 'SWY_ERR_CONVERT_UNSUPPORTED')
  fails(t, { tools: [{ functionDeclarations: [{ name: 'a', parameters: { type: 'OBJECT', properties: { x: { const: 1 } } } }] }] },
    "tools[0].functionDeclarations[0].parameters.properties.x.const: is not a field of Gemini's Schema; send full JSON Schema as parametersJsonSchema or responseJsonSchema",
    'SWY_ERR_CONVERT_UNSUPPORTED')
})
