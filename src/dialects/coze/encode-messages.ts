// Canonical messages → Coze `additional_messages` (SDK `EnterMessage`; docs: chat_v3,
// message_type). Decisions:
// - user turns are `type: question`, assistant turns `type: answer` (Coze allows question with
//   role user only);
// - text-only turns are `content_type: text`, text parts joined with "\n\n"; a user turn with an
//   http(s) image or file becomes `object_string` (the JSON text of `{type, text|file_url}`
//   items). Inline `data:` images and files are refused: Coze takes media only by URL or by an
//   id from its own upload API, which a conversion cannot call;
// - tool calls and tool results are refused: a Coze bot runs its own plugins and takes no
//   client tools, so history that holds them cannot be represented;
// - reasoning is dropped (Coze input has no reasoning field; no backend replays another's);
//   refusals are the assistant's words and go as text;
// - system text is not carried: the bot's configured persona is its system prompt. Sent as a
//   user turn it would read as the user speaking (encode-request.ts drops it, documented there).
import type { AssistantPart, CanonicalMessage, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { CozeEnterMessage, CozeObjectItem } from './wire.js'

const TEXT_JOIN = '\n\n'

function isWebUrl (url: string): boolean {
  return url.startsWith('https://') || url.startsWith('http://')
}

function userItem (part: UserPart, path: string): CozeObjectItem {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text }
    case 'image':
      if (isWebUrl(part.url)) return { type: 'image', file_url: part.url }
      throw convertError(path, 'Coze takes images by http(s) URL only; inline data cannot be sent', true)
    case 'document':
      if (part.url !== undefined && isWebUrl(part.url)) return { type: 'file', file_url: part.url }
      if (part.url === undefined && part.text !== undefined) return { type: 'text', text: part.text }
      throw convertError(path, 'Coze takes files by http(s) URL only; inline data cannot be sent', true)
    case 'tool-result':
      throw convertError(path, 'a Coze bot runs its own tools; tool results cannot be sent to it', true)
  }
}

function joinText (items: readonly CozeObjectItem[]): string | undefined {
  let text = ''
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (item?.type !== 'text') return undefined
    text += (i === 0 ? '' : TEXT_JOIN) + item.text
  }
  return text
}

function userMessage (parts: readonly UserPart[], path: string): CozeEnterMessage | undefined {
  const items: CozeObjectItem[] = []
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j]
    if (part !== undefined) items.push(userItem(part, path + '.content[' + j + ']'))
  }
  if (items.length === 0) return undefined
  const text = joinText(items)
  if (text !== undefined) return { role: 'user', type: 'question', content: text, content_type: 'text' }
  return { role: 'user', type: 'question', content: JSON.stringify(items), content_type: 'object_string' }
}

function assistantMessage (parts: readonly AssistantPart[], path: string): CozeEnterMessage | undefined {
  let text: string | undefined
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j]
    if (part === undefined || part.type === 'reasoning') continue
    if (part.type === 'tool-call') throw convertError(path + '.content[' + j + ']', 'a Coze bot runs its own tools; tool calls cannot be sent to it', true)
    text = text === undefined ? part.text : text + TEXT_JOIN + part.text
  }
  return text === undefined ? undefined : { role: 'assistant', type: 'answer', content: text, content_type: 'text' }
}

/** Messages from index `from` on, as Coze messages; turns left empty (reasoning only) are skipped. */
export function encodeMessages (messages: readonly CanonicalMessage[], from = 0): CozeEnterMessage[] {
  const out: CozeEnterMessage[] = []
  for (let i = from; i < messages.length; i++) {
    const m = messages[i]
    if (m === undefined) continue
    const path = 'messages[' + i + ']'
    const encoded = m.role === 'user' ? userMessage(m.parts, path) : assistantMessage(m.parts, path)
    if (encoded !== undefined) out.push(encoded)
  }
  return out
}

/** Index of the first message after the last assistant message: the turn a stored conversation lacks. */
export function newTurnStart (messages: readonly CanonicalMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'assistant') return i + 1
  }
  return 0
}

/** The text of the last message, which must be the user's: the workflow's input. */
export function lastUserText (messages: readonly CanonicalMessage[]): string {
  const i = messages.length - 1
  const last = messages[i]
  const path = 'messages[' + i + ']'
  if (last === undefined || last.role !== 'user') throw convertError(i < 0 ? 'messages' : path, 'a Coze workflow runs on the last message, which must be the user\'s')
  let text: string | undefined
  for (let j = 0; j < last.parts.length; j++) {
    const part = last.parts[j]
    if (part === undefined) continue
    if (part.type !== 'text') throw convertError(path + '.content[' + j + ']', 'a Coze workflow input is text only', true)
    text = text === undefined ? part.text : text + TEXT_JOIN + part.text
  }
  if (text === undefined) throw convertError(path, 'a Coze workflow needs text input')
  return text
}
