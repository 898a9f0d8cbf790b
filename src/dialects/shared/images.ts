// Images travel in canonical form as a URL: a `data:` URL or an http(s) URL, as the client sent
// it (src/canonical/request.ts; PROTOCOLS.md §6.2).
import { convertError } from '../../errors/codes.js'
import { expectString } from './json.js'

export function imageUrl (value: unknown, path: string): string {
  const url = expectString(value, path)
  if (url.startsWith('data:') || url.startsWith('https://') || url.startsWith('http://')) return url
  throw convertError(path, 'must be an https or data: URL')
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s

/** A canonical `data:` URL's media type (lower-cased) and base64 data; `undefined` for any other URL. */
export function parseDataUrl (url: string, path: string): { readonly mime: string, readonly data: string } | undefined {
  if (!url.startsWith('data:')) return undefined
  const m = DATA_URL.exec(url)
  if (m === null) throw convertError(path, 'data URLs must be base64')
  return { mime: (m[1] as string).toLowerCase(), data: m[2] as string }
}

/** Inline base64 image (Anthropic `source.base64`, Gemini `inlineData`) → data URL. */
export function dataUrl (mimeType: string, base64: string): string {
  return 'data:' + mimeType + ';base64,' + base64
}
