// Responses request → CanonicalRequest (PROTOCOLS.md §2.1, §6.1, §6.10); `input` is decoded in
// decode-input.ts. Not yet mapped (rejected as "not supported yet", by path): tools,
// tool_choice, reasoning, text (format/verbosity), include, previous_response_id,
// conversation, background, max_tool_calls, top_logprobs, prompt, truncation, and any key this
// file does not know. Responses has no `stop` parameter (§2.1).
import type { CanonicalMessage, CanonicalRequest, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { ClientOperation } from '../types.js'
import { checkKeys } from '../shared/fields.js'
import {
  expectObject, expectString, isAbsent, optionalBoolean, optionalNumber, optionalPositiveInteger, optionalString,
} from '../shared/json.js'
import { canonicalRequest, pushText } from '../shared/request.js'
import { decodeInput } from './decode-input.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

export { IGNORED_FIELDS }

const TOP_LEVEL = new Set(['model', 'input', 'instructions', 'stream', 'stream_options', 'max_output_tokens', 'temperature', 'top_p'])
const STREAM_OPTIONS = new Set<string>()

export function decodeRequest (body: unknown, op: ClientOperation): CanonicalRequest {
  if (op.operation !== 'responses') throw convertError('operation', op.operation + ' has no canonical form', true)
  const req = expectObject(body, 'body')
  checkKeys(req, '', { known: TOP_LEVEL, ignored: IGNORED_FIELDS, pattern: '' })
  if (!isAbsent(req.stream_options)) {
    checkKeys(expectObject(req.stream_options, 'stream_options'), 'stream_options', { known: STREAM_OPTIONS, ignored: IGNORED_FIELDS, pattern: 'stream_options' })
  }
  const model = expectString(req.model, 'model')
  // `instructions` comes first in the system prompt, then system/developer input messages.
  const system: TextPart[] = []
  const instructions = optionalString(req.instructions, 'instructions')
  if (instructions !== undefined) pushText(system, instructions)
  const messages: CanonicalMessage[] = []
  decodeInput(req.input, system, messages)
  return canonicalRequest(
    { model, system, messages, stream: optionalBoolean(req.stream, 'stream') ?? false },
    {
      maxTokens: optionalPositiveInteger(req.max_output_tokens, 'max_output_tokens'),
      temperature: optionalNumber(req.temperature, 'temperature'),
      topP: optionalNumber(req.top_p, 'top_p'),
    },
  )
}
