// Anthropic message content and `system` → canonical parts (PROTOCOLS.md §3.1, §6.1, §6.2).
// User blocks: text, image, document, tool_result. Assistant blocks: text, tool_use, thinking,
// redacted_thinking. Anything else (server tool blocks, search_result, images in assistant
// turns) is rejected by path. Claude Code's billing header is dropped from system (§7.27).
import type { AssistantPart, TextPart, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { expectArray, expectObject, expectString, fieldPath, isAbsent, itemPath, type JsonObject } from '../shared/json.js'
import { pushText } from '../shared/request.js'
import { decodeDocument, decodeImage, decodeText } from './decode-blocks.js'
import { decodeRedactedThinking, decodeThinking } from './decode-thinking.js'
import { decodeToolResult, decodeToolUse } from './decode-tool-blocks.js'

const BLOCK = 'messages[].content[]'
/**
 * Claude Code injects `x-anthropic-billing-header: cc_version=…; cch=…;` as a system text block
 * that changes on every request: it breaks prefix caching and means nothing to other models.
 */
const BILLING_HEADER = 'x-anthropic-billing-header:'

type Push<T> = (block: JsonObject, path: string, out: T[]) => void

function decodeList<T> (content: unknown, path: string, out: T[], asText: (text: string) => T, push: Push<T>): void {
  if (isAbsent(content)) throw convertError(path, 'required')
  if (typeof content === 'string') {
    if (content !== '') out.push(asText(content))
    return
  }
  const list = expectArray(content, path)
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(path, i)
    push(expectObject(list[i], at), at, out)
  }
}

const textPart = (text: string): TextPart => ({ type: 'text', text })

function unsupported (type: string, path: string, role: string): Error {
  return convertError(fieldPath(path, 'type'), `'${type}' is not supported yet in ${role} messages`, true)
}

export function decodeUserContent (content: unknown, path: string): UserPart[] {
  const out: UserPart[] = []
  decodeList<UserPart>(content, path, out, textPart, (block, at, parts) => {
    const type = expectString(block.type, fieldPath(at, 'type'))
    switch (type) {
      case 'text': { const text = decodeText(block, at, BLOCK); if (text !== undefined) parts.push(text); return }
      case 'image': parts.push(decodeImage(block, at, BLOCK)); return
      case 'document': parts.push(decodeDocument(block, at, BLOCK)); return
      case 'tool_result': parts.push(decodeToolResult(block, at)); return
      default: throw unsupported(type, at, 'user')
    }
  })
  return out
}

export function decodeAssistantContent (content: unknown, path: string): AssistantPart[] {
  const out: AssistantPart[] = []
  decodeList<AssistantPart>(content, path, out, textPart, (block, at, parts) => {
    const type = expectString(block.type, fieldPath(at, 'type'))
    switch (type) {
      case 'text': { const text = decodeText(block, at, BLOCK); if (text !== undefined) parts.push(text); return }
      case 'tool_use': parts.push(decodeToolUse(block, at)); return
      case 'thinking': { const r = decodeThinking(block, at); if (r !== undefined) parts.push(r); return }
      case 'redacted_thinking': { const r = decodeRedactedThinking(block, at); if (r !== undefined) parts.push(r); return }
      default: throw unsupported(type, at, 'assistant')
    }
  })
  return out
}

/** System text: top-level `system` (pattern `system[]`) or a `role:"system"` message's content. */
export function decodeSystemContent (content: unknown, path: string, pattern: string, system: TextPart[]): void {
  decodeList<TextPart>(content, path, system, textPart, (block, at, parts) => {
    const type = expectString(block.type, fieldPath(at, 'type'))
    if (type !== 'text') throw convertError(fieldPath(at, 'type'), `'${type}' is not supported yet`, true)
    const text = decodeText(block, at, pattern)
    if (text !== undefined && !text.text.startsWith(BILLING_HEADER)) parts.push(text)
  })
}

/** Top-level `system`: a string or text blocks (§3.1). */
export function decodeSystem (value: unknown, system: TextPart[]): void {
  if (isAbsent(value)) return
  if (typeof value === 'string') return pushText(system, value)
  decodeSystemContent(value, 'system', 'system[]', system)
}
