// Gemini `inlineData` / `fileData` (in user turns and in `functionResponse.parts`) → canonical
// image and document parts (PROTOCOLS.md §4.1, §6.2). Decisions:
// - `image/*` → ImagePart; `application/pdf` → DocumentPart with a data: URL (or the file URL);
// - inline `text/*` → DocumentPart with the decoded text: every backend takes plain-text
//   documents as text (a 400 if the bytes are not UTF-8); a `text/*` fileData keeps its URL;
// - `displayName` becomes a document's filename (images have no name slot);
// - `fileData.fileUri` must be http(s): `gs://` objects are readable by Google only, and
//   `mimeType` is required there to tell images from documents;
// - audio, video and other media have no canonical part: a 400 naming `mimeType`.
import type { DocumentPart, ImagePart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys } from '../shared/fields.js'
import { dataUrl } from '../shared/images.js'
import { expectObject, expectString, fieldPath, optionalString } from '../shared/json.js'
import { field, rules } from './client-fields.js'

const UTF8 = new TextDecoder('utf-8', { fatal: true })
/** Where media appear: a content part, or a part of a function response (Gemini 3). */
export type MediaHolder = 'contents[].parts[]' | 'contents[].parts[].functionResponse.parts[]'
const INLINE_KEYS = ['mimeType', 'data', 'displayName']
const FILE_KEYS = ['mimeType', 'fileUri', 'displayName']
const KEYS = {
  'contents[].parts[]': { inline: rules(INLINE_KEYS, 'contents[].parts[].inlineData'), file: rules(FILE_KEYS, 'contents[].parts[].fileData') },
  'contents[].parts[].functionResponse.parts[]': {
    inline: rules(INLINE_KEYS, 'contents[].parts[].functionResponse.parts[].inlineData'),
    file: rules(FILE_KEYS, 'contents[].parts[].functionResponse.parts[].fileData'),
  },
}
const PORTABLE = 'has no portable form; images, PDF and text/* only'

export type MediaPart = ImagePart | DocumentPart

export function decodeInlineData (value: unknown, path: string, holder: MediaHolder): MediaPart {
  const inline = expectObject(value, path)
  checkKeys(inline, path, KEYS[holder].inline)
  const mimeType = expectString(field(inline, 'mimeType', 'mime_type'), fieldPath(path, 'mimeType'))
  const data = expectString(inline.data, fieldPath(path, 'data'))
  const name = optionalString(field(inline, 'displayName', 'display_name'), fieldPath(path, 'displayName'))
  if (mimeType.startsWith('image/')) return { type: 'image', url: dataUrl(mimeType, data) }
  if (mimeType === 'application/pdf') return named({ type: 'document', url: dataUrl(mimeType, data) }, name)
  if (mimeType.startsWith('text/')) return named({ type: 'document', text: utf8(data, fieldPath(path, 'data')) }, name)
  throw convertError(fieldPath(path, 'mimeType'), `'${mimeType}' ${PORTABLE}`, true)
}

export function decodeFileData (value: unknown, path: string, holder: MediaHolder): MediaPart {
  const file = expectObject(value, path)
  checkKeys(file, path, KEYS[holder].file)
  const mimeType = expectString(field(file, 'mimeType', 'mime_type'), fieldPath(path, 'mimeType'))
  const uri = expectString(field(file, 'fileUri', 'file_uri'), fieldPath(path, 'fileUri'))
  const name = optionalString(field(file, 'displayName', 'display_name'), fieldPath(path, 'displayName'))
  if (!uri.startsWith('https://') && !uri.startsWith('http://')) {
    throw convertError(fieldPath(path, 'fileUri'), 'only http(s) URLs can be carried to a non-Gemini backend', true)
  }
  if (mimeType.startsWith('image/')) return { type: 'image', url: uri }
  if (mimeType === 'application/pdf' || mimeType.startsWith('text/')) return named({ type: 'document', url: uri }, name)
  throw convertError(fieldPath(path, 'mimeType'), `'${mimeType}' ${PORTABLE}`, true)
}

function named (doc: DocumentPart, name: string | undefined): DocumentPart {
  return name === undefined ? doc : { ...doc, filename: name }
}

function utf8 (base64: string, path: string): string {
  try {
    return UTF8.decode(Buffer.from(base64, 'base64'))
  } catch {
    throw convertError(path, 'a text/* document must be UTF-8 text')
  }
}
