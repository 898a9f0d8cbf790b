// Responses content parts → canonical parts (PROTOCOLS.md §2.1, §6.2, §6.6): message content
// (a string or parts) per role, and tool outputs (a string or input_* parts). Replayed history
// mixes `input_text` and `output_text` freely, so both are plain text for every role; images and
// files are user (and tool-output) content only, refusals assistant content only.
// Uploaded `file_id`s live on OpenAI and cannot reach another backend: rejected naming the field.
import type { AssistantPart, DocumentPart, ImagePart, TextPart, ToolResultContent, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { dataUrl, imageUrl } from '../shared/images.js'
import { expectArray, expectObject, expectString, fieldPath, isAbsent, itemPath, optionalString, type JsonObject } from '../shared/json.js'
import { pushText } from '../shared/request.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

type Part = UserPart | AssistantPart
/** Which part types a content list admits. */
type Allowed = 'text' | 'user' | 'assistant'

const keys = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const CONTENT = 'input[].content[]'
const OUTPUT = 'input[].output[]'
const TEXT_KEYS = { [CONTENT]: keys(['type', 'text'], CONTENT), [OUTPUT]: keys(['type', 'text'], OUTPUT) }
const IMAGE_KEYS = { [CONTENT]: keys(['type', 'image_url', 'file_id', 'detail'], CONTENT), [OUTPUT]: keys(['type', 'image_url', 'file_id', 'detail'], OUTPUT) }
const FILE_KEYS = { [CONTENT]: keys(['type', 'file_data', 'file_id', 'file_url', 'filename'], CONTENT), [OUTPUT]: keys(['type', 'file_data', 'file_id', 'file_url', 'filename'], OUTPUT) }
const REFUSAL_KEYS = keys(['type', 'refusal'], CONTENT)

/** Media types for raw-base64 `file_data`, read off the filename's extension. */
const FILE_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  xml: 'application/xml',
}

function unsupported (type: string, path: string): Error {
  return convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
}

/** Message `content`: system/developer text only, user text/images/files, assistant text/refusals. */
export function decodeMessageContent (content: unknown, path: string, allowed: 'text', parts: TextPart[]): void
export function decodeMessageContent (content: unknown, path: string, allowed: 'user', parts: UserPart[]): void
export function decodeMessageContent (content: unknown, path: string, allowed: 'assistant', parts: AssistantPart[]): void
export function decodeMessageContent (content: unknown, path: string, allowed: Allowed, parts: Part[]): void {
  if (isAbsent(content)) throw convertError(path, 'required')
  if (typeof content === 'string') return pushText(parts, content)
  const list = expectArray(content, path)
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(path, i)
    const part = expectObject(list[i], at)
    const type = expectString(part.type, fieldPath(at, 'type'))
    if (type === 'input_text' || type === 'output_text') pushText(parts, textOf(part, at, CONTENT))
    else if (type === 'input_image' && allowed === 'user') parts.push(imagePart(part, at, CONTENT))
    else if (type === 'input_file' && allowed === 'user') parts.push(filePart(part, at, CONTENT))
    else if (type === 'refusal' && allowed === 'assistant') {
      checkKeys(part, at, REFUSAL_KEYS)
      const text = expectString(part.refusal, fieldPath(at, 'refusal'))
      if (text !== '') parts.push({ type: 'refusal', text })
    } else throw unsupported(type, at)
  }
}

/** A tool output: a string, or `input_text`/`input_image`/`input_file` parts (§6.6). */
export function decodeToolOutput (output: unknown, path: string): ToolResultContent[] {
  const parts: ToolResultContent[] = []
  if (isAbsent(output)) throw convertError(path, 'required')
  if (typeof output === 'string') {
    pushText(parts, output)
    return parts
  }
  const list = expectArray(output, path)
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(path, i)
    const part = expectObject(list[i], at)
    const type = expectString(part.type, fieldPath(at, 'type'))
    if (type === 'input_text' || type === 'output_text') pushText(parts, textOf(part, at, OUTPUT))
    else if (type === 'input_image') parts.push(imagePart(part, at, OUTPUT))
    else if (type === 'input_file') parts.push(filePart(part, at, OUTPUT))
    else throw unsupported(type, at)
  }
  return parts
}

function textOf (part: JsonObject, path: string, pattern: typeof CONTENT | typeof OUTPUT): string {
  checkKeys(part, path, TEXT_KEYS[pattern])
  return expectString(part.text, fieldPath(path, 'text'))
}

function rejectFileId (part: JsonObject, path: string, instead: string): void {
  if (!isAbsent(part.file_id)) {
    throw convertError(fieldPath(path, 'file_id'), `uploaded files live on OpenAI and cannot be sent to another backend; send ${instead}`, true)
  }
}

function imagePart (part: JsonObject, path: string, pattern: typeof CONTENT | typeof OUTPUT): ImagePart {
  checkKeys(part, path, IMAGE_KEYS[pattern])
  rejectFileId(part, path, 'image_url')
  const url = imageUrl(part.image_url, fieldPath(path, 'image_url'))
  const detail = optionalString(part.detail, fieldPath(path, 'detail'))
  return detail === undefined ? { type: 'image', url } : { type: 'image', url, detail }
}

/** `file_data` (a data URL, or raw base64 typed by the filename) or `file_url`. */
function filePart (part: JsonObject, path: string, pattern: typeof CONTENT | typeof OUTPUT): DocumentPart {
  checkKeys(part, path, FILE_KEYS[pattern])
  rejectFileId(part, path, 'file_data or file_url')
  const filename = optionalString(part.filename, fieldPath(path, 'filename'))
  const data = optionalString(part.file_data, fieldPath(path, 'file_data'))
  const url = data !== undefined ? fileDataUrl(data, filename, fieldPath(path, 'file_data')) : fileUrl(part.file_url, path)
  return filename === undefined ? { type: 'document', url } : { type: 'document', url, filename }
}

function fileDataUrl (data: string, filename: string | undefined, path: string): string {
  if (data.startsWith('data:')) return data
  const dot = filename === undefined ? -1 : filename.lastIndexOf('.')
  const mime = filename === undefined || dot < 0 ? undefined : FILE_TYPES[filename.slice(dot + 1).toLowerCase()]
  if (mime === undefined) throw convertError(path, 'raw base64 needs a filename ending in ' + Object.keys(FILE_TYPES).join(', ') + '; or send a data: URL')
  return dataUrl(mime, data)
}

function fileUrl (value: unknown, path: string): string {
  const at = fieldPath(path, 'file_url')
  if (isAbsent(value)) throw convertError(path, 'an input_file needs file_data or file_url')
  const url = expectString(value, at)
  if (url.startsWith('https://') || url.startsWith('http://')) return url
  throw convertError(at, 'must be an https URL')
}
