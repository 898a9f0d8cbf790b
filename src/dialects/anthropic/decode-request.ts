// Anthropic Messages request → CanonicalRequest (PROTOCOLS.md §3.1, §6.1, §6.3, §6.4, §6.9,
// §6.10); content blocks are decoded in decode-content.ts, tools in decode-tools.ts, thinking
// and output settings in decode-settings.ts. `max_tokens` is required for `messages` (not for
// `count-tokens`). `role:"system"` messages (allowed by SDK ≥1.x types) join the system prompt
// after top-level `system`, in order. Every key is mapped, listed in IGNORED_FIELDS with its
// reason, or rejected by path as unsupported (STYLE.md §2.4).
import type { CanonicalMessage, CanonicalRequest, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { ClientOperation } from '../types.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import {
  expectArray, expectObject, expectOneOf, expectString, fieldPath, itemPath, optionalBoolean, optionalNumber,
  optionalPositiveInteger, optionalStringList,
} from '../shared/json.js'
import { canonicalRequest, type Mutable } from '../shared/request.js'
import { decodeAssistantContent, decodeSystem, decodeSystemContent, decodeUserContent } from './decode-content.js'
import { decodeOutputConfig, decodeReasoning, decodeUser } from './decode-settings.js'
import { decodeToolChoice, decodeTools } from './decode-tools.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

export { IGNORED_FIELDS }


const ROLES = ['user', 'assistant', 'system'] as const
const TOP_LEVEL: KeyRules = {
  known: new Set([
    'model', 'max_tokens', 'messages', 'system', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences',
    'tools', 'tool_choice', 'thinking', 'output_config', 'output_format', 'metadata',
  ]),
  ignored: IGNORED_FIELDS,
  pattern: '',
}
const MESSAGE_KEYS: KeyRules = { known: new Set(['role', 'content']), ignored: IGNORED_FIELDS, pattern: 'messages[]' }

export function decodeRequest (body: unknown, op: ClientOperation): CanonicalRequest {
  if (op.operation !== 'messages' && op.operation !== 'count-tokens') {
    throw convertError('operation', op.operation + ' has no canonical form', true)
  }
  const req = expectObject(body, 'body')
  checkKeys(req, '', TOP_LEVEL)
  const model = expectString(req.model, 'model')
  const maxTokens = optionalPositiveInteger(req.max_tokens, 'max_tokens')
  if (maxTokens === undefined && op.operation === 'messages') throw convertError('max_tokens', 'required')
  const system: TextPart[] = []
  decodeSystem(req.system, system)
  const messages: CanonicalMessage[] = []
  const list = expectArray(req.messages, 'messages')
  for (let i = 0; i < list.length; i++) decodeMessage(list[i], itemPath('messages', i), system, messages)
  const out: Mutable<CanonicalRequest> = canonicalRequest(
    { model, system, messages, stream: optionalBoolean(req.stream, 'stream') ?? false },
    {
      maxTokens,
      temperature: optionalNumber(req.temperature, 'temperature'),
      topP: optionalNumber(req.top_p, 'top_p'),
      stop: optionalStringList(req.stop_sequences, 'stop_sequences'),
    },
  )
  decodeExtras(req, out)
  return out
}

/** The fields `canonicalRequest` does not cover, set only when present (absent stays absent). */
function decodeExtras (req: Readonly<Record<string, unknown>>, out: Mutable<CanonicalRequest>): void {
  const topK = optionalPositiveInteger(req.top_k, 'top_k')
  if (topK !== undefined) out.topK = topK
  const tools = decodeTools(req.tools)
  if (tools !== undefined) out.tools = tools
  const choice = decodeToolChoice(req.tool_choice)
  if (choice.toolChoice !== undefined) out.toolChoice = choice.toolChoice
  if (choice.parallelToolCalls !== undefined) out.parallelToolCalls = choice.parallelToolCalls
  const output = decodeOutputConfig(req.output_config, req.output_format)
  const reasoning = decodeReasoning(req.thinking, output.effort)
  if (reasoning !== undefined) out.reasoning = reasoning
  if (output.responseFormat !== undefined) out.responseFormat = output.responseFormat
  const user = decodeUser(req.metadata)
  if (user !== undefined) out.user = user
}

function decodeMessage (value: unknown, path: string, system: TextPart[], messages: CanonicalMessage[]): void {
  const m = expectObject(value, path)
  checkKeys(m, path, MESSAGE_KEYS)
  const role = expectOneOf(m.role, fieldPath(path, 'role'), ROLES)
  const content = fieldPath(path, 'content')
  if (role === 'system') return decodeSystemContent(m.content, content, 'messages[].content[]', system)
  if (role === 'user') messages.push({ role, parts: decodeUserContent(m.content, content) })
  else messages.push({ role, parts: decodeAssistantContent(m.content, content) })
}
