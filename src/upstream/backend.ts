// Per-backend runtime state built once at boot: the parsed URL, the undici Pool (one keep-alive
// pool per backend, closed with the app), the headers to inject and the model mapping.
import { Pool } from 'undici'
import type { BackendConfig, BackendProtocol } from '../config/schema.js'
import { PROTOCOL_HEADERS } from './credentials.js'

/** undici's own default, kept explicit: an LLM may think for minutes before its first byte. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 300_000

export interface Backend {
  readonly name: string
  readonly protocol: BackendProtocol
  readonly config: BackendConfig
  /** Absent for the in-process `mock` protocol. */
  readonly pool?: Pool
  readonly basePath: string
  /** Host header value for the upstream (`host[:port]`). */
  readonly host: string
  /** Credentials plus configured extra headers, lower-cased names. */
  readonly inject: Readonly<Record<string, string>>
  readonly defaults: Readonly<Record<string, string>>
  readonly timeoutMs: number
  /** The upstream model for a client model, or `undefined` to leave the request as it is. */
  mapModel (model: string | undefined): string | undefined
}

function lowerKeys (headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v
  return out
}

export function createBackend (config: BackendConfig): Backend {
  const protocol = config.protocol
  const wire = PROTOCOL_HEADERS[protocol]
  const timeoutMs = config.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS
  const url = config.url === undefined ? undefined : new URL(config.url)
  const firstKey = config.apiKey === undefined ? undefined : [config.apiKey].flat()[0]
  const inject = { ...lowerKeys(config.headers), ...(firstKey === undefined ? {} : wire.credentials(firstKey)) }
  const aliases = config.models ?? {}
  const override = config.model
  const mapModel = (model: string | undefined): string | undefined => {
    if (override !== undefined) return override === model ? undefined : override
    if (model === undefined || !Object.hasOwn(aliases, model)) return undefined
    return aliases[model]
  }
  return {
    name: config.name,
    protocol,
    config,
    ...(url === undefined || protocol === 'mock'
      ? {}
      : { pool: new Pool(url.origin, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }) }),
    basePath: url?.pathname ?? '/',
    host: url?.host ?? '',
    inject,
    defaults: wire.defaults,
    timeoutMs,
    mapModel,
  }
}
