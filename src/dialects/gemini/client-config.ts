// Gemini `generationConfig` → canonical settings (PROTOCOLS.md §4.1, §6.9, §6.10). Decisions:
// - sampling fields map 1:1 (`topK`, `seed`, penalties included); `candidateCount` other than 1
//   and `responseModalities` other than TEXT ask for output no canonical reply carries: 400s;
// - `responseMimeType:"application/json"` + `responseSchema` (converted like tool parameters)
//   or `responseJsonSchema` (as it is) → json_schema; the mime type alone → json_object;
//   `text/plain` (Gemini's default) → nothing; any other mime type, or a schema without the
//   JSON mime type, is a 400;
// - `thinkingConfig`: budget 0 → off, -1 → adaptive (Gemini's dynamic thinking), N → on with
//   budgetTokens N (backends derive an effort themselves); `thinkingLevel` → on with that
//   effort; both at once is a 400, as in Gemini. `includeThoughts` → `visible`; alone, `true`
//   means thinking as the model sees fit (adaptive, Gemini's default for thinking models).
import type { ReasoningConfig, ResponseFormat } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys } from '../shared/fields.js'
import {
  expectArray, expectObject, expectOneOf, fieldPath, isAbsent, itemPath, optionalBoolean, optionalNumber, optionalPositiveInteger, optionalString,
  optionalStringList, type JsonObject,
} from '../shared/json.js'
import type { Mutable, RequestOptions } from '../shared/request.js'
import { field, rules } from './client-fields.js'
import { jsonSchema } from './client-schema.js'

const CONFIG_KEYS = rules([
  'maxOutputTokens', 'temperature', 'topP', 'topK', 'stopSequences', 'candidateCount', 'seed', 'presencePenalty', 'frequencyPenalty',
  'responseMimeType', 'responseSchema', 'responseJsonSchema', 'thinkingConfig', 'responseModalities',
], 'generationConfig')
const THINKING_KEYS = rules(['thinkingBudget', 'thinkingLevel', 'includeThoughts'], 'generationConfig.thinkingConfig')
const LEVELS = ['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH'] as const

type Settings = Pick<RequestOptions, 'maxTokens' | 'temperature' | 'topP' | 'topK' | 'stop' | 'seed' | 'presencePenalty' | 'frequencyPenalty' | 'responseFormat' | 'reasoning'>

/** `path` is where `generationConfig` sits. */
export function decodeGenerationConfig (value: unknown, path: string): Settings {
  if (isAbsent(value)) return {}
  const config: JsonObject = expectObject(value, path)
  checkKeys(config, path, CONFIG_KEYS)
  const at = (key: string): string => fieldPath(path, key)
  const candidates = optionalPositiveInteger(field(config, 'candidateCount', 'candidate_count'), at('candidateCount'))
  if (candidates !== undefined && candidates !== 1) throw convertError(at('candidateCount'), 'values other than 1 are not supported yet', true)
  checkModalities(field(config, 'responseModalities', 'response_modalities'), at('responseModalities'))
  return {
    maxTokens: optionalPositiveInteger(field(config, 'maxOutputTokens', 'max_output_tokens'), at('maxOutputTokens')),
    temperature: optionalNumber(config.temperature, at('temperature')),
    topP: optionalNumber(field(config, 'topP', 'top_p'), at('topP')),
    topK: optionalNumber(field(config, 'topK', 'top_k'), at('topK')),
    stop: optionalStringList(field(config, 'stopSequences', 'stop_sequences'), at('stopSequences')),
    seed: optionalInteger(config.seed, at('seed')),
    presencePenalty: optionalNumber(field(config, 'presencePenalty', 'presence_penalty'), at('presencePenalty')),
    frequencyPenalty: optionalNumber(field(config, 'frequencyPenalty', 'frequency_penalty'), at('frequencyPenalty')),
    responseFormat: responseFormat(config, path),
    reasoning: thinking(field(config, 'thinkingConfig', 'thinking_config'), at('thinkingConfig')),
  }
}

function optionalInteger (value: unknown, path: string): number | undefined {
  const n = optionalNumber(value, path)
  if (n !== undefined && !Number.isInteger(n)) throw convertError(path, 'must be an integer')
  return n
}

function checkModalities (value: unknown, path: string): void {
  if (isAbsent(value)) return
  const list = expectArray(value, path)
  for (let i = 0; i < list.length; i++) {
    if (expectOneOf(list[i], itemPath(path, i), ['TEXT', 'IMAGE', 'AUDIO']) !== 'TEXT') {
      throw convertError(itemPath(path, i), 'only TEXT output can be produced through a non-Gemini backend', true)
    }
  }
}

function responseFormat (config: JsonObject, path: string): ResponseFormat | undefined {
  const mimePath = fieldPath(path, 'responseMimeType')
  const mime = optionalString(field(config, 'responseMimeType', 'response_mime_type'), mimePath)
  const schema = field(config, 'responseSchema', 'response_schema')
  const full = field(config, 'responseJsonSchema', 'response_json_schema')
  const schemaKey = isAbsent(schema) ? isAbsent(full) ? undefined : 'responseJsonSchema' : 'responseSchema'
  if (!isAbsent(schema) && !isAbsent(full)) throw convertError(fieldPath(path, 'responseJsonSchema'), 'send either responseSchema or responseJsonSchema')
  if (mime === undefined || mime === 'text/plain') {
    if (schemaKey !== undefined) throw convertError(fieldPath(path, schemaKey), 'needs responseMimeType "application/json"')
    return undefined
  }
  if (mime !== 'application/json') throw convertError(mimePath, `'${mime}' is not supported; use application/json or text/plain`, true)
  if (!isAbsent(schema)) return { type: 'json_schema', schema: jsonSchema(schema, fieldPath(path, 'responseSchema')) }
  if (!isAbsent(full)) return { type: 'json_schema', schema: expectObject(full, fieldPath(path, 'responseJsonSchema')) }
  return { type: 'json_object' }
}

function thinking (value: unknown, path: string): ReasoningConfig | undefined {
  if (isAbsent(value)) return undefined
  const config = expectObject(value, path)
  checkKeys(config, path, THINKING_KEYS)
  const budgetPath = fieldPath(path, 'thinkingBudget')
  const budget = optionalInteger(field(config, 'thinkingBudget', 'thinking_budget'), budgetPath)
  const levelValue = field(config, 'thinkingLevel', 'thinking_level')
  const level = isAbsent(levelValue) ? undefined : expectOneOf(levelValue, fieldPath(path, 'thinkingLevel'), LEVELS)
  const visible = optionalBoolean(field(config, 'includeThoughts', 'include_thoughts'), fieldPath(path, 'includeThoughts'))
  const effort = level === undefined || level === 'THINKING_LEVEL_UNSPECIFIED' ? undefined : level.toLowerCase() as 'minimal' | 'low' | 'medium' | 'high'
  if (budget !== undefined && effort !== undefined) throw convertError(fieldPath(path, 'thinkingLevel'), 'send either thinkingBudget or thinkingLevel')
  let out: Mutable<ReasoningConfig>
  if (budget !== undefined) {
    if (budget < -1) throw convertError(budgetPath, 'must be -1, 0 or a positive integer')
    out = budget === 0 ? { mode: 'off' } : budget === -1 ? { mode: 'adaptive' } : { mode: 'on', budgetTokens: budget }
  } else if (effort !== undefined) {
    out = { mode: 'on', effort }
  } else if (visible === true) {
    out = { mode: 'adaptive' }
  } else {
    return undefined
  }
  if (visible !== undefined) out.visible = visible
  return out
}
