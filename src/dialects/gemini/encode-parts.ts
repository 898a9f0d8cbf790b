// Canonical parts → Gemini request parts, for a Gemini backend (PROTOCOLS.md §4.1, §6.2, §6.5,
// §6.9, §7.12). Error paths name the canonical part (`messages[i].parts[j]`). Choices:
// - a data URL (image or document) → `inlineData` with its own mime type; an http(s) URL →
//   `fileData` whose mime type is guessed from the URL's extension, else `image/jpeg` for images
//   and `application/pdf` for documents (the kind nearly every URL-sent file is); a plain-text
//   document → a text part (Gemini parts have no filename or title slot, so those are dropped);
// - refusal → text; `cacheControl` and image `detail` have no Gemini form and are dropped;
// - only Gemini-signed reasoning is replayed, as `{text, thought:true, thoughtSignature}`:
//   unsigned reasoning or another family's is dropped — never forward a foreign signature;
// - a call's Gemini id and thoughtSignature come from the id Switchyard minted (call-ids.ts), or
//   from a Gemini-family `signature` on the part; `id` is sent only when Gemini minted one;
// - a custom (freeform) call's raw text rides as `{input}`; a namespaced call is named
//   `<namespace>__<name>`, as its tool is (custom-tools.ts, namespaces.ts).
import type { DocumentPart, ImagePart, ReasoningPart, ToolCallPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { flatToolName } from '../shared/namespaces.js'
import { parseToolArguments } from '../shared/tool-arguments.js'
import { openCallId } from './call-ids.js'
import { parseDataUrl } from '../shared/images.js'
import type { FunctionCall, FunctionCallPart, InlineData, RequestPart, ThoughtPart } from './wire-request.js'

/** Extensions seen on files sent by URL; anything else takes the part kind's default. */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
}
const IMAGE_DEFAULT = 'image/jpeg'
const DOCUMENT_DEFAULT = 'application/pdf'

/** A call as sent, for pairing its result in the next user turn. */
export interface SentCall {
  /** The canonical id, which results name in `toolCallId`. */
  readonly clientId: string
  /** The wire name, which the answering functionResponse must repeat (§7.14). */
  readonly name: string
  readonly geminiId?: string
}

function inline (url: string, path: string): InlineData | undefined {
  const data = parseDataUrl(url, path)
  return data === undefined ? undefined : { mimeType: data.mime, data: data.data }
}

/** The lower-cased extension of a URL's last path segment, query and fragment ignored. */
function extension (url: string): string {
  const end = url.search(/[?#]/)
  const path = end === -1 ? url : url.slice(0, end)
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return dot === -1 ? '' : name.slice(dot + 1).toLowerCase()
}

function byUrl (url: string, fallback: string): RequestPart {
  return { fileData: { mimeType: MIME_BY_EXTENSION[extension(url)] ?? fallback, fileUri: url } }
}

export function imagePart (part: ImagePart, path: string): RequestPart {
  const data = inline(part.url, path)
  return data === undefined ? byUrl(part.url, IMAGE_DEFAULT) : { inlineData: data }
}

export function documentPart (part: DocumentPart, path: string): RequestPart {
  if (part.url === undefined) {
    if (part.text === undefined) throw convertError(path, 'a document needs a url or text')
    return { text: part.text }
  }
  const data = inline(part.url, path)
  return data === undefined ? byUrl(part.url, DOCUMENT_DEFAULT) : { inlineData: data }
}

export function thoughtPart (part: ReasoningPart): ThoughtPart | undefined {
  const sig = part.signature
  if (sig === undefined || sig.family !== 'gemini') return undefined
  return { text: part.text, thought: true, thoughtSignature: sig.value }
}

function callArgs (part: ToolCallPart, path: string): Readonly<Record<string, unknown>> {
  if (part.toolKind === 'custom') return { input: part.arguments }
  const args = parseToolArguments(part.arguments)
  if (args === undefined) throw convertError(path + '.arguments', `tool call ${part.id} arguments are not a JSON object`)
  return args
}

export function functionCallPart (part: ToolCallPart, path: string): { readonly part: FunctionCallPart, readonly call: SentCall } {
  const opened = openCallId(part.id)
  const name = flatToolName(part.name, part.namespace)
  const args = callArgs(part, path)
  const functionCall: FunctionCall = opened.id === undefined ? { name, args } : { id: opened.id, name, args }
  const signature = opened.signature ?? (part.signature?.family === 'gemini' ? part.signature.value : undefined)
  const call: SentCall = opened.id === undefined ? { clientId: part.id, name } : { clientId: part.id, name, geminiId: opened.id }
  return { part: signature === undefined ? { functionCall } : { functionCall, thoughtSignature: signature }, call }
}
