// CanonicalRequest → a Chat Completions call (PROTOCOLS.md §1.1, §6.9, §6.10, §6.12). Messages
// are encoded in encode-messages.ts, tools in encode-tools.ts. Choices made here:
// - max tokens → `max_completion_tokens`, capped by the backend's `maxOutputTokens`; nothing is
//   sent when the client asked for no limit (no invented default);
// - `top_k` is sent although OpenAI itself rejects it: the Chat-compatible servers that are the
//   reason to route a top_k request here (vLLM, Ollama, OpenRouter, llama.cpp) accept it;
// - `tool_choice`/`parallel_tool_calls` go only with a non-empty `tools` (OpenAI rejects them alone);
// - reasoning → `reasoning_effort`: off → `none`, a budget → its effort (§6.9 table), adaptive →
//   omitted (the model decides); `summary`/`visible` have no Chat knob;
// - a json_schema format without a name gets `response`: Chat requires one;
// - `verbosity` → Chat's top-level `verbosity` (same words, §1.1);
// - streaming always asks for the usage chunk (§6.12), whatever the client asked.
import type { CanonicalRequest, ReasoningConfig, ResponseFormat } from '../../canonical/request.js'
import type { BackendOptions, UpstreamCall } from '../types.js'
import { effortForBudget } from '../shared/reasoning.js'
import { encodeMessages } from './encode-messages.js'
import { encodeToolChoice, encodeTools } from './encode-tools.js'

export function encodeRequest (request: CanonicalRequest, options: BackendOptions): UpstreamCall {
  const body: Record<string, unknown> = { model: options.model, messages: encodeMessages(request.system, request.messages) }
  if (request.stream) {
    body.stream = true
    body.stream_options = { include_usage: true }
  }
  const maxTokens = capped(request.maxTokens, options.maxOutputTokens)
  if (maxTokens !== undefined) body.max_completion_tokens = maxTokens
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.topP !== undefined) body.top_p = request.topP
  if (request.topK !== undefined) body.top_k = request.topK
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop
  if (request.seed !== undefined) body.seed = request.seed
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = encodeTools(request.tools)
    if (request.toolChoice !== undefined) body.tool_choice = encodeToolChoice(request.toolChoice, request.tools)
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls
  }
  const effort = request.reasoning === undefined ? undefined : reasoningEffort(request.reasoning)
  if (effort !== undefined) body.reasoning_effort = effort
  if (request.responseFormat !== undefined) body.response_format = responseFormat(request.responseFormat)
  if (request.verbosity !== undefined) body.verbosity = request.verbosity
  if (request.user !== undefined) body.user = request.user
  return { method: 'POST', path: '/chat/completions', query: '', body }
}

function capped (asked: number | undefined, cap: number | undefined): number | undefined {
  if (asked === undefined || cap === undefined) return asked
  return Math.min(asked, cap)
}

function reasoningEffort (reasoning: ReasoningConfig): string | undefined {
  if (reasoning.mode === 'off') return 'none'
  if (reasoning.mode === 'adaptive') return undefined
  if (reasoning.effort !== undefined) return reasoning.effort
  return reasoning.budgetTokens === undefined ? undefined : effortForBudget(reasoning.budgetTokens)
}

function responseFormat (format: ResponseFormat): unknown {
  if (format.type !== 'json_schema') return { type: format.type }
  const spec: Record<string, unknown> = { name: format.name ?? 'response', schema: format.schema }
  if (format.description !== undefined) spec.description = format.description
  if (format.strict !== undefined) spec.strict = format.strict
  return { type: 'json_schema', json_schema: spec }
}
