// Anthropic `message` reply → CanonicalResponse, for an Anthropic backend (PROTOCOLS.md §3.2,
// §6.7, §6.8, §6.9). Thinking keeps its signature as an Anthropic-family Signature so a later
// turn replays it byte-exact; tool input objects become JSON text (custom tools: raw text); a
// call to a flattened namespaced tool gets its name and namespace back (shared/namespaces.ts).
// Block types Switchyard never asks for (server tool blocks) are skipped; a reply that is not a
// message, or a block missing its required fields, is an upstream protocol error.
import type { CanonicalRequest, ToolCallPart } from '../../canonical/request.js'
import type { CanonicalResponse, ContentBlock } from '../../canonical/response.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { customInput, customToolNames } from '../shared/custom-tools.js'
import { namespacedTools, type NamespaceLookup } from '../shared/namespaces.js'
import { canonicalFinish } from './finish-reason.js'
import { canonicalUsage, emptyCounts, readUsage } from './usage.js'


function fail (why: string): Error {
  return new UpstreamInvalidData(why)
}

function str (block: JsonObject, key: string): string {
  const v = block[key]
  if (typeof v !== 'string') throw fail(`${String(block.type)} block without a string ${key}`)
  return v
}

/** The request's tools that a called name must be checked against. */
interface CalledTools {
  readonly custom: ReadonlySet<string>
  readonly namespaces: NamespaceLookup
}

function contentBlock (b: JsonObject, tools: CalledTools): ContentBlock | undefined {
  switch (b.type) {
    case 'text': return { type: 'text', text: str(b, 'text') }
    case 'thinking': {
      const signature = str(b, 'signature')
      const text = str(b, 'thinking')
      return signature === '' ? { type: 'reasoning', text } : { type: 'reasoning', text, signature: { family: 'anthropic', value: signature } }
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: str(b, 'data') } }
    case 'tool_use': return toolCall(b, tools)
    default: return undefined
  }
}

function toolCall (b: JsonObject, tools: CalledTools): ContentBlock {
  const id = str(b, 'id')
  const wireName = str(b, 'name')
  if (!isObject(b.input)) throw fail(`tool_use ${id} without an input object`)
  const split = tools.namespaces.get(wireName)
  const custom = split === undefined ? tools.custom.has(wireName) : split.kind === 'custom'
  const raw = custom ? customInput(b.input) : undefined
  const call: ToolCallPart = raw === undefined
    ? { type: 'tool-call', id, name: wireName, arguments: JSON.stringify(b.input) }
    : { type: 'tool-call', id, name: wireName, arguments: raw, toolKind: 'custom' }
  return split === undefined ? call : { ...call, name: split.name, namespace: split.namespace }
}

export function decodeResponse (body: unknown, request: CanonicalRequest): CanonicalResponse {
  if (!isObject(body) || body.type !== 'message') throw fail('the reply is not a message')
  if (typeof body.id !== 'string' || !Array.isArray(body.content)) throw fail('the message has no id or content')
  const tools: CalledTools = { custom: customToolNames(request), namespaces: namespacedTools(request) }
  const content: ContentBlock[] = []
  for (const b of body.content) {
    if (!isObject(b)) throw fail('a content block is not an object')
    const block = contentBlock(b, tools)
    if (block !== undefined) content.push(block)
  }
  const counts = emptyCounts()
  const out: CanonicalResponse = {
    id: body.id,
    model: typeof body.model === 'string' ? body.model : request.model,
    created: Math.floor(Date.now() / 1000),
    content,
    finish: typeof body.stop_reason === 'string' ? canonicalFinish(body.stop_reason, body.stop_sequence) : { reason: 'other' },
  }
  return readUsage(body.usage, counts) ? { ...out, usage: canonicalUsage(counts) } : out
}

/** `count_tokens` reply: `{input_tokens:N}` (§3.2). */
export function decodeCountTokens (body: unknown): number {
  if (isObject(body) && typeof body.input_tokens === 'number') return body.input_tokens
  throw fail('count_tokens reply without input_tokens')
}
