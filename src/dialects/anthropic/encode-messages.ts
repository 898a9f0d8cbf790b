// Canonical messages → Anthropic `messages` (PROTOCOLS.md §3.1 rules, §6.6, §7.6, §7.9, §7.32,
// §7.34). In order: parts become blocks (empty text and foreign reasoning dropped); messages
// left empty are dropped; consecutive same-role messages are merged; then every assistant
// `tool_use` is answered in the very next user message, whose `tool_result` blocks come first —
// orphan calls get a synthesised error result, a result answering no call of the previous
// assistant message is rejected (the API would 400 with `unexpected tool_use_id`).
// A conversation that starts with an assistant message is sent as is: inventing a user turn
// would put words in the user's mouth, and the API decides whether to accept it.
import type { AssistantPart, CanonicalMessage, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import {
  documentBlock, imageBlock, missingResult, textBlock, thinkingBlock, toolResultBlock, toolUseBlock,
} from './encode-parts.js'
import type { AssistantBlock, MessageParam, RequestBlock, ToolResultBlock, UserBlock } from './wire-request.js'

interface Draft {
  readonly role: 'user' | 'assistant'
  readonly blocks: RequestBlock[]
  /** Canonical index of the first message merged into this one, for error paths. */
  readonly at: number
}

export function encodeMessages (messages: readonly CanonicalMessage[]): MessageParam[] {
  const drafts: Draft[] = []
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as CanonicalMessage
    const path = 'messages[' + i + ']'
    const blocks: RequestBlock[] = m.role === 'user' ? userBlocks(m.parts, path) : assistantBlocks(m.parts, path)
    if (blocks.length === 0) continue
    const last = drafts.at(-1)
    if (last !== undefined && last.role === m.role) last.blocks.push(...blocks)
    else drafts.push({ role: m.role, blocks, at: i })
  }
  return pairToolResults(drafts)
}

function userBlocks (parts: readonly UserPart[], path: string): UserBlock[] {
  const out: UserBlock[] = []
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j] as UserPart
    const at = path + '.content[' + j + ']'
    switch (p.type) {
      case 'text': if (p.text !== '') out.push(textBlock(p.text, p.cacheControl)); break
      case 'image': out.push(imageBlock(p, at)); break
      case 'document': out.push(documentBlock(p, at)); break
      case 'tool-result': out.push(toolResultBlock(p, at)); break
    }
  }
  return out
}

function assistantBlocks (parts: readonly AssistantPart[], path: string): AssistantBlock[] {
  const out: AssistantBlock[] = []
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j] as AssistantPart
    switch (p.type) {
      case 'text':
      case 'refusal':
        if (p.text !== '') out.push(textBlock(p.text, p.type === 'text' ? p.cacheControl : undefined))
        break
      case 'reasoning': {
        const block = thinkingBlock(p)
        if (block !== undefined) out.push(block)
        break
      }
      case 'tool-call': out.push(toolUseBlock(p, path + '.content[' + j + ']')); break
    }
  }
  return out
}

function toolUseIds (blocks: readonly RequestBlock[]): string[] {
  const ids: string[] = []
  for (const b of blocks) if (b.type === 'tool_use') ids.push(b.id)
  return ids
}

/** Drafts alternate by now, so each assistant message is followed by a user one or by nothing. */
function pairToolResults (drafts: readonly Draft[]): MessageParam[] {
  const out: MessageParam[] = []
  let pending: string[] = []
  for (const d of drafts) {
    if (d.role === 'assistant') {
      out.push({ role: 'assistant', content: d.blocks })
      pending = toolUseIds(d.blocks)
    } else {
      out.push({ role: 'user', content: resultsFirst(d, pending) })
      pending = []
    }
  }
  if (pending.length > 0) out.push({ role: 'user', content: pending.map(missingResult) })
  return out
}

function resultsFirst (d: Draft, pending: readonly string[]): RequestBlock[] {
  const results: ToolResultBlock[] = []
  const rest: RequestBlock[] = []
  for (const b of d.blocks) {
    if (b.type !== 'tool_result') { rest.push(b); continue }
    if (!pending.includes(b.tool_use_id)) {
      throw convertError('messages[' + d.at + ']', `tool result ${b.tool_use_id} answers no tool call of the previous assistant message`)
    }
    results.push(b)
  }
  for (const id of pending) if (!results.some(r => r.tool_use_id === id)) results.push(missingResult(id))
  return [...results, ...rest]
}
