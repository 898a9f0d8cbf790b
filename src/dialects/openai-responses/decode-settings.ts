// Responses settings → canonical (PROTOCOLS.md §2.1, §6.9, §6.10, §7.23, §9): `reasoning`,
// `text` (format and verbosity), `include`, and the top-level fields that need a decision
// because they name server-side state or output Switchyard cannot produce:
// - `previous_response_id` is carried only on the stateful path (decode-request.ts
//   `decodeStatefulRequest`, used when the gateway's response store expands it); elsewhere it
//   is rejected, as forwarding without the history would silently drop it;
// - `conversation`, `background:true` and `prompt` are rejected: they need state kept on the
//   server (OpenAI conversations, a poll-able background job, stored prompts) that this gateway
//   does not keep;
// - `include` values other than `reasoning.encrypted_content` ask for extra output (logprobs,
//   hosted-tool results, image URLs) no canonical reply carries: accepted, named in `dropped`;
//   unknown values are rejected;
// - `top_logprobs` and `truncation:"auto"` likewise change only what could come back or when
//   an over-long input fails: accepted, named in `dropped`.
import type { DroppedField, ReasoningConfig, ResponseFormat } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import {
  expectArray, expectObject, expectOneOf, expectString, isAbsent, itemPath, optionalBoolean, optionalNumber, optionalString, type JsonObject,
} from '../shared/json.js'
import type { Mutable } from '../shared/request.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const keys = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const REASONING_KEYS = keys(['effort', 'summary', 'generate_summary'], 'reasoning')
const TEXT_KEYS = keys(['format', 'verbosity'], 'text')
const FORMAT_KEYS = keys(['type'], 'text.format')
const SCHEMA_FORMAT_KEYS = keys(['type', 'name', 'schema', 'strict', 'description'], 'text.format')
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const
const SUMMARIES = ['auto', 'concise', 'detailed'] as const
const VERBOSITIES = ['low', 'medium', 'high'] as const
const NO_STORE = 'needs the gateway\'s response store, which serves only requests converted to another backend dialect; send the whole conversation in input'
const NO_CONVERSATIONS = 'OpenAI conversation objects are not kept by this gateway; use previous_response_id or send the whole conversation in input'

/** `include` values other than encrypted reasoning, with why nothing comes back for them. */
const DROPPED_INCLUDES: Readonly<Record<string, string>> = {
  'message.output_text.logprobs': 'logprobs are not carried across dialects',
  'web_search_call.action.sources': 'hosted web search is not carried',
  'web_search_call.results': 'hosted web search is not carried',
  'file_search_call.results': 'hosted file search is not carried',
  'code_interpreter_call.outputs': 'the hosted code interpreter is not carried',
  'computer_call_output.output.image_url': 'computer use is not carried',
  'message.input_image.image_url': 'replies never echo input images',
}

/** §6.9: effort `none` turns reasoning off; `summary` (or the old `generate_summary`) is carried. */
export function decodeReasoning (value: unknown): ReasoningConfig | undefined {
  if (isAbsent(value)) return undefined
  const r = expectObject(value, 'reasoning')
  checkKeys(r, 'reasoning', REASONING_KEYS)
  const effort = isAbsent(r.effort) ? undefined : expectOneOf(r.effort, 'reasoning.effort', EFFORTS)
  const summary = isAbsent(r.summary)
    ? isAbsent(r.generate_summary) ? undefined : expectOneOf(r.generate_summary, 'reasoning.generate_summary', SUMMARIES)
    : expectOneOf(r.summary, 'reasoning.summary', SUMMARIES)
  if (effort === 'none') return { mode: 'off' }
  if (effort === undefined && summary === undefined) return undefined
  const out: Mutable<ReasoningConfig> = { mode: 'on' }
  if (effort !== undefined) out.effort = effort
  if (summary !== undefined) out.summary = summary
  return out
}

export interface TextSettings {
  readonly responseFormat?: ResponseFormat
  readonly verbosity?: 'low' | 'medium' | 'high'
}

/** `text: {format, verbosity}`; the json_schema format is flat in Responses (§6.10). */
export function decodeText (value: unknown): TextSettings {
  if (isAbsent(value)) return {}
  const text = expectObject(value, 'text')
  checkKeys(text, 'text', TEXT_KEYS)
  const out: Mutable<TextSettings> = {}
  if (!isAbsent(text.format)) out.responseFormat = decodeFormat(expectObject(text.format, 'text.format'))
  if (!isAbsent(text.verbosity)) out.verbosity = expectOneOf(text.verbosity, 'text.verbosity', VERBOSITIES)
  return out
}

function decodeFormat (format: JsonObject): ResponseFormat {
  const type = expectOneOf(format.type, 'text.format.type', ['text', 'json_object', 'json_schema'])
  if (type !== 'json_schema') {
    checkKeys(format, 'text.format', FORMAT_KEYS)
    return { type }
  }
  checkKeys(format, 'text.format', SCHEMA_FORMAT_KEYS)
  const out: Mutable<Extract<ResponseFormat, { type: 'json_schema' }>> = { type, schema: expectObject(format.schema, 'text.format.schema') }
  const name = optionalString(format.name, 'text.format.name')
  if (name !== undefined) out.name = name
  const description = optionalString(format.description, 'text.format.description')
  if (description !== undefined) out.description = description
  const strict = optionalBoolean(format.strict, 'text.format.strict')
  if (strict !== undefined) out.strict = strict
  return out
}

/** `include[]`: true when encrypted reasoning is asked for; other known values are dropped. */
export function decodeInclude (value: unknown, dropped: DroppedField[]): boolean | undefined {
  if (isAbsent(value)) return undefined
  const list = expectArray(value, 'include')
  let encrypted: boolean | undefined
  for (let i = 0; i < list.length; i++) {
    const path = itemPath('include', i)
    const include = expectString(list[i], path)
    if (include === 'reasoning.encrypted_content') {
      encrypted = true
      continue
    }
    const reason = DROPPED_INCLUDES[include]
    if (reason === undefined) throw convertError(path, `unknown include value '${include}'`)
    dropped.push({ path, reason })
  }
  return encrypted
}

/**
 * The top-level fields that name server-side state or output the gateway cannot produce.
 * `stateful`: the response store expands `previous_response_id`, so it is accepted.
 */
export function checkUnportable (req: JsonObject, dropped: DroppedField[], stateful: boolean): void {
  if (!isAbsent(req.previous_response_id)) {
    expectString(req.previous_response_id, 'previous_response_id')
    if (!stateful) throw convertError('previous_response_id', NO_STORE, true)
  }
  if (!isAbsent(req.conversation)) throw convertError('conversation', NO_CONVERSATIONS, true)
  if (optionalBoolean(req.background, 'background') === true) {
    throw convertError('background', 'background responses are polled from a job store, which this gateway does not keep; send the request without background', true)
  }
  if (!isAbsent(req.prompt)) {
    throw convertError('prompt', 'stored prompt templates live on OpenAI and cannot be resolved here; send instructions and input instead', true)
  }
  const truncation = isAbsent(req.truncation) ? undefined : expectOneOf(req.truncation, 'truncation', ['auto', 'disabled'])
  if (truncation === 'auto') {
    dropped.push({ path: 'truncation', reason: 'the backend does not drop old items to fit its context window; an over-long input fails instead' })
  }
  const topLogprobs = optionalNumber(req.top_logprobs, 'top_logprobs')
  if (topLogprobs !== undefined && topLogprobs > 0) dropped.push({ path: 'top_logprobs', reason: 'logprobs are not carried across dialects' })
}
