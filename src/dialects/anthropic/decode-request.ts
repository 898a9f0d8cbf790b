// Anthropic Messages request → CanonicalRequest (PROTOCOLS.md §3.1, §6.1, §6.10); content
// blocks are decoded in decode-content.ts. `max_tokens` is required for `messages` (not for
// `count-tokens`). `role:"system"` messages (allowed by SDK ≥1.x types) join the system prompt
// after top-level `system`, in order. Not yet mapped (rejected as "not supported yet", by path):
// tools, tool_choice, thinking, top_k, output_config, container, context_management,
// mcp_servers, inference_geo, speed, and any key this file does not know.
import type { CanonicalMessage, CanonicalRequest, Part, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { ClientOperation } from '../types.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import {
  expectArray, expectObject, expectOneOf, expectString, fieldPath, itemPath, optionalBoolean, optionalNumber,
  optionalPositiveInteger, optionalStringList,
} from '../shared/json.js'
import { canonicalRequest } from '../shared/request.js'
import { decodeContent, decodeSystem } from './decode-content.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

export { IGNORED_FIELDS }

const ROLES = ['user', 'assistant', 'system'] as const
const TOP_LEVEL: KeyRules = {
  known: new Set(['model', 'max_tokens', 'messages', 'system', 'stream', 'temperature', 'top_p', 'stop_sequences']),
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
  // Text only: `decodeSystem` never pushes anything but text parts.
  decodeSystem(req.system, system)
  const messages: CanonicalMessage[] = []
  const list = expectArray(req.messages, 'messages')
  for (let i = 0; i < list.length; i++) decodeMessage(list[i], itemPath('messages', i), system, messages)
  return canonicalRequest(
    { model, system, messages, stream: optionalBoolean(req.stream, 'stream') ?? false },
    {
      maxTokens,
      temperature: optionalNumber(req.temperature, 'temperature'),
      topP: optionalNumber(req.top_p, 'top_p'),
      stop: optionalStringList(req.stop_sequences, 'stop_sequences'),
    },
  )
}

function decodeMessage (value: unknown, path: string, system: TextPart[], messages: CanonicalMessage[]): void {
  const m = expectObject(value, path)
  checkKeys(m, path, MESSAGE_KEYS)
  const role = expectOneOf(m.role, fieldPath(path, 'role'), ROLES)
  const content = fieldPath(path, 'content')
  if (role === 'system') return decodeContent(m.content, content, system, false)
  const parts: Part[] = []
  decodeContent(m.content, content, parts, role === 'user')
  messages.push({ role, parts })
}
