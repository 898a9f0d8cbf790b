// Per-backend runtime state built once at boot: the parsed URL, the undici Pool (one keep-alive
// pool per backend, closed with the app), the credential header sets and the key rotation
// state, the retry and fallback settings, and the model mapping.
import { Pool } from 'undici'
import type { BackendConfig, BackendProtocol } from '../config/schema.js'
import { credentialSets, PROTOCOL_HEADERS } from './credentials.js'
import { KeyPool } from './key-pool.js'

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
  /**
   * Headers to inject, one set per API key (configured headers plus that key's credentials,
   * lower-cased names); index with `keys.pick()`. One set without credentials when keyless.
   */
  readonly credentials: readonly Readonly<Record<string, string>>[]
  /** Which key the next attempt uses, and which keys are cooling down. */
  readonly keys: KeyPool
  readonly defaults: Readonly<Record<string, string>>
  readonly timeoutMs: number
  /** Extra attempts after a retryable failure (SPEC `retries`, default 0). */
  readonly retries: number
  /** Backend names to try, in order, when this one fails after its retries. */
  readonly fallback: readonly string[]
  /** The upstream model for a client model, or `undefined` to leave the request as it is. */
  mapModel (model: string | undefined): string | undefined
}

export function createBackend (config: BackendConfig): Backend {
  const protocol = config.protocol
  const timeoutMs = config.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS
  const url = config.url === undefined ? undefined : new URL(config.url)
  const credentials = credentialSets(protocol, config.apiKey, config.headers)
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
    credentials,
    keys: new KeyPool(credentials.length),
    defaults: PROTOCOL_HEADERS[protocol].defaults,
    timeoutMs,
    retries: config.retries ?? 0,
    fallback: config.fallback ?? [],
    mapModel,
  }
}
