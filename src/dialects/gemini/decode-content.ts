// Gemini `contents[]` / `systemInstruction` → canonical messages and system parts
// (PROTOCOLS.md §4.1, §6.1, §6.2). Not yet mapped: functionCall, functionResponse, thought
// parts and thoughtSignature, fileData, executableCode, codeExecutionResult, videoMetadata,
// non-image inlineData (PDF, audio…).
import type { CanonicalMessage, ImagePart, TextPart } from '../../canonical/request.js'

/** What this decoder produces until the Gemini issue maps calls, results and thoughts. */
type Part = TextPart | ImagePart
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { dataUrl } from '../shared/images.js'
import { expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, type JsonObject } from '../shared/json.js'
import { pushText, simpleMessage } from '../shared/request.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

/** Proto JSON accepts snake_case as well as camelCase (§4.1). */
export function camelCase (key: string): string {
  if (!key.includes('_')) return key
  const words = key.split('_')
  let out = words[0] ?? ''
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? ''
    out += w.charAt(0).toUpperCase() + w.slice(1)
  }
  return out
}

/** A field read under either spelling. */
export function field (obj: JsonObject, camel: string, snake: string): unknown {
  const value = obj[camel]
  return value === undefined ? obj[snake] : value
}

export const rules = (known: readonly string[], pattern: string): KeyRules =>
  ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern, normalize: camelCase })
const CONTENT_KEYS = rules(['role', 'parts'], 'contents[]')
const SYSTEM_KEYS = rules(['parts'], 'systemInstruction')
const PART_KEYS = rules(['text', 'inlineData', 'thought'], 'contents[].parts[]')
const SYSTEM_PART_KEYS = rules(['text'], 'systemInstruction.parts[]')
const INLINE_KEYS = rules(['mimeType', 'data'], 'contents[].parts[].inlineData')
const ROLES = ['user', 'model'] as const

export function decodeContents (value: unknown, messages: CanonicalMessage[]): void {
  const list = expectArray(value, 'contents')
  for (let i = 0; i < list.length; i++) {
    const path = itemPath('contents', i)
    const content = expectObject(list[i], path)
    checkKeys(content, path, CONTENT_KEYS)
    // A single-turn request may omit `role`; the API reads it as `user`.
    const role = isAbsent(content.role) ? 'user' : expectOneOf(content.role, fieldPath(path, 'role'), ROLES)
    const parts: Part[] = []
    const list2 = expectArray(content.parts, fieldPath(path, 'parts'))
    for (let j = 0; j < list2.length; j++) decodePart(list2[j], itemPath(fieldPath(path, 'parts'), j), parts, role === 'user')
    messages.push(simpleMessage(role === 'model' ? 'assistant' : 'user', parts))
  }
}

function decodePart (value: unknown, path: string, parts: Part[], imagesAllowed: boolean): void {
  const part = expectObject(value, path)
  checkKeys(part, path, PART_KEYS)
  if (part.thought === true) throw convertError(fieldPath(path, 'thought'), 'not supported yet', true)
  const inline = field(part, 'inlineData', 'inline_data')
  if (!isAbsent(inline) && imagesAllowed) return pushImage(inline, fieldPath(path, 'inlineData'), parts)
  if (!isAbsent(inline)) throw convertError(fieldPath(path, 'inlineData'), 'not supported yet', true)
  if (isAbsent(part.text)) throw convertError(path, 'must hold text or inlineData')
  pushText(parts, expectString(part.text, fieldPath(path, 'text')))
}

/** Images only: other inline media (PDF, audio, video) have no canonical part yet. */
function pushImage (value: unknown, path: string, parts: Part[]): void {
  const inline = expectObject(value, path)
  checkKeys(inline, path, INLINE_KEYS)
  const mimeType = expectString(field(inline, 'mimeType', 'mime_type'), fieldPath(path, 'mimeType'))
  if (!mimeType.startsWith('image/')) throw convertError(fieldPath(path, 'mimeType'), `'${mimeType}' is not supported yet`, true)
  parts.push({ type: 'image', url: dataUrl(mimeType, expectString(inline.data, fieldPath(path, 'data'))) })
}

/** `systemInstruction: {parts:[{text}]}` (§4.1). */
export function decodeSystemInstruction (value: unknown, system: Part[]): void {
  if (isAbsent(value)) return
  const instruction = expectObject(value, 'systemInstruction')
  checkKeys(instruction, 'systemInstruction', SYSTEM_KEYS)
  const list = expectArray(instruction.parts, 'systemInstruction.parts')
  for (let i = 0; i < list.length; i++) {
    const path = itemPath('systemInstruction.parts', i)
    const part = expectObject(list[i], path)
    checkKeys(part, path, SYSTEM_PART_KEYS)
    pushText(system, expectString(part.text, fieldPath(path, 'text')))
  }
}
