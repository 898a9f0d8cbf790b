// A `chat.completion` reply → CanonicalResponse (PROTOCOLS.md §1.2, §6.7, §6.8). Blocks come in
// the order the model produced them: reasoning (the `reasoning_content`/`reasoning` extension,
// §1.3) before text, then refusal, then tool calls. Tool arguments are kept verbatim (§7.1); a
// call to a flattened namespaced tool gets its name and namespace back (shared/namespaces.ts).
// Lenient on what does not matter (id, created, model), strict on what does: a reply without a
// `choices[0].message` or a tool call without a name is an upstream protocol error.
import { randomUUID } from 'node:crypto'
import type { CanonicalRequest, ToolCallPart } from '../../canonical/request.js'
import type { CanonicalResponse, ContentBlock } from '../../canonical/response.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import { idBody } from '../shared/ids.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { customToolNames, unwrapCustomInput } from '../shared/custom-tools.js'
import { namespacedTools, type NamespacedName, type NamespaceLookup } from '../shared/namespaces.js'
import { canonicalFinish } from './finish-reason.js'
import { canonicalUsage } from './usage.js'

export function decodeResponse (body: unknown, request: CanonicalRequest): CanonicalResponse {
  const fail = (why: string): Error => new UpstreamInvalidData(why)
  if (!isObject(body)) throw fail('the reply is not a JSON object')
  if (!Array.isArray(body.choices)) throw fail(errorText(body) ?? 'the reply has no choices array')
  const choice: unknown = body.choices[0]
  if (!isObject(choice) || !isObject(choice.message)) throw fail('the reply has no choices[0].message')
  const message = choice.message
  const id = typeof body.id === 'string' && body.id !== '' ? body.id : 'chatcmpl-' + randomUUID()
  const content: ContentBlock[] = []
  const reasoning = reasoningText(message)
  if (reasoning !== '') content.push({ type: 'reasoning', text: reasoning })
  const text = contentText(message.content)
  if (text !== '') content.push({ type: 'text', text })
  if (typeof message.refusal === 'string' && message.refusal !== '') content.push({ type: 'refusal', text: message.refusal })
  if (Array.isArray(message.tool_calls)) {
    const tools: CalledTools = { custom: customToolNames(request), namespaces: namespacedTools(request) }
    for (let n = 0; n < message.tool_calls.length; n++) {
      content.push(toolCall(message.tool_calls[n], n, idBody(id), tools, fail))
    }
  }
  const response: { -readonly [K in keyof CanonicalResponse]: CanonicalResponse[K] } = {
    id,
    model: typeof body.model === 'string' ? body.model : request.model,
    created: typeof body.created === 'number' ? body.created : Math.floor(Date.now() / 1000),
    content,
    finish: typeof choice.finish_reason === 'string' ? canonicalFinish(choice.finish_reason) : { reason: 'other' },
  }
  const usage = canonicalUsage(body.usage)
  if (usage !== undefined) response.usage = usage
  return response
}

/** A 200 that carries an error envelope instead of choices (some compatible servers do this). */
function errorText (body: JsonObject): string | undefined {
  const err = body.error
  if (isObject(err) && typeof err.message === 'string') return 'the reply is an error: ' + err.message
  return typeof err === 'string' ? 'the reply is an error: ' + err : undefined
}

/** DeepSeek/vLLM `reasoning_content`, OpenRouter/newer vLLM `reasoning`; never both (§1.3). */
function reasoningText (message: JsonObject): string {
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') return message.reasoning_content
  return typeof message.reasoning === 'string' ? message.reasoning : ''
}

/** `content`: a string, null, or (some compatible servers) a list of text parts. */
function contentText (value: unknown): string {
  if (typeof value === 'string') return value
  if (!Array.isArray(value)) return ''
  let text = ''
  for (const part of value) if (isObject(part) && typeof part.text === 'string') text += part.text
  return text
}

/** The request's tools that a called name must be checked against. */
interface CalledTools {
  readonly custom: ReadonlySet<string>
  readonly namespaces: NamespaceLookup
}

/** Missing ids get `call_<reply id>_<n>`: unique across turns, where a bare `call_<n>` would repeat. */
function toolCall (value: unknown, n: number, replyId: string, tools: CalledTools, fail: (why: string) => Error): ContentBlock {
  if (!isObject(value)) throw fail('tool_calls[' + n + '] is not an object')
  const id = typeof value.id === 'string' && value.id !== '' ? value.id : 'call_' + replyId + '_' + n
  if (value.type === 'custom' && isObject(value.custom)) {
    const { name, input } = value.custom
    if (typeof name !== 'string' || name === '') throw fail('tool_calls[' + n + '].custom.name is missing')
    return named({ type: 'tool-call', id, name, arguments: typeof input === 'string' ? input : '', toolKind: 'custom' }, tools.namespaces.get(name))
  }
  const fn = value.function
  if (!isObject(fn) || typeof fn.name !== 'string' || fn.name === '') throw fail('tool_calls[' + n + '].function.name is missing')
  // Some servers send the arguments as an object; the canonical form is its JSON text.
  const args = typeof fn.arguments === 'string' ? fn.arguments : isObject(fn.arguments) ? JSON.stringify(fn.arguments) : ''
  const split = tools.namespaces.get(fn.name)
  const custom = split === undefined ? tools.custom.has(fn.name) : split.kind === 'custom'
  if (custom) return named({ type: 'tool-call', id, name: fn.name, arguments: unwrapCustomInput(args), toolKind: 'custom' }, split)
  return named({ type: 'tool-call', id, name: fn.name, arguments: args }, split)
}

/** A call to a flattened namespaced tool, with its name and namespace back. */
function named (call: ToolCallPart, split: NamespacedName | undefined): ToolCallPart {
  return split === undefined ? call : { ...call, name: split.name, namespace: split.namespace }
}
