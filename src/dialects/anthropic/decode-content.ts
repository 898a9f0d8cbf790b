// Anthropic message content → canonical parts (PROTOCOLS.md §3.1, §6.2). Not yet mapped:
// tool_use, tool_result, thinking, redacted_thinking, document, search_result, server tool
// blocks, `image.source` of type `file`, and text `citations`.
import type { Part } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { dataUrl, imageUrl } from '../shared/images.js'
import { expectArray, expectObject, expectString, fieldPath, isAbsent, itemPath } from '../shared/json.js'
import { pushText } from '../shared/request.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const TEXT_KEYS = rules(['type', 'text'], 'messages[].content[]')
const IMAGE_KEYS = rules(['type', 'source'], 'messages[].content[]')
const BASE64_KEYS = rules(['type', 'media_type', 'data'], 'messages[].content[].source')
const URL_KEYS = rules(['type', 'url'], 'messages[].content[].source')
const SYSTEM_TEXT_KEYS = rules(['type', 'text'], 'system[]')

/** `content`: a string or a list of blocks; `imagesAllowed` is false for system text. */
export function decodeContent (content: unknown, path: string, parts: Part[], imagesAllowed: boolean): void {
  if (isAbsent(content)) throw convertError(path, 'required')
  if (typeof content === 'string') return pushText(parts, content)
  const list = expectArray(content, path)
  for (let i = 0; i < list.length; i++) decodeBlock(list[i], itemPath(path, i), parts, imagesAllowed)
}

function decodeBlock (value: unknown, path: string, parts: Part[], imagesAllowed: boolean): void {
  const block = expectObject(value, path)
  const type = expectString(block.type, fieldPath(path, 'type'))
  if (type === 'text') {
    checkKeys(block, path, TEXT_KEYS)
    return pushText(parts, expectString(block.text, fieldPath(path, 'text')))
  }
  if (type === 'image' && imagesAllowed) {
    checkKeys(block, path, IMAGE_KEYS)
    parts.push({ type: 'image', url: imageSource(block.source, fieldPath(path, 'source')) })
    return
  }
  throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
}

/** `source`: base64 → data URL, url → as is (§6.2). */
function imageSource (value: unknown, path: string): string {
  const source = expectObject(value, path)
  const type = expectString(source.type, fieldPath(path, 'type'))
  if (type === 'base64') {
    checkKeys(source, path, BASE64_KEYS)
    return dataUrl(expectString(source.media_type, fieldPath(path, 'media_type')), expectString(source.data, fieldPath(path, 'data')))
  }
  if (type === 'url') {
    checkKeys(source, path, URL_KEYS)
    return imageUrl(source.url, fieldPath(path, 'url'))
  }
  throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
}

/** Top-level `system`: a string or text blocks only (§3.1). */
export function decodeSystem (value: unknown, parts: Part[]): void {
  if (isAbsent(value)) return
  if (typeof value === 'string') return pushText(parts, value)
  const list = expectArray(value, 'system')
  for (let i = 0; i < list.length; i++) {
    const path = itemPath('system', i)
    const block = expectObject(list[i], path)
    const type = expectString(block.type, fieldPath(path, 'type'))
    if (type !== 'text') throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
    checkKeys(block, path, SYSTEM_TEXT_KEYS)
    pushText(parts, expectString(block.text, fieldPath(path, 'text')))
  }
}
