// How each backend protocol expects its credentials (SPEC.md "Backend protocols"). `defaults`
// are set only when the client did not send the header itself.
import type { BackendProtocol } from '../config/schema.js'

export interface ProtocolHeaders {
  readonly credentials: (apiKey: string) => Readonly<Record<string, string>>
  readonly defaults: Readonly<Record<string, string>>
}

const bearer = (apiKey: string) => ({ authorization: 'Bearer ' + apiKey })

export const PROTOCOL_HEADERS: Readonly<Record<BackendProtocol, ProtocolHeaders>> = {
  'openai-chat': { credentials: bearer, defaults: {} },
  'openai-responses': { credentials: bearer, defaults: {} },
  anthropic: { credentials: apiKey => ({ 'x-api-key': apiKey }), defaults: { 'anthropic-version': '2023-06-01' } },
  gemini: { credentials: apiKey => ({ 'x-goog-api-key': apiKey }), defaults: {} },
  coze: { credentials: bearer, defaults: {} },
  mock: { credentials: () => ({}), defaults: {} },
}
