// How each backend protocol expects its credentials (SPEC.md "Backend protocols"), and the
// header sets built from them once at boot: one per configured key, so an attempt picks a key
// (src/upstream/key-pool.ts) and sends its set without building anything. `defaults` are set
// only when the client did not send the header itself.
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

function lowerKeys (headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v
  return out
}

/**
 * The headers to inject for each key, in key order: the backend's configured headers plus that
 * key's credentials (credentials win over a configured header of the same name). A backend
 * without a key gets one set, its configured headers alone.
 */
export function credentialSets (
  protocol: BackendProtocol,
  apiKey: string | readonly string[] | undefined,
  headers: Readonly<Record<string, string>> | undefined,
): readonly Readonly<Record<string, string>>[] {
  const configured = lowerKeys(headers)
  const keys = apiKey === undefined ? [] : typeof apiKey === 'string' ? [apiKey] : apiKey
  if (keys.length === 0) return [configured]
  const wire = PROTOCOL_HEADERS[protocol]
  return keys.map(key => ({ ...configured, ...wire.credentials(key) }))
}
