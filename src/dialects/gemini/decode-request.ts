// Gemini generateContent / streamGenerateContent / countTokens body → CanonicalRequest
// (PROTOCOLS.md §4.1, §6.10). The model comes from the path and streaming from the verb.
// Decisions:
// - `cachedContent` names a context cache stored on Google's servers: it has no portable form,
//   and dropping it would silently drop part of the prompt, so it is a 400;
// - countTokens takes `{contents}` or `{generateContentRequest:{model, contents,
//   systemInstruction, tools, toolConfig, generationConfig}}` (not both); the inner `model` is
//   ignored (the path names the model, as for generateContent), and the result never streams.
import type { CanonicalMessage, CanonicalRequest, DroppedField, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { ClientOperation } from '../types.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectObject, fieldPath, isAbsent, type JsonObject } from '../shared/json.js'
import { canonicalRequest } from '../shared/request.js'
import { decodeGenerationConfig } from './client-config.js'
import { field, rules } from './client-fields.js'
import { decodeToolConfig, decodeTools } from './client-tools.js'
import { decodeContents, decodeSystemInstruction } from './decode-content.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

export { IGNORED_FIELDS }

const GENERATE = ['contents', 'systemInstruction', 'generationConfig', 'tools', 'toolConfig', 'cachedContent']
const TOP_LEVEL = rules(GENERATE, '')
/** Inside countTokens' `generateContentRequest`; its IGNORED_FIELDS patterns are the top level's. */
const INNER = rules([...GENERATE, 'model'], '')
const COUNT_TOKENS = rules(['contents', 'generateContentRequest'], '')
const OPERATIONS = new Set(['generate', 'stream-generate', 'count-tokens'])

export function decodeRequest (body: unknown, op: ClientOperation): CanonicalRequest {
  if (!OPERATIONS.has(op.operation)) throw convertError('operation', op.operation + ' has no canonical form', true)
  if (op.pathModel === undefined || op.pathModel === '') throw convertError('model', 'required')
  const req = expectObject(body, 'body')
  if (op.operation !== 'count-tokens') return decodeBody(req, '', TOP_LEVEL, op.pathModel, op.pathStream === true)
  checkKeys(req, '', COUNT_TOKENS)
  const inner = field(req, 'generateContentRequest', 'generate_content_request')
  if (isAbsent(inner)) return decodeBody(req, '', COUNT_TOKENS, op.pathModel, false)
  if (!isAbsent(req.contents)) throw convertError('contents', 'send either contents or generateContentRequest')
  const path = 'generateContentRequest'
  return decodeBody(expectObject(inner, path), path, INNER, op.pathModel, false)
}

/** One generateContent body found at `path` ('' at the top). */
function decodeBody (req: JsonObject, path: string, keys: KeyRules, model: string, stream: boolean): CanonicalRequest {
  checkKeys(req, path, keys)
  const at = (key: string): string => fieldPath(path, key)
  if (!isAbsent(field(req, 'cachedContent', 'cached_content'))) {
    throw convertError(at('cachedContent'), 'names a context cache stored by Gemini, which has no portable form; send the cached contents instead', true)
  }
  const system: TextPart[] = []
  decodeSystemInstruction(field(req, 'systemInstruction', 'system_instruction'), at('systemInstruction'), system)
  const messages: CanonicalMessage[] = []
  decodeContents(req.contents, at('contents'), messages)
  const dropped: DroppedField[] = []
  const declared = decodeTools(req.tools, at('tools'), dropped)
  const selection = decodeToolConfig(field(req, 'toolConfig', 'tool_config'), at('toolConfig'), declared ?? [], dropped)
  return canonicalRequest({ model, system, messages, stream }, {
    ...decodeGenerationConfig(field(req, 'generationConfig', 'generation_config'), at('generationConfig')),
    tools: selection.tools ?? declared,
    toolChoice: selection.toolChoice,
    dropped: dropped.length === 0 ? undefined : dropped,
  })
}
