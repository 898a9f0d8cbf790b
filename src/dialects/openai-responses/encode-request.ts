// CanonicalRequest → one `POST /responses` call, for OpenAI and Responses-only backends (the
// Codex endpoint and its mirrors) (PROTOCOLS.md §2.1, §6.1, §6.9, §6.10, §9). Input items are
// encoded in encode-input.ts, tools in encode-tools.ts, reasoning in encode-reasoning.ts.
// The system prompt's place and the `include` list are decided in encode-instructions.ts.
// Choices made here:
// - `store:false` always: Switchyard is stateless toward the backend, so reasoning round-trips
//   through `encrypted_content`, asked for with `include` whenever reasoning is configured, the
//   client asked for it, or the input replays an OpenAI reasoning item. It is not asked for
//   otherwise (OpenAI rejects it for models without reasoning) unless the backend's `include`
//   config names it;
// - `stream` is the canonical request's: the handler sets it for a `forceStream` backend;
// - system text → `instructions`, joined with "\n\n" (§6.1); a backend with configured
//   `instructions` gets those instead and the client's text as a developer message;
// - max tokens → `max_output_tokens`, capped by the backend's `maxOutputTokens`; nothing is sent
//   when the client asked for no limit (no invented default, as the Chat encoder);
// - rejected naming the field, as Responses has no such parameter: `stop` (§2.1: silently
//   ignoring a stop sequence changes the output), `seed`, `presence_penalty`,
//   `frequency_penalty` (the Anthropic encoder rejects the same three for the same reason; the
//   Chat encoder sends them only because Chat has them). `top_k` is dropped: no encoder rejects
//   it (the Anthropic one drops it while thinking) and it only narrows sampling;
// - `tool_choice`/`parallel_tool_calls` go only with a non-empty `tools`, as in the Chat encoder;
// - `user` → `safety_identifier`, which OpenAI documents as the replacement of the deprecated
//   `user`; it allows 64 characters, so a longer id (Claude Code's `metadata.user_id`) is sent as
//   its SHA-256 hex digest, stable per user as OpenAI recommends;
// - a json_schema format without a name gets `response`: OpenAI requires one;
// - streams need no `stream_options`: usage arrives in `response.completed` (§6.8).
import { createHash } from 'node:crypto'
import type { CanonicalRequest, ResponseFormat } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { Mutable } from '../shared/request.js'
import type { BackendOptions, UpstreamCall } from '../types.js'
import { encodeInput } from './encode-input.js'
import { includeList, placeSystem } from './encode-instructions.js'
import { reasoningParam } from './encode-reasoning.js'
import { encodeToolChoice, encodeTools } from './encode-tools.js'
import type { InputItem, ResponsesBody, TextFormatParam, TextParam } from './wire-request.js'

const MAX_SAFETY_IDENTIFIER = 64

function rejectUnsupported (req: CanonicalRequest): void {
  if (req.stop !== undefined && req.stop.length > 0) throw convertError('stop', 'the Responses API has no stop sequences', true)
  if (req.seed !== undefined) throw convertError('seed', 'the Responses API has no seed', true)
  if (req.presencePenalty !== undefined) throw convertError('presence_penalty', 'the Responses API has no presence penalty', true)
  if (req.frequencyPenalty !== undefined) throw convertError('frequency_penalty', 'the Responses API has no frequency penalty', true)
}

export function encodeRequest (request: CanonicalRequest, options: BackendOptions): UpstreamCall {
  rejectUnsupported(request)
  const input = encodeInput(request.messages)
  const placed = placeSystem(request.system, options.instructions)
  const items: readonly InputItem[] = placed.developer === undefined ? input.items : [placed.developer, ...input.items]
  const body: Mutable<ResponsesBody> = { model: options.model, input: items, store: false, stream: request.stream }
  if (placed.instructions !== undefined) body.instructions = placed.instructions
  const tools = request.tools ?? []
  if (tools.length > 0) {
    body.tools = encodeTools(tools)
    if (request.toolChoice !== undefined) body.tool_choice = encodeToolChoice(request.toolChoice, tools)
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls
  }
  const maxTokens = capped(request.maxTokens, options.maxOutputTokens)
  if (maxTokens !== undefined) body.max_output_tokens = maxTokens
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.topP !== undefined) body.top_p = request.topP
  if (request.reasoning !== undefined) body.reasoning = reasoningParam(request.reasoning)
  const reasoningOn = request.reasoning !== undefined && request.reasoning.mode !== 'off'
  const include = includeList(reasoningOn || request.encryptedReasoning === true || input.replaysReasoning, options.include)
  if (include !== undefined) body.include = include
  const text = textParam(request)
  if (text !== undefined) body.text = text
  if (request.user !== undefined) body.safety_identifier = safetyIdentifier(request.user)
  return { method: 'POST', path: '/responses', query: '', body }
}

function capped (asked: number | undefined, cap: number | undefined): number | undefined {
  if (asked === undefined || cap === undefined) return asked
  return Math.min(asked, cap)
}

function textParam (request: CanonicalRequest): TextParam | undefined {
  if (request.responseFormat === undefined && request.verbosity === undefined) return undefined
  const out: Mutable<TextParam> = {}
  if (request.responseFormat !== undefined) out.format = textFormat(request.responseFormat)
  if (request.verbosity !== undefined) out.verbosity = request.verbosity
  return out
}

function textFormat (format: ResponseFormat): TextFormatParam {
  if (format.type !== 'json_schema') return { type: format.type }
  const out: Mutable<Extract<TextFormatParam, { type: 'json_schema' }>> = { type: 'json_schema', name: format.name ?? 'response', schema: format.schema }
  if (format.description !== undefined) out.description = format.description
  if (format.strict !== undefined) out.strict = format.strict
  return out
}

function safetyIdentifier (user: string): string {
  return user.length <= MAX_SAFETY_IDENTIFIER ? user : createHash('sha256').update(user).digest('hex')
}
