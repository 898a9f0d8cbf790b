// Canonical inputs for the Responses encoders beyond the shared scenarios (scenarios.ts):
// refusal, custom (freeform) tool call, namespaced calls, signed and redacted reasoning, and
// errors Codex classifies by code (PROTOCOLS.md §2.4, §5.8, §7 cases 21, 22, 24).
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import type { CanonicalResponse } from '../../../../src/canonical/response.js'
import type { Signature } from '../../../../src/canonical/signature.js'
import { CREATED, REQUEST, START } from '../scenarios.js'

const END_TURN: CanonicalEvent = { type: 'message-end', finish: { reason: 'stop' } }
const USAGE: CanonicalEvent = { type: 'usage', usage: { input: 10, output: 5 } }

export const REFUSAL: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'refusal' },
  { type: 'text-delta', index: 0, delta: "I can't" },
  { type: 'text-delta', index: 0, delta: ' help.' },
  { type: 'block-end', index: 0 },
  USAGE,
  END_TURN,
]

export const PATCH = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n'

/** Codex `apply_patch` (§7.24): a custom call whose input is raw text, in fragments. */
export const CUSTOM_TOOL: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'tool-call', toolKind: 'custom', toolCallId: 'call_p', toolName: 'apply_patch' },
  { type: 'tool-input-delta', index: 0, delta: PATCH.slice(0, 20) },
  { type: 'tool-input-delta', index: 0, delta: PATCH.slice(20) },
  { type: 'block-end', index: 0 },
  USAGE,
  { type: 'message-end', finish: { reason: 'tool-calls' } },
]

/** A request with a namespaced function tool `fs.write` and a custom tool. */
export const TOOLS_REQUEST: CanonicalRequest = {
  ...REQUEST,
  tools: [
    { kind: 'function', name: 'read', namespace: 'fs', parameters: { type: 'object' } },
    { kind: 'function', name: 'write', namespace: 'fs', description: 'Write a file', parameters: { type: 'object' }, strict: false },
    { kind: 'custom', name: 'apply_patch', description: 'Patch files', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } },
  ],
}

/** A call inside a namespace (the backend decoder split a flattened name back), then a plain one. */
export const NAMESPACED: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'call_r', toolName: 'read', toolNamespace: 'fs' },
  { type: 'tool-input-delta', index: 0, delta: '{"path":"a"}' },
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_s', toolName: 'shell' },
  { type: 'tool-input-delta', index: 1, delta: '{"path":"b"}' },
  { type: 'block-end', index: 1 },
  USAGE,
  { type: 'message-end', finish: { reason: 'tool-calls' } },
]

export const ANTHROPIC_SIG: Signature = { family: 'anthropic', value: 'EqQBCkYIBRgCKkC-sig' }
export const OPENAI_SIG: Signature = { family: 'openai', value: 'gAAAAABo-encrypted' }

/** Reasoning (with its proof, sent before block-end) then text. */
export function signedReasoning (signature: Signature): CanonicalEvent[] {
  return [
    START,
    { type: 'block-start', index: 0, kind: 'reasoning' },
    { type: 'reasoning-delta', index: 0, delta: 'Think' },
    { type: 'reasoning-delta', index: 0, delta: 'ing' },
    { type: 'signature', index: 0, signature },
    { type: 'block-end', index: 0 },
    { type: 'block-start', index: 1, kind: 'text' },
    { type: 'text-delta', index: 1, delta: 'Answer' },
    { type: 'block-end', index: 1 },
    USAGE,
    END_TURN,
  ]
}

/** Anthropic `redacted_thinking`: no text, its data arrives as the signature. */
export const REDACTED: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'reasoning', redacted: true },
  { type: 'signature', index: 0, signature: { family: 'anthropic', value: 'redacted-data' } },
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'text' },
  { type: 'text-delta', index: 1, delta: 'Answer' },
  { type: 'block-end', index: 1 },
  USAGE,
  END_TURN,
]

/** Text, then a call cut off by the upstream failing. */
export const FAILED_IN_CALL: readonly CanonicalEvent[] = [
  START,
  { type: 'block-start', index: 0, kind: 'text' },
  { type: 'text-delta', index: 0, delta: 'Checking.' },
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather' },
  { type: 'tool-input-delta', index: 1, delta: '{"ci' },
  { type: 'error', error: { kind: 'rate_limit', status: 429, message: 'Rate limit reached.', retryAfter: '7' } },
]

export const CONTEXT_ERROR: readonly CanonicalEvent[] = [
  START,
  { type: 'error', error: { kind: 'invalid_request', status: 400, message: 'prompt is too long: 208000 tokens > 200000 maximum' } },
]

/** The same content as CUSTOM_TOOL / NAMESPACED / signedReasoning, as whole replies. */
const reply = (content: CanonicalResponse['content']): CanonicalResponse => ({
  id: 'mock-abc', model: 'm1', created: CREATED, content, finish: { reason: 'stop' }, usage: { input: 10, output: 5 },
})
export const REFUSAL_RESPONSE = reply([{ type: 'refusal', text: "I can't help." }])
export const CUSTOM_RESPONSE = reply([{ type: 'tool-call', id: 'call_p', name: 'apply_patch', arguments: PATCH, toolKind: 'custom' }])
export const NAMESPACED_RESPONSE = reply([
  { type: 'tool-call', id: 'call_r', name: 'read', arguments: '{"path":"a"}', namespace: 'fs' },
  { type: 'tool-call', id: 'call_s', name: 'shell', arguments: '{"path":"b"}' },
])
export const signedReasoningResponse = (signature: Signature): CanonicalResponse => reply([
  { type: 'reasoning', text: 'Thinking', signature },
  { type: 'text', text: 'Answer' },
])
export const REDACTED_RESPONSE = reply([
  { type: 'reasoning', text: '', signature: { family: 'anthropic', value: 'redacted-data' }, redacted: true },
  { type: 'text', text: 'Answer' },
])
