// Canonical tools and tool_choice → Gemini `tools` / `toolConfig` (PROTOCOLS.md §6.3, §6.4,
// §7.13; conformance case 38).
import t from 'tap'
import type { CanonicalRequest, ToolDefinition } from '../../../../src/canonical/request.js'
import { encodeToolConfig, encodeTools } from '../../../../src/dialects/gemini/encode-tools.js'
import { withoutSchemaKeyword } from '../../../../src/dialects/gemini/encode-schema.js'
import { CUSTOM_TOOL_PARAMETERS } from '../../../../src/dialects/shared/custom-tools.js'

const fn = (name: string, extra: Partial<Extract<ToolDefinition, { kind: 'function' }>> = {}): ToolDefinition => ({ kind: 'function', name, ...extra })
const req = (extra: Partial<CanonicalRequest>): CanonicalRequest => ({ model: 'm', system: [], messages: [], stream: false, ...extra })

t.test('case 38: a Claude Code schema keeps additionalProperties/const and loses $schema at every level', async t => {
  const parameters = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      mode: { const: 'fast', description: 'the mode' },
      // A property may be called `$schema`: its name is data, not the keyword.
      $schema: { type: 'string', default: { $schema: 'kept, it is data' } },
      nested: { $schema: 'x', type: 'object', additionalProperties: { $schema: 'y', type: 'number' } },
      list: { type: 'array', items: { $schema: 'z', type: 'string', enum: ['a'] } },
      choice: { anyOf: [{ $schema: 'w', type: 'string' }, { type: 'null' }] },
    },
    required: ['mode'],
    additionalProperties: false,
    $defs: { D: { $schema: 'v', type: 'integer' } },
  }
  t.strictSame(encodeTools([fn('Edit', { description: 'Edit a file', parameters, strict: true, cacheControl: { type: 'ephemeral' } })]), [{
    functionDeclarations: [{
      name: 'Edit',
      description: 'Edit a file',
      parametersJsonSchema: {
        type: 'object',
        properties: {
          mode: { const: 'fast', description: 'the mode' },
          $schema: { type: 'string', default: { $schema: 'kept, it is data' } },
          nested: { type: 'object', additionalProperties: { type: 'number' } },
          list: { type: 'array', items: { type: 'string', enum: ['a'] } },
          choice: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        },
        required: ['mode'],
        additionalProperties: false,
        $defs: { D: { type: 'integer' } },
      },
    }],
  }])
  t.equal(parameters.$schema, 'http://json-schema.org/draft-07/schema#', 'the client\'s schema is not mutated')
})

t.test('draft-4 tuple items and boolean subschemas survive the walk', async t => {
  t.strictSame(withoutSchemaKeyword({ items: [{ $schema: 'a', type: 'string' }, true], not: false }), { items: [{ type: 'string' }, true], not: false })
})

t.test('one declarations entry; no parameters → none; custom and namespaced tools', async t => {
  t.strictSame(encodeTools([
    fn('now'),
    { kind: 'custom', name: 'apply_patch', description: 'Patch files', format: { type: 'grammar' } },
    fn('read', { namespace: 'fs', parameters: { type: 'object' } }),
  ]), [{
    functionDeclarations: [
      { name: 'now' },
      { name: 'apply_patch', description: 'Patch files', parametersJsonSchema: CUSTOM_TOOL_PARAMETERS },
      { name: 'fs__read', parametersJsonSchema: { type: 'object' } },
    ],
  }])
  t.equal(encodeTools(undefined), undefined)
  t.equal(encodeTools([]), undefined)
  t.throws(() => encodeTools([fn('fs__read'), fn('read', { namespace: 'fs' })]), { code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'tools[1]' })
})

t.test('tool_choice → functionCallingConfig (§6.4); nothing without tools or choice', async t => {
  const tools = [fn('get_weather'), fn('read', { namespace: 'fs' })]
  const config = (toolChoice: CanonicalRequest['toolChoice']) => encodeToolConfig(req({ tools, ...(toolChoice === undefined ? {} : { toolChoice }) }))
  t.strictSame(config({ type: 'auto' }), { functionCallingConfig: { mode: 'AUTO' } })
  t.strictSame(config({ type: 'none' }), { functionCallingConfig: { mode: 'NONE' } })
  t.strictSame(config({ type: 'required' }), { functionCallingConfig: { mode: 'ANY' } })
  t.strictSame(config({ type: 'tool', name: 'get_weather' }), { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } })
  t.strictSame(config({ type: 'tool', name: 'read' }), { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['fs__read'] } })
  t.equal(config(undefined), undefined)
  t.equal(encodeToolConfig(req({ toolChoice: { type: 'required' } })), undefined, 'no tools, no toolConfig')
  t.equal(encodeToolConfig(req({ tools, parallelToolCalls: false })), undefined, 'parallelToolCalls has no Gemini form')
})
