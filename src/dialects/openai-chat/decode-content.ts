// Chat content (a string or a list of parts) → canonical parts, one function per role because
// each role admits different part types (PROTOCOLS.md §1.1, §6.2): system and tool content is
// text only, assistant content is text and refusal, user content is text, image_url and file.
// `input_audio` has no canonical form and is rejected by path.
import type { AssistantPart, DocumentPart, TextPart, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { imageUrl } from '../shared/images.js'
import { expectArray, expectObject, expectString, fieldPath, isAbsent, itemPath, optionalString, type JsonObject } from '../shared/json.js'
import { pushText } from '../shared/request.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const TEXT_PART_KEYS = rules(['type', 'text'], 'messages[].content[]')
const REFUSAL_PART_KEYS = rules(['type', 'refusal'], 'messages[].content[]')
const IMAGE_PART_KEYS = rules(['type', 'image_url'], 'messages[].content[]')
const IMAGE_URL_KEYS = rules(['url', 'detail'], 'messages[].content[].image_url')
const FILE_PART_KEYS = rules(['type', 'file'], 'messages[].content[]')
const FILE_KEYS = rules(['file_data', 'file_id', 'filename'], 'messages[].content[].file')

/** A list of parts (strings are handled before); absent content is an error here. */
function partList (content: unknown, path: string): readonly unknown[] {
  if (isAbsent(content)) throw convertError(path, 'required')
  return expectArray(content, path)
}

function partOf (value: unknown, path: string): { part: JsonObject, type: string } {
  const part = expectObject(value, path)
  return { part, type: expectString(part.type, fieldPath(path, 'type')) }
}

function unsupported (type: string, path: string): Error {
  return convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
}

function textOf (part: JsonObject, path: string): string {
  checkKeys(part, path, TEXT_PART_KEYS)
  return expectString(part.text, fieldPath(path, 'text'))
}

/** System, developer and tool content: text only. */
export function decodeTextContent (content: unknown, path: string, parts: TextPart[]): void {
  if (typeof content === 'string') return pushText(parts, content)
  const list = partList(content, path)
  for (let i = 0; i < list.length; i++) {
    const p = itemPath(path, i)
    const { part, type } = partOf(list[i], p)
    if (type !== 'text') throw unsupported(type, p)
    pushText(parts, textOf(part, p))
  }
}

/** User content: text, `image_url` and `file` parts (§6.2). */
export function decodeUserContent (content: unknown, path: string): UserPart[] {
  const parts: UserPart[] = []
  if (typeof content === 'string') {
    pushText(parts, content)
    return parts
  }
  const list = partList(content, path)
  for (let i = 0; i < list.length; i++) {
    const p = itemPath(path, i)
    const { part, type } = partOf(list[i], p)
    if (type === 'text') pushText(parts, textOf(part, p))
    else if (type === 'image_url') parts.push(imagePart(part, p))
    else if (type === 'file') parts.push(filePart(part, p))
    else throw unsupported(type, p)
  }
  return parts
}

/** Assistant content: text and `refusal` parts; `null` is the caller's to allow. */
export function decodeAssistantContent (content: unknown, path: string, parts: AssistantPart[]): void {
  if (typeof content === 'string') return pushText(parts, content)
  const list = partList(content, path)
  for (let i = 0; i < list.length; i++) {
    const p = itemPath(path, i)
    const { part, type } = partOf(list[i], p)
    if (type === 'text') pushText(parts, textOf(part, p))
    else if (type === 'refusal') {
      checkKeys(part, p, REFUSAL_PART_KEYS)
      pushRefusal(parts, expectString(part.refusal, fieldPath(p, 'refusal')))
    } else throw unsupported(type, p)
  }
}

/** Empty refusals are dropped like empty text. */
export function pushRefusal (parts: AssistantPart[], text: string): void {
  if (text !== '') parts.push({ type: 'refusal', text })
}

function imagePart (part: JsonObject, path: string): UserPart {
  checkKeys(part, path, IMAGE_PART_KEYS)
  const image = expectObject(part.image_url, fieldPath(path, 'image_url'))
  checkKeys(image, fieldPath(path, 'image_url'), IMAGE_URL_KEYS)
  const url = imageUrl(image.url, fieldPath(path, 'image_url.url'))
  const detail = optionalString(image.detail, fieldPath(path, 'image_url.detail'))
  return detail === undefined ? { type: 'image', url } : { type: 'image', url, detail }
}

/** `file.file_data` is a data URL (§1.1); uploaded `file_id`s live on OpenAI and cannot travel. */
function filePart (part: JsonObject, path: string): DocumentPart {
  checkKeys(part, path, FILE_PART_KEYS)
  const filePath = fieldPath(path, 'file')
  const file = expectObject(part.file, filePath)
  checkKeys(file, filePath, FILE_KEYS)
  if (!isAbsent(file.file_id)) throw convertError(fieldPath(filePath, 'file_id'), 'uploaded files are not supported; send file_data', true)
  const url = expectString(file.file_data, fieldPath(filePath, 'file_data'))
  if (!url.startsWith('data:')) throw convertError(fieldPath(filePath, 'file_data'), 'must be a data: URL')
  const filename = optionalString(file.filename, fieldPath(filePath, 'filename'))
  return filename === undefined ? { type: 'document', url } : { type: 'document', url, filename }
}
