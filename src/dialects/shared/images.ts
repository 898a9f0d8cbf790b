// Images travel in canonical form as a URL: a `data:` URL or an http(s) URL, as the client sent
// it (src/canonical/request.ts; PROTOCOLS.md §6.2).
import { convertError } from '../../errors/codes.js'
import { expectString } from './json.js'

export function imageUrl (value: unknown, path: string): string {
  const url = expectString(value, path)
  if (url.startsWith('data:') || url.startsWith('https://') || url.startsWith('http://')) return url
  throw convertError(path, 'must be an https or data: URL')
}

/** Inline base64 image (Anthropic `source.base64`, Gemini `inlineData`) → data URL. */
export function dataUrl (mimeType: string, base64: string): string {
  return 'data:' + mimeType + ';base64,' + base64
}
