// Canonical user content and tool-result content → Responses `input_*` parts (PROTOCOLS.md
// §2.1, §6.2, §6.6). Choices made here:
// - documents: a data: URL travels whole as `file_data`, an http(s) URL as `file_url`, plain
//   text as `input_text`. OpenAI requires `filename` beside `file_data`, so one is synthesised
//   from the media type (`document.pdf`) when the client gave neither filename nor title;
// - a tool output is a string when the result is all text (text parts joined with "\n\n", as
//   the Chat encoder does), else a list of parts; Responses has no error flag, so an `isError`
//   result is prefixed "Error: " exactly like the Chat encoder's tool messages (§6.6);
// - cacheControl is stripped (§6.10, §7.25); `detail` is kept (it is OpenAI's own).
import type { DocumentPart, ToolResultContent, ToolResultPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { InputContentPart, InputFilePart, ToolOutput } from './wire-request.js'

/** Extensions OpenAI recognises for the media types clients send most. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'text/html': 'html',
  'application/json': 'json',
}
const DATA_URL_MIME = /^data:([^;,]+)/
const SIMPLE_SUBTYPE = /^[a-z0-9]+$/

export function contentPart (part: ToolResultContent, path: string): InputContentPart {
  switch (part.type) {
    case 'text': return { type: 'input_text', text: part.text }
    case 'image': return part.detail === undefined
      ? { type: 'input_image', image_url: part.url }
      : { type: 'input_image', image_url: part.url, detail: part.detail }
    case 'document': return documentPart(part, path)
  }
}

function documentPart (doc: DocumentPart, path: string): InputContentPart {
  const filename = doc.filename ?? doc.title
  if (doc.url === undefined) {
    if (doc.text === undefined) throw convertError(path, 'a document needs a url or text')
    return { type: 'input_text', text: doc.text }
  }
  if (doc.url.startsWith('data:')) {
    return { type: 'input_file', file_data: doc.url, filename: filename ?? syntheticFilename(doc.url) }
  }
  if (doc.url.startsWith('https://') || doc.url.startsWith('http://')) {
    const file: InputFilePart = { type: 'input_file', file_url: doc.url }
    return filename === undefined ? file : { ...file, filename }
  }
  throw convertError(path, 'a document URL must be a data: or http(s) URL for a Responses backend', true)
}

/** `document.<ext>` from the data URL's media type; `document` when none fits. */
function syntheticFilename (dataUrl: string): string {
  const mime = DATA_URL_MIME.exec(dataUrl)?.[1]?.toLowerCase() ?? ''
  const known = EXTENSIONS[mime]
  if (known !== undefined) return 'document.' + known
  const subtype = mime.slice(mime.indexOf('/') + 1)
  return SIMPLE_SUBTYPE.test(subtype) ? 'document.' + subtype : 'document'
}

function isText (c: ToolResultContent): c is ToolResultContent & { text: string } {
  return c.type === 'text' || (c.type === 'document' && c.url === undefined && c.text !== undefined)
}

export function toolOutput (result: ToolResultPart, path: string): ToolOutput {
  if (result.content.every(isText)) {
    let text = ''
    for (const c of result.content) text += (text === '' ? '' : '\n\n') + c.text
    return result.isError === true ? (text === '' ? 'Error' : 'Error: ' + text) : text
  }
  const parts: InputContentPart[] = []
  for (let k = 0; k < result.content.length; k++) {
    parts.push(contentPart(result.content[k] as ToolResultContent, path + '.content[' + k + ']'))
  }
  if (result.isError !== true) return parts
  const first = parts[0]
  if (first !== undefined && first.type === 'input_text') parts[0] = { type: 'input_text', text: 'Error: ' + first.text }
  else parts.unshift({ type: 'input_text', text: 'Error' })
  return parts
}
