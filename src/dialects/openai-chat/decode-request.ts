// Chat Completions request → CanonicalRequest (PROTOCOLS.md §1.1, §6.1, §6.10). Messages are
// decoded in decode-messages.ts. Not yet mapped (rejected as "not supported yet", by path):
// tools, tool_choice, functions, function_call, response_format, reasoning_effort, verbosity,
// n > 1, logprobs, top_logprobs, logit_bias, presence/frequency_penalty, seed, modalities, audio,
// prediction, web_search_options, and any key this file does not know.
import type { CanonicalMessage, CanonicalRequest, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { ClientOperation } from '../types.js'
import { checkKeys } from '../shared/fields.js'
import {
  expectArray, expectObject, expectString, isAbsent, itemPath, optionalBoolean, optionalNumber,
  optionalPositiveInteger, type JsonObject,
} from '../shared/json.js'
import { canonicalRequest } from '../shared/request.js'
import { decodeMessage } from './decode-messages.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

export { IGNORED_FIELDS }

const TOP_LEVEL = new Set(['model', 'messages', 'stream', 'stream_options', 'max_completion_tokens', 'max_tokens', 'temperature', 'top_p', 'stop', 'n'])
const STREAM_OPTIONS = new Set(['include_usage'])

export function decodeRequest (body: unknown, op: ClientOperation): CanonicalRequest {
  if (op.operation !== 'chat') throw convertError('operation', op.operation + ' has no canonical form', true)
  const req = expectObject(body, 'body')
  checkKeys(req, '', { known: TOP_LEVEL, ignored: IGNORED_FIELDS, pattern: '' })
  const model = expectString(req.model, 'model')
  const system: TextPart[] = []
  const messages: CanonicalMessage[] = []
  const list = expectArray(req.messages, 'messages')
  for (let i = 0; i < list.length; i++) decodeMessage(list[i], itemPath('messages', i), system, messages)
  rejectManyChoices(req.n)
  return canonicalRequest(
    { model, system, messages, stream: optionalBoolean(req.stream, 'stream') ?? false },
    {
      // `max_tokens` is the legacy spelling of `max_completion_tokens` (§1.1).
      maxTokens: optionalPositiveInteger(req.max_completion_tokens, 'max_completion_tokens') ??
        optionalPositiveInteger(req.max_tokens, 'max_tokens'),
      temperature: optionalNumber(req.temperature, 'temperature'),
      topP: optionalNumber(req.top_p, 'top_p'),
      stop: decodeStop(req.stop),
      includeUsage: decodeIncludeUsage(req.stream_options),
    },
  )
}

/** `stop`: a string or a list of strings (§1.1). */
function decodeStop (value: unknown): readonly string[] | undefined {
  if (isAbsent(value)) return undefined
  if (typeof value === 'string') return [value]
  const list = expectArray(value, 'stop')
  for (let i = 0; i < list.length; i++) expectString(list[i], itemPath('stop', i))
  return list as readonly string[]
}

function decodeIncludeUsage (value: unknown): boolean | undefined {
  if (isAbsent(value)) return undefined
  const options: JsonObject = expectObject(value, 'stream_options')
  checkKeys(options, 'stream_options', { known: STREAM_OPTIONS, ignored: IGNORED_FIELDS, pattern: 'stream_options' })
  return optionalBoolean(options.include_usage, 'stream_options.include_usage')
}

/** `n: 1` is the default; several choices have no canonical form. */
function rejectManyChoices (value: unknown): void {
  const n = optionalPositiveInteger(value, 'n')
  if (n !== undefined && n !== 1) throw convertError('n', 'values other than 1 are not supported yet', true)
}
