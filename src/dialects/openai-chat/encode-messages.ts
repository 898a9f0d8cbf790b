// Canonical system + messages → Chat `messages[]` (PROTOCOLS.md §1.1, §6.1, §6.2, §6.5, §6.6).
// Choices made here:
// - system text becomes ONE leading `system` message, parts joined with "\n\n" (§6.1);
// - each tool result becomes its own `tool` message, in order; Chat has no error flag, so an
//   `isError` result's text is prefixed "Error: " (§6.6). Tool messages are text only: images
//   and files inside results move to ONE user message after all the tool messages (§6.2);
// - tool-call ids (and result ids, so they still pair) go through legalToolId: OpenAI rejects
//   ids over 40 characters (§6.5, §7.26);
// - a call with no result in the next user message gets a synthetic "Error: tool result
//   missing" tool message right after the assistant message (§6.6, §7.32);
// - assistant text parts are concatenated (as OpenAI reads a list of text parts); reasoning is
//   dropped: Chat input has no reasoning field and no server replays another's reasoning;
// - `""` arguments are sent as `"{}"` (servers that parse arguments reject empty text, §7.7);
// - a call to a namespaced tool is named `<namespace>__<name>`, as its tool is (namespaces.ts);
// - cacheControl is stripped everywhere (§6.10, §7.25).
import { MISSING_RESULT_OPENAI } from '../shared/orphan-calls.js'
import type { AssistantPart, CanonicalMessage, DocumentPart, TextPart, ToolResultContent, ToolResultPart, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { legalToolId, OPENAI_TOOL_IDS } from '../shared/tool-ids.js'
import { wrapCustomInput } from '../shared/custom-tools.js'
import { flatToolName } from '../shared/namespaces.js'
import type { ChatContentPart, ChatFunctionCall, ChatRequestMessage } from './wire.js'


export function encodeMessages (system: readonly TextPart[], messages: readonly CanonicalMessage[]): ChatRequestMessage[] {
  const out: ChatRequestMessage[] = []
  if (system.length > 0) out.push({ role: 'system', content: joinText(system) })
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]
    if (m === undefined) continue
    if (m.role === 'user') encodeUser(m.parts, 'messages[' + i + ']', out)
    else encodeAssistant(m.parts, messages[i + 1], out)
  }
  return out
}

function joinText (parts: readonly TextPart[]): string {
  let text = ''
  for (let i = 0; i < parts.length; i++) text += (i === 0 ? '' : '\n\n') + (parts[i]?.text ?? '')
  return text
}

function encodeUser (parts: readonly UserPart[], path: string, out: ChatRequestMessage[]): void {
  const moved: ChatContentPart[] = []
  const own: ChatContentPart[] = []
  let results = 0
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j]
    const partPath = path + '.content[' + j + ']'
    if (part === undefined) continue
    if (part.type === 'tool-result') {
      out.push(toolMessage(part, partPath, moved))
      results++
    } else {
      own.push(contentPart(part, partPath))
    }
  }
  const content = moved.concat(own)
  if (content.length > 0 || results === 0) out.push({ role: 'user', content: userContent(content) })
}

/** A lone text part is sent as a plain string: every Chat-compatible server takes that. */
function userContent (parts: readonly ChatContentPart[]): string | readonly ChatContentPart[] {
  if (parts.length === 0) return ''
  const first = parts[0]
  return parts.length === 1 && first !== undefined && first.type === 'text' ? first.text : parts
}

function contentPart (part: ToolResultContent, path: string): ChatContentPart {
  switch (part.type) {
    case 'text': return { type: 'text', text: part.text }
    case 'image': return { type: 'image_url', image_url: part.detail === undefined ? { url: part.url } : { url: part.url, detail: part.detail } }
    case 'document': return documentPart(part, path)
  }
}

/** Chat takes files inline only (`file.file_data`); plain-text documents travel as text. */
function documentPart (doc: DocumentPart, path: string): ChatContentPart {
  if (doc.url !== undefined) {
    if (!doc.url.startsWith('data:')) {
      throw convertError(path, 'a document URL cannot be sent to a Chat Completions backend; send the file inline as a data: URL', true)
    }
    const filename = doc.filename ?? doc.title
    return { type: 'file', file: filename === undefined ? { file_data: doc.url } : { file_data: doc.url, filename } }
  }
  if (doc.text !== undefined) return { type: 'text', text: doc.text }
  throw convertError(path, 'a document needs a data: URL or text')
}

function toolMessage (result: ToolResultPart, path: string, moved: ChatContentPart[]): ChatRequestMessage {
  let text = ''
  for (let k = 0; k < result.content.length; k++) {
    const c = result.content[k]
    if (c === undefined) continue
    if (c.type === 'text' || (c.type === 'document' && c.url === undefined && c.text !== undefined)) {
      text += (text === '' ? '' : '\n\n') + (c.type === 'text' ? c.text : c.text ?? '')
    } else {
      moved.push(contentPart(c, path + '.content[' + k + ']'))
    }
  }
  const content = result.isError === true ? (text === '' ? 'Error' : 'Error: ' + text) : text
  return { role: 'tool', tool_call_id: legalToolId(result.toolCallId, OPENAI_TOOL_IDS), content }
}

function callArguments (part: Extract<AssistantPart, { type: 'tool-call' }>): string {
  if (part.toolKind === 'custom') return wrapCustomInput(part.arguments)
  return part.arguments === '' ? '{}' : part.arguments
}

function encodeAssistant (parts: readonly AssistantPart[], next: CanonicalMessage | undefined, out: ChatRequestMessage[]): void {
  let text: string | undefined
  let refusal: string | undefined
  const calls: ChatFunctionCall[] = []
  for (const part of parts) {
    if (part.type === 'text') text = (text ?? '') + part.text
    else if (part.type === 'refusal') refusal = (refusal ?? '') + part.text
    else if (part.type === 'tool-call') {
      calls.push({ id: legalToolId(part.id, OPENAI_TOOL_IDS), type: 'function', function: { name: flatToolName(part.name, part.namespace), arguments: callArguments(part) } })
    }
  }
  const content = text ?? (calls.length > 0 ? null : '')
  out.push({
    role: 'assistant',
    content,
    ...(refusal === undefined ? {} : { refusal }),
    ...(calls.length === 0 ? {} : { tool_calls: calls }),
  })
  if (calls.length > 0) answerOrphans(calls, next, out)
}

/** §7.32: every call needs a result before the next turn, or OpenAI rejects the history. */
function answerOrphans (calls: readonly ChatFunctionCall[], next: CanonicalMessage | undefined, out: ChatRequestMessage[]): void {
  const answered = new Set<string>()
  if (next !== undefined && next.role === 'user') {
    for (const part of next.parts) if (part.type === 'tool-result') answered.add(legalToolId(part.toolCallId, OPENAI_TOOL_IDS))
  }
  for (const call of calls) {
    if (!answered.has(call.id)) out.push({ role: 'tool', tool_call_id: call.id, content: MISSING_RESULT_OPENAI })
  }
}
