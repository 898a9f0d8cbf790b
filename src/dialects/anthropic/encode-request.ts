// CanonicalRequest → Anthropic Messages call, for an Anthropic backend (PROTOCOLS.md §3.1,
// §6.1, §6.10). Messages are encoded in encode-messages.ts, tools in encode-tools.ts, thinking
// and sampling in encode-thinking.ts. The caller adds `anthropic-version` and credentials.
// Not representable, so rejected naming the field: `seed`, `presence_penalty`,
// `frequency_penalty`. `json_object` output has no Anthropic switch: it becomes a final system
// instruction, as §6.10 prescribes (a `json_schema` format maps to `output_config.format`).
// `verbosity` (OpenAI's answer-length hint) is not sent: Anthropic has no such knob, and the hint
// does not change what a valid reply is (its effort setting is about thinking, not length).
import type { CanonicalRequest } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { BackendOptions, UpstreamCall } from '../types.js'
import { withWireCache } from './cache-control.js'
import { encodeMessages } from './encode-messages.js'
import { sampling } from './encode-thinking.js'
import { encodeToolChoice, encodeTools } from './encode-tools.js'
import type { CountTokensBody, MessagesBody, OutputConfig, TextBlock } from './wire-request.js'
import type { Mutable } from '../shared/request.js'


export const JSON_OBJECT_INSTRUCTION = 'Respond with a single valid JSON object and nothing else.'

function rejectUnsupported (req: CanonicalRequest): void {
  if (req.seed !== undefined) throw convertError('seed', 'Anthropic has no seed', true)
  if (req.presencePenalty !== undefined) throw convertError('presence_penalty', 'Anthropic has no presence penalty', true)
  if (req.frequencyPenalty !== undefined) throw convertError('frequency_penalty', 'Anthropic has no frequency penalty', true)
}

function encodeSystem (req: CanonicalRequest): TextBlock[] | undefined {
  const out: TextBlock[] = []
  for (const p of req.system) if (p.text !== '') out.push(withWireCache<TextBlock>({ type: 'text', text: p.text }, p.cacheControl))
  if (req.responseFormat?.type === 'json_object') out.push({ type: 'text', text: JSON_OBJECT_INSTRUCTION })
  return out.length === 0 ? undefined : out
}

function outputConfig (req: CanonicalRequest, effort: string | undefined): OutputConfig | undefined {
  const format = req.responseFormat?.type === 'json_schema' ? { type: 'json_schema' as const, schema: req.responseFormat.schema } : undefined
  if (effort === undefined && format === undefined) return undefined
  const out: Mutable<OutputConfig> = {}
  if (effort !== undefined) out.effort = effort
  if (format !== undefined) out.format = format
  return out
}

export function messagesBody (req: CanonicalRequest, options: BackendOptions): MessagesBody {
  rejectUnsupported(req)
  const s = sampling(req, options)
  const thinking = s.thinking !== undefined && s.thinking.type !== 'disabled'
  const body: Mutable<MessagesBody> = { model: options.model, max_tokens: s.max_tokens, messages: encodeMessages(req.messages), stream: req.stream }
  const system = encodeSystem(req)
  if (system !== undefined) body.system = system
  const tools = encodeTools(req.tools)
  if (tools !== undefined) body.tools = tools
  const toolChoice = encodeToolChoice(req, thinking)
  if (toolChoice !== undefined) body.tool_choice = toolChoice
  if (s.thinking !== undefined) body.thinking = s.thinking
  const output = outputConfig(req, s.effort)
  if (output !== undefined) body.output_config = output
  if (s.temperature !== undefined) body.temperature = s.temperature
  if (s.top_p !== undefined) body.top_p = s.top_p
  if (s.top_k !== undefined) body.top_k = s.top_k
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = req.stop
  if (req.user !== undefined) body.metadata = { user_id: req.user }
  return body
}

export function encodeRequest (req: CanonicalRequest, options: BackendOptions): UpstreamCall {
  return { method: 'POST', path: '/messages', query: '', body: messagesBody(req, options) }
}

/** `count_tokens` takes the prompt-shaping subset of a messages body (§3.2, §7.15). */
export function countTokens (req: CanonicalRequest, options: BackendOptions): UpstreamCall {
  const full = messagesBody(req, options)
  const body: Mutable<CountTokensBody> = { model: full.model, messages: full.messages }
  if (full.system !== undefined) body.system = full.system
  if (full.tools !== undefined) body.tools = full.tools
  if (full.tool_choice !== undefined) body.tool_choice = full.tool_choice
  if (full.thinking !== undefined) body.thinking = full.thinking
  return { method: 'POST', path: '/messages/count_tokens', query: '', body }
}
