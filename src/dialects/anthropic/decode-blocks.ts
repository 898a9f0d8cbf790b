// The leaf content blocks an Anthropic request carries: text, image, document (PROTOCOLS.md
// §3.1, §6.2). They appear in user messages, inside `tool_result.content` and (text only) in
// `system`, so each decoder takes the IGNORED_FIELDS pattern of the place it is read from.
import type { DocumentPart, ImagePart, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { dataUrl, imageUrl } from '../shared/images.js'
import { expectObject, expectOneOf, expectString, fieldPath, optionalString, type JsonObject } from '../shared/json.js'
import { decodeCacheControl, withCache } from './cache-control.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const TEXT = ['type', 'text', 'cache_control']
const IMAGE = ['type', 'source', 'cache_control']
const DOCUMENT = ['type', 'source', 'title', 'cache_control']
const BASE64_KEYS = ['type', 'media_type', 'data']
const URL_KEYS = ['type', 'url']
const PDF = ['application/pdf'] as const
const PLAIN = ['text/plain'] as const

/** A text block; `undefined` for empty text (dropped everywhere, §6.1). */
export function decodeText (block: JsonObject, path: string, pattern: string): TextPart | undefined {
  checkKeys(block, path, rules(TEXT, pattern))
  const text = expectString(block.text, fieldPath(path, 'text'))
  if (text === '') return undefined
  return withCache<TextPart>({ type: 'text', text }, decodeCacheControl(block.cache_control, fieldPath(path, 'cache_control')))
}

export function decodeImage (block: JsonObject, path: string, pattern: string): ImagePart {
  checkKeys(block, path, rules(IMAGE, pattern))
  const url = imageSource(block.source, fieldPath(path, 'source'), fieldPath(pattern, 'source'))
  return withCache<ImagePart>({ type: 'image', url }, decodeCacheControl(block.cache_control, fieldPath(path, 'cache_control')))
}

/** `source`: base64 → data URL, url → as is (§6.2). */
function imageSource (value: unknown, path: string, pattern: string): string {
  const source = expectObject(value, path)
  const type = expectString(source.type, fieldPath(path, 'type'))
  if (type === 'base64') {
    checkKeys(source, path, rules(BASE64_KEYS, pattern))
    return dataUrl(expectString(source.media_type, fieldPath(path, 'media_type')), expectString(source.data, fieldPath(path, 'data')))
  }
  if (type === 'url') {
    checkKeys(source, path, rules(URL_KEYS, pattern))
    return imageUrl(source.url, fieldPath(path, 'url'))
  }
  throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
}

/** `document`: base64 PDF → data URL, url → as is, text source → `text` (§6.2). */
export function decodeDocument (block: JsonObject, path: string, pattern: string): DocumentPart {
  checkKeys(block, path, rules(DOCUMENT, pattern))
  const part: DocumentPart = { ...documentSource(block.source, fieldPath(path, 'source'), fieldPath(pattern, 'source')) }
  const title = optionalString(block.title, fieldPath(path, 'title'))
  const titled: DocumentPart = title === undefined ? part : { ...part, title }
  return withCache(titled, decodeCacheControl(block.cache_control, fieldPath(path, 'cache_control')))
}

function documentSource (value: unknown, path: string, pattern: string): DocumentPart {
  const source = expectObject(value, path)
  const type = expectString(source.type, fieldPath(path, 'type'))
  const data = (): string => expectString(source.data, fieldPath(path, 'data'))
  switch (type) {
    case 'base64':
      checkKeys(source, path, rules(BASE64_KEYS, pattern))
      return { type: 'document', url: dataUrl(expectOneOf(source.media_type, fieldPath(path, 'media_type'), PDF), data()) }
    case 'text':
      checkKeys(source, path, rules(BASE64_KEYS, pattern))
      expectOneOf(source.media_type, fieldPath(path, 'media_type'), PLAIN)
      return { type: 'document', text: data() }
    case 'url':
      checkKeys(source, path, rules(URL_KEYS, pattern))
      return { type: 'document', url: imageUrl(source.url, fieldPath(path, 'url')) }
    default:
      // `content` (custom block lists) and `file` (Files API ids) have no canonical form.
      throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
  }
}
