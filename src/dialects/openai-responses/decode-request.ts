// Responses request → CanonicalRequest (PROTOCOLS.md §2.1, §6.1, §6.9, §6.10, §9). `input` is
// decoded in decode-input.ts, tools and tool_choice in decode-tools.ts, reasoning/text/include
// and the stateful fields in decode-settings.ts. Every key is mapped, listed in IGNORED_FIELDS
// with its reason, named per request in `dropped` (accepted but not carried: hosted tools and
// items, extra output asked for by include/top_logprobs, truncation:"auto"), or rejected by path
// (server-side state: conversation, background, prompt; and any key this file does not know).
// Responses has no `stop` parameter (§2.1).
//
// Two entry points. `decodeRequest` (the dialect's, for the mock backend and any path without
// the response store) rejects `previous_response_id` and `item_reference`. `decodeStatefulRequest`
// is the response store's (plugins/handlers/responses-state.ts): it resolves item references
// through the store's items, carries `previous_response_id` and whether the reply is kept
// (`store`), and says which system part came from `instructions` — the store expands the
// conversation afterwards (src/responses-store/expand.ts).
import type { CanonicalMessage, CanonicalRequest, DroppedField, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { ClientOperation } from '../types.js'
import { checkKeys } from '../shared/fields.js'
import {
  expectObject, expectString, isAbsent, optionalBoolean, optionalNumber, optionalPositiveInteger, optionalString,
} from '../shared/json.js'
import { canonicalRequest, pushText } from '../shared/request.js'
import { decodeInput, type ItemLookup } from './decode-input.js'
import { checkUnportable, decodeInclude, decodeReasoning, decodeText } from './decode-settings.js'
import { decodeToolChoice, decodeTools } from './decode-tools.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

export { IGNORED_FIELDS }

const TOP_LEVEL = new Set([
  'model', 'input', 'instructions', 'stream', 'stream_options', 'max_output_tokens', 'temperature', 'top_p', 'tools', 'tool_choice',
  'parallel_tool_calls', 'reasoning', 'text', 'include', 'user', 'safety_identifier', 'previous_response_id', 'conversation',
  'background', 'prompt', 'truncation', 'top_logprobs', 'store',
])
const STREAM_OPTIONS = new Set<string>()

/** What the stateful path learns beyond the canonical request. */
export interface StatefulDecoded {
  /** `previousResponseId` and `store` set; the conversation is the client's input only. */
  readonly request: CanonicalRequest
  /** How many leading `system` parts came from `instructions` (0 or 1); the rest from input messages. */
  readonly instructionParts: number
}

export function decodeRequest (body: unknown, op: ClientOperation): CanonicalRequest {
  return decode(body, op, undefined).request
}

/** The response store's decode: item references resolved through `refs` (see the header). */
export function decodeStatefulRequest (body: unknown, op: ClientOperation, refs: ItemLookup): StatefulDecoded {
  return decode(body, op, refs)
}

function decode (body: unknown, op: ClientOperation, refs: ItemLookup | undefined): StatefulDecoded {
  if (op.operation !== 'responses') throw convertError('operation', op.operation + ' has no canonical form', true)
  const req = expectObject(body, 'body')
  checkKeys(req, '', { known: TOP_LEVEL, ignored: IGNORED_FIELDS, pattern: '' })
  if (!isAbsent(req.stream_options)) {
    checkKeys(expectObject(req.stream_options, 'stream_options'), 'stream_options', { known: STREAM_OPTIONS, ignored: IGNORED_FIELDS, pattern: 'stream_options' })
  }
  const dropped: DroppedField[] = []
  const stateful = refs !== undefined
  checkUnportable(req, dropped, stateful)
  const model = expectString(req.model, 'model')
  // `instructions` comes first in the system prompt, then system/developer input messages.
  const system: TextPart[] = []
  const instructions = optionalString(req.instructions, 'instructions')
  if (instructions !== undefined) pushText(system, instructions)
  const messages: CanonicalMessage[] = []
  const instructionParts = system.length
  decodeInput(req.input, system, messages, dropped, refs)
  const tools = decodeTools(req.tools, dropped)
  const selection = decodeToolChoice(req.tool_choice, tools ?? [])
  const text = decodeText(req.text)
  const store = optionalBoolean(req.store, 'store')
  const request = canonicalRequest(
    { model, system, messages, stream: optionalBoolean(req.stream, 'stream') ?? false },
    {
      maxTokens: optionalPositiveInteger(req.max_output_tokens, 'max_output_tokens'),
      temperature: optionalNumber(req.temperature, 'temperature'),
      topP: optionalNumber(req.top_p, 'top_p'),
      tools: selection.tools ?? tools,
      toolChoice: selection.toolChoice,
      parallelToolCalls: optionalBoolean(req.parallel_tool_calls, 'parallel_tool_calls'),
      reasoning: decodeReasoning(req.reasoning),
      responseFormat: text.responseFormat,
      verbosity: text.verbosity,
      encryptedReasoning: decodeInclude(req.include, dropped),
      // `safety_identifier` replaces the deprecated `user`; the newer field wins when both are sent.
      user: optionalString(req.safety_identifier, 'safety_identifier') ?? optionalString(req.user, 'user'),
      dropped: dropped.length === 0 ? undefined : dropped,
      previousResponseId: stateful ? optionalString(req.previous_response_id, 'previous_response_id') : undefined,
      // Responses keeps replies unless told `store:false` (OpenAI's default is true).
      store: stateful ? store !== false : undefined,
    },
  )
  return { request, instructionParts }
}
