// Responses output items → canonical content (PROTOCOLS.md §2.2, §6.5, §6.9), for a Responses
// backend; shared by the whole-reply decoder and the stream decoder (for items that arrive only
// complete, §7.29). Blocks keep output order:
// - message: consecutive `output_text` parts become one text block, `refusal` parts one refusal
//   block (a message alternating both gives alternating blocks, as the stream does);
// - reasoning: `reasoning_text` content when there is any, else the summary texts, parts joined
//   with a blank line; `encrypted_content` is an OpenAI-family signature; an item with neither
//   text nor signature carries nothing and is dropped;
// - function_call: a tool call keyed by `call_id` (the pairing key for results, §6.5; the item
//   id `fc_…` is not), arguments verbatim, `namespace` kept;
// - custom_tool_call: a custom tool call whose arguments are the raw `input`. The backend saw
//   custom tools natively, so nothing is unwrapped.
// Hosted-tool items (web_search_call, file_search_call, image_generation_call,
// code_interpreter_call, local_shell_call, mcp_*, tool_search_call…) and any newer item type are
// skipped: the server ran them itself, and no canonical block (hence no client dialect) can
// hold them.
import type { ContentBlock } from '../../canonical/response.js'
import type { ToolKind } from '../../canonical/request.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import { isObject, type JsonObject } from '../shared/json.js'

export type ItemKind = 'message' | 'reasoning' | 'function' | 'custom'
export type TextKind = 'text' | 'refusal'

/** Between two reasoning parts (summary paragraphs, or reasoning_text parts). */
export const PART_SEPARATOR = '\n\n'

const ITEM_KINDS: Readonly<Record<string, ItemKind>> = {
  message: 'message',
  reasoning: 'reasoning',
  function_call: 'function',
  custom_tool_call: 'custom',
}

/** The kind of an output item Switchyard forwards; `undefined` for skipped (hosted) items. */
export function itemKind (item: JsonObject): ItemKind | undefined {
  const type = item.type
  return typeof type === 'string' && Object.hasOwn(ITEM_KINDS, type) ? ITEM_KINDS[type] : undefined
}

export interface ToolHead {
  readonly callId: string
  readonly name: string
  readonly namespace?: string
}

/** call_id and name, both required to build a call (`where` names the item in errors). */
export function toolHead (item: JsonObject, where: string): ToolHead {
  const { call_id: callId, name, namespace } = item
  if (typeof callId !== 'string' || callId === '') throw new UpstreamInvalidData(where + ' has no call_id')
  if (typeof name !== 'string' || name === '') throw new UpstreamInvalidData(where + ' has no name')
  return typeof namespace === 'string' && namespace !== '' ? { callId, name, namespace } : { callId, name }
}

/** A call's arguments (function) or input (custom) as text; some servers send an object. */
export function toolInput (item: JsonObject, kind: 'function' | 'custom'): string {
  const value = kind === 'function' ? item.arguments : item.input
  if (typeof value === 'string') return value
  return isObject(value) ? JSON.stringify(value) : ''
}

export interface TextSegment {
  readonly kind: TextKind
  readonly text: string
  /** Position in `item.content` (the stream's `content_index`). */
  readonly index: number
}

/** A message's text and refusal parts in order; other part types are skipped. */
export function messageSegments (item: JsonObject): TextSegment[] {
  const out: TextSegment[] = []
  const content = item.content
  if (!Array.isArray(content)) return out
  for (let i = 0; i < content.length; i++) {
    const part: unknown = content[i]
    if (!isObject(part)) continue
    if (part.type === 'output_text' && typeof part.text === 'string') out.push({ kind: 'text', text: part.text, index: i })
    else if (part.type === 'refusal' && typeof part.refusal === 'string') out.push({ kind: 'refusal', text: part.refusal, index: i })
  }
  return out
}

export type ReasoningSource = 'content' | 'summary'

/** Texts of one reasoning source's parts, by position (absent or non-text parts skipped). */
export function reasoningParts (item: JsonObject, source: ReasoningSource): Array<{ readonly text: string, readonly index: number }> {
  const list = source === 'content' ? item.content : item.summary
  const wanted = source === 'content' ? 'reasoning_text' : 'summary_text'
  const out: Array<{ text: string, index: number }> = []
  if (!Array.isArray(list)) return out
  for (let i = 0; i < list.length; i++) {
    const part: unknown = list[i]
    if (isObject(part) && part.type === wanted && typeof part.text === 'string' && part.text !== '') out.push({ text: part.text, index: i })
  }
  return out
}

/** Full reasoning text: the raw reasoning when the upstream shows it, else its summary. */
export function reasoningText (item: JsonObject): string {
  const content = reasoningParts(item, 'content')
  const parts = content.length > 0 ? content : reasoningParts(item, 'summary')
  return parts.map(p => p.text).join(PART_SEPARATOR)
}

export function encryptedContent (item: JsonObject): string | undefined {
  const value = item.encrypted_content
  return typeof value === 'string' && value !== '' ? value : undefined
}

function toolBlock (item: JsonObject, kind: 'function' | 'custom', where: string): ContentBlock {
  const head = toolHead(item, where)
  const block: { type: 'tool-call', id: string, name: string, arguments: string, toolKind?: ToolKind, namespace?: string } =
    { type: 'tool-call', id: head.callId, name: head.name, arguments: toolInput(item, kind) }
  if (kind === 'custom') block.toolKind = 'custom'
  if (head.namespace !== undefined) block.namespace = head.namespace
  return block
}

function pushMessage (item: JsonObject, out: ContentBlock[]): void {
  let kind: TextKind | undefined
  let text = ''
  for (const segment of messageSegments(item)) {
    if (segment.text === '') continue
    if (segment.kind !== kind) {
      if (kind !== undefined) out.push({ type: kind, text })
      kind = segment.kind
      text = ''
    }
    text += segment.text
  }
  if (kind !== undefined) out.push({ type: kind, text })
}

function pushReasoning (item: JsonObject, out: ContentBlock[]): void {
  const text = reasoningText(item)
  const value = encryptedContent(item)
  if (value !== undefined) out.push({ type: 'reasoning', text, signature: { family: 'openai', value } })
  else if (text !== '') out.push({ type: 'reasoning', text })
}

/** A whole `output` array → content blocks (`output[i]` named in errors). */
export function decodeOutput (output: readonly unknown[]): ContentBlock[] {
  const out: ContentBlock[] = []
  for (let i = 0; i < output.length; i++) {
    const item: unknown = output[i]
    const where = 'output[' + i + ']'
    if (!isObject(item)) throw new UpstreamInvalidData(where + ' is not an object')
    const kind = itemKind(item)
    if (kind === 'message') pushMessage(item, out)
    else if (kind === 'reasoning') pushReasoning(item, out)
    else if (kind !== undefined) out.push(toolBlock(item, kind, where))
  }
  return out
}
