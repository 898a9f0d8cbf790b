// Chat Completions request → CanonicalRequest (PROTOCOLS.md §1.1, §6.1, §6.9, §6.10). Messages
// are decoded in decode-messages.ts, tools in decode-tools.ts. Every key is mapped, listed in
// IGNORED_FIELDS with its reason, or rejected as "not supported yet" by path: `n` > 1,
// `functions`/`function_call`, `logprobs`, `logit_bias`, `verbosity`, `modalities`, `audio`,
// `prediction`, `web_search_options` and any key this file does not know.
import type { CanonicalMessage, CanonicalRequest, ReasoningConfig, ResponseFormat, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { ClientOperation } from '../types.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import {
  expectArray, expectObject, expectOneOf, expectString, isAbsent, itemPath, optionalBoolean, optionalNumber,
  optionalPositiveInteger, optionalString, type JsonObject,
} from '../shared/json.js'
import { decodeMessages } from './decode-messages.js'
import { decodeToolChoice, decodeTools } from './decode-tools.js'
import { IGNORED_FIELDS } from './ignored-fields.js'
import type { Mutable } from '../shared/request.js'

export { IGNORED_FIELDS }


const TOP_LEVEL = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_completion_tokens', 'max_tokens', 'temperature', 'top_p', 'stop', 'n',
  'seed', 'presence_penalty', 'frequency_penalty', 'tools', 'tool_choice', 'parallel_tool_calls', 'reasoning_effort',
  'response_format', 'user', 'safety_identifier',
])
const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const STREAM_OPTIONS_KEYS = rules(['include_usage'], 'stream_options')
const FORMAT_KEYS = rules(['type'], 'response_format')
const SCHEMA_FORMAT_KEYS = rules(['type', 'json_schema'], 'response_format')
const JSON_SCHEMA_KEYS = rules(['name', 'schema', 'strict', 'description'], 'response_format.json_schema')
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const

export function decodeRequest (body: unknown, op: ClientOperation): CanonicalRequest {
  if (op.operation !== 'chat') throw convertError('operation', op.operation + ' has no canonical form', true)
  const req = expectObject(body, 'body')
  checkKeys(req, '', { known: TOP_LEVEL, ignored: IGNORED_FIELDS, pattern: '' })
  const model = expectString(req.model, 'model')
  const system: TextPart[] = []
  const messages: CanonicalMessage[] = []
  decodeMessages(expectArray(req.messages, 'messages'), system, messages)
  rejectManyChoices(req.n)
  const out: Mutable<CanonicalRequest> = { model, system, messages, stream: optionalBoolean(req.stream, 'stream') ?? false }
  // `max_tokens` is the legacy spelling of `max_completion_tokens` (§1.1).
  const maxTokens = optionalPositiveInteger(req.max_completion_tokens, 'max_completion_tokens') ??
    optionalPositiveInteger(req.max_tokens, 'max_tokens')
  if (maxTokens !== undefined) out.maxTokens = maxTokens
  decodeSampling(req, out)
  const stop = decodeStop(req.stop)
  if (stop !== undefined) out.stop = stop
  const tools = decodeTools(req.tools)
  if (tools !== undefined) out.tools = tools
  const toolChoice = decodeToolChoice(req.tool_choice)
  if (toolChoice !== undefined) out.toolChoice = toolChoice
  const parallel = optionalBoolean(req.parallel_tool_calls, 'parallel_tool_calls')
  if (parallel !== undefined) out.parallelToolCalls = parallel
  const reasoning = decodeReasoning(req.reasoning_effort)
  if (reasoning !== undefined) out.reasoning = reasoning
  const format = decodeResponseFormat(req.response_format)
  if (format !== undefined) out.responseFormat = format
  // `safety_identifier` replaces the deprecated `user`; the newer field wins when both are sent.
  const user = optionalString(req.safety_identifier, 'safety_identifier') ?? optionalString(req.user, 'user')
  if (user !== undefined) out.user = user
  const includeUsage = decodeIncludeUsage(req.stream_options)
  if (includeUsage !== undefined) out.includeUsage = includeUsage
  return out
}

function decodeSampling (req: JsonObject, out: Mutable<CanonicalRequest>): void {
  const temperature = optionalNumber(req.temperature, 'temperature')
  if (temperature !== undefined) out.temperature = temperature
  const topP = optionalNumber(req.top_p, 'top_p')
  if (topP !== undefined) out.topP = topP
  const seed = optionalNumber(req.seed, 'seed')
  if (seed !== undefined && !Number.isInteger(seed)) throw convertError('seed', 'must be an integer')
  if (seed !== undefined) out.seed = seed
  const presence = optionalNumber(req.presence_penalty, 'presence_penalty')
  if (presence !== undefined) out.presencePenalty = presence
  const frequency = optionalNumber(req.frequency_penalty, 'frequency_penalty')
  if (frequency !== undefined) out.frequencyPenalty = frequency
}

/** `stop`: a string or a list of strings (§1.1). */
function decodeStop (value: unknown): readonly string[] | undefined {
  if (isAbsent(value)) return undefined
  if (typeof value === 'string') return [value]
  const list = expectArray(value, 'stop')
  for (let i = 0; i < list.length; i++) expectString(list[i], itemPath('stop', i))
  return list as readonly string[]
}

/** §6.9: `none` turns reasoning off; any other word is an effort. */
function decodeReasoning (value: unknown): ReasoningConfig | undefined {
  if (isAbsent(value)) return undefined
  const effort = expectOneOf(value, 'reasoning_effort', EFFORTS)
  return effort === 'none' ? { mode: 'off' } : { mode: 'on', effort }
}

/** §6.10: text, json_object, or json_schema with its schema, name, strict and description. */
function decodeResponseFormat (value: unknown): ResponseFormat | undefined {
  if (isAbsent(value)) return undefined
  const format = expectObject(value, 'response_format')
  const type = expectOneOf(format.type, 'response_format.type', ['text', 'json_object', 'json_schema'])
  if (type !== 'json_schema') {
    checkKeys(format, 'response_format', FORMAT_KEYS)
    return { type }
  }
  checkKeys(format, 'response_format', SCHEMA_FORMAT_KEYS)
  const spec = expectObject(format.json_schema, 'response_format.json_schema')
  checkKeys(spec, 'response_format.json_schema', JSON_SCHEMA_KEYS)
  const out: Mutable<Extract<ResponseFormat, { type: 'json_schema' }>> = {
    type,
    schema: expectObject(spec.schema, 'response_format.json_schema.schema'),
    name: expectString(spec.name, 'response_format.json_schema.name'),
  }
  const strict = optionalBoolean(spec.strict, 'response_format.json_schema.strict')
  if (strict !== undefined) out.strict = strict
  const description = optionalString(spec.description, 'response_format.json_schema.description')
  if (description !== undefined) out.description = description
  return out
}

function decodeIncludeUsage (value: unknown): boolean | undefined {
  if (isAbsent(value)) return undefined
  const options = expectObject(value, 'stream_options')
  checkKeys(options, 'stream_options', STREAM_OPTIONS_KEYS)
  return optionalBoolean(options.include_usage, 'stream_options.include_usage')
}

/** `n: 1` is the default; several choices have no canonical form. */
function rejectManyChoices (value: unknown): void {
  const n = optionalPositiveInteger(value, 'n')
  if (n !== undefined && n !== 1) throw convertError('n', 'values other than 1 are not supported yet', true)
}
