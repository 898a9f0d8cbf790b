// Gemini generateContent / streamGenerateContent / countTokens body → CanonicalRequest
// (PROTOCOLS.md §4.1, §6.10). The model comes from the path and streaming from the verb.
// Not yet mapped (rejected as "not supported yet", by path): tools, toolConfig, cachedContent,
// countTokens' `generateContentRequest`, and in generationConfig: topK, seed, presence/
// frequencyPenalty, responseMimeType/Schema/JsonSchema, thinkingConfig, responseModalities,
// responseLogprobs/logprobs, speechConfig, mediaResolution, candidateCount > 1.
import type { CanonicalMessage, CanonicalRequest, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { ClientOperation } from '../types.js'
import { checkKeys } from '../shared/fields.js'
import { expectObject, isAbsent, optionalNumber, optionalPositiveInteger, optionalStringList, type JsonObject } from '../shared/json.js'
import { canonicalRequest, type RequestOptions } from '../shared/request.js'
import { decodeContents, decodeSystemInstruction, field, rules } from './decode-content.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

export { IGNORED_FIELDS }

const TOP_LEVEL = rules(['contents', 'systemInstruction', 'generationConfig'], '')
const GENERATION_CONFIG = rules(['maxOutputTokens', 'temperature', 'topP', 'stopSequences', 'candidateCount'], 'generationConfig')
const OPERATIONS = new Set(['generate', 'stream-generate', 'count-tokens'])

export function decodeRequest (body: unknown, op: ClientOperation): CanonicalRequest {
  if (!OPERATIONS.has(op.operation)) throw convertError('operation', op.operation + ' has no canonical form', true)
  if (op.pathModel === undefined || op.pathModel === '') throw convertError('model', 'required')
  const req = expectObject(body, 'body')
  checkKeys(req, '', TOP_LEVEL)
  const system: TextPart[] = []
  decodeSystemInstruction(field(req, 'systemInstruction', 'system_instruction'), system)
  const messages: CanonicalMessage[] = []
  decodeContents(req.contents, messages)
  return canonicalRequest(
    { model: op.pathModel, system, messages, stream: op.pathStream === true },
    decodeGenerationConfig(field(req, 'generationConfig', 'generation_config')),
  )
}

function decodeGenerationConfig (value: unknown): RequestOptions {
  if (isAbsent(value)) return {}
  const path = 'generationConfig'
  const config: JsonObject = expectObject(value, path)
  checkKeys(config, path, GENERATION_CONFIG)
  const candidates = optionalPositiveInteger(field(config, 'candidateCount', 'candidate_count'), path + '.candidateCount')
  if (candidates !== undefined && candidates !== 1) {
    throw convertError(path + '.candidateCount', 'values other than 1 are not supported yet', true)
  }
  return {
    maxTokens: optionalPositiveInteger(field(config, 'maxOutputTokens', 'max_output_tokens'), path + '.maxOutputTokens'),
    temperature: optionalNumber(config.temperature, path + '.temperature'),
    topP: optionalNumber(field(config, 'topP', 'top_p'), path + '.topP'),
    stop: optionalStringList(field(config, 'stopSequences', 'stop_sequences'), path + '.stopSequences'),
  }
}
