// Canonical parts → Anthropic request blocks, for an Anthropic backend (PROTOCOLS.md §3.1,
// §6.2, §6.5, §6.6, §6.9). Error paths name the canonical message and part
// (`messages[i].content[j]`). Empty text is dropped by the caller's rules (§7.6).
import { MISSING_RESULT } from '../shared/orphan-calls.js'
import type { CacheControl, DocumentPart, ImagePart, ReasoningPart, ToolCallPart, ToolResultContent, ToolResultPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { ANTHROPIC_TOOL_IDS, legalToolId } from '../shared/tool-ids.js'
import { parseToolArguments } from '../shared/tool-arguments.js'
import { flatToolName } from '../shared/namespaces.js'
import { parseDataUrl } from '../shared/images.js'
import { withWireCache } from './cache-control.js'
import type { DocumentBlock, ImageBlock, TextBlock, ThinkingBlock, ToolResultBlock, ToolResultContentBlock, ToolUseBlock } from './wire-request.js'

/** Anthropic accepts only these inline image types (§6.2). */
const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

export function textBlock (text: string, cc: CacheControl | undefined): TextBlock {
  return withWireCache<TextBlock>({ type: 'text', text }, cc)
}

export function imageBlock (part: ImagePart, path: string): ImageBlock {
  const data = parseDataUrl(part.url, path)
  if (data === undefined) return withWireCache<ImageBlock>({ type: 'image', source: { type: 'url', url: part.url } }, part.cacheControl)
  if (!IMAGE_TYPES.has(data.mime)) throw convertError(path, `image type ${data.mime} is not supported by Anthropic`, true)
  return withWireCache<ImageBlock>({ type: 'image', source: { type: 'base64', media_type: data.mime, data: data.data } }, part.cacheControl)
}

/** PDF data → base64 source, plain-text data or `text` → text source, URL → url source. */
export function documentBlock (part: DocumentPart, path: string): DocumentBlock {
  // Anthropic documents have a title but no filename: the filename is the best title there is.
  const title = part.title ?? part.filename
  const block: DocumentBlock = { type: 'document', source: documentSource(part, path) }
  return withWireCache<DocumentBlock>(title === undefined ? block : { ...block, title }, part.cacheControl)
}

function documentSource (part: DocumentPart, path: string): DocumentBlock['source'] {
  if (part.url === undefined) {
    if (part.text === undefined) throw convertError(path, 'a document needs a url or text')
    return { type: 'text', media_type: 'text/plain', data: part.text }
  }
  const data = parseDataUrl(part.url, path)
  if (data === undefined) return { type: 'url', url: part.url }
  if (data.mime === 'application/pdf') return { type: 'base64', media_type: 'application/pdf', data: data.data }
  if (data.mime === 'text/plain') return { type: 'text', media_type: 'text/plain', data: Buffer.from(data.data, 'base64').toString('utf8') }
  throw convertError(path, `document type ${data.mime} is not supported by Anthropic`, true)
}

export function toolResultBlock (part: ToolResultPart, path: string): ToolResultBlock {
  let block: ToolResultBlock = { type: 'tool_result', tool_use_id: legalToolId(part.toolCallId, ANTHROPIC_TOOL_IDS) }
  const content = resultContent(part.content, path)
  if (content !== undefined) block = { ...block, content }
  if (part.isError !== undefined) block = { ...block, is_error: part.isError }
  return withWireCache(block, part.cacheControl)
}

/** One plain text → a string (the common shape); otherwise blocks; nothing → no `content`. */
function resultContent (content: readonly ToolResultContent[], path: string): ToolResultBlock['content'] {
  const only = content.length === 1 ? content[0] : undefined
  if (only !== undefined && only.type === 'text' && only.cacheControl === undefined) return only.text
  const out: ToolResultContentBlock[] = []
  for (const c of content) {
    if (c.type === 'text') {
      if (c.text !== '') out.push(withWireCache<TextBlock>({ type: 'text', text: c.text }, c.cacheControl))
    } else if (c.type === 'image') {
      out.push(imageBlock(c, path))
    } else {
      out.push(documentBlock(c, path))
    }
  }
  return out.length === 0 ? undefined : out
}

/** An orphan call's answer (§7.32): the client interrupted the tool, so say it has no result. */
export function missingResult (toolUseId: string): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: toolUseId, content: MISSING_RESULT, is_error: true }
}

/**
 * `input` must be an object (§7.7); a custom (freeform) call's raw text rides as `{input}` (§6.3);
 * a call to a namespaced tool is named as its flattened tool is.
 */
export function toolUseBlock (part: ToolCallPart, path: string): ToolUseBlock {
  const id = legalToolId(part.id, ANTHROPIC_TOOL_IDS)
  const name = flatToolName(part.name, part.namespace)
  if (part.toolKind === 'custom') return { type: 'tool_use', id, name, input: { input: part.arguments } }
  const input = parseToolArguments(part.arguments)
  if (input === undefined) throw convertError(path, `tool call ${part.id} arguments are not a JSON object`)
  return { type: 'tool_use', id, name, input }
}

/**
 * Only Anthropic-signed reasoning is replayed, byte-exact (§6.9, §7.8): every other reasoning
 * part (another family's signature, or none) is dropped — never forward a forged signature.
 */
export function thinkingBlock (part: ReasoningPart): ThinkingBlock | undefined {
  const sig = part.signature
  if (sig === undefined || sig.family !== 'anthropic') return undefined
  if (part.redacted === true) return { type: 'redacted_thinking', data: sig.value }
  return { type: 'thinking', thinking: part.text, signature: sig.value }
}
