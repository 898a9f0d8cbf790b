// The config file's shape (SPEC.md "Config file"). TypeBox gives both the JSON Schema that Ajv
// validates with and the static types the rest of the code reads; unknown keys are errors
// everywhere (`additionalProperties: false`).
import { Type, type Static, type TSchema, type TString, type TProperties } from '@sinclair/typebox'

/** Closed object: unknown keys are config errors. */
const Strict = <T extends TProperties>(props: T) => Type.Object(props, { additionalProperties: false })

const NonEmpty = Type.String({ minLength: 1 })
const Port = Type.Integer({ minimum: 0, maximum: 65535 })
const PositiveInt = Type.Integer({ minimum: 1 })
const NonNegativeInt = Type.Integer({ minimum: 0 })
// A `description` next to a `pattern` is what a config error says instead of the regex.
const Name = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: '1-64 characters from A-Z a-z 0-9 _ . -' })
const StringMap = <V extends TSchema = TString>(value?: V) => Type.Record(Type.String(), value ?? Type.String())

/** `timeWindow` as ms or a duration string (`1 minute`, `30s`), as @fastify/rate-limit takes it. */
export const TimeWindow = Type.Union([
  PositiveInt,
  Type.String({
    pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)?\\s*$',
    description: 'a duration such as "1 minute", "30s" or "500ms"',
  }),
], { description: 'milliseconds (integer >= 1) or a duration such as "1 minute"' })

export const RateLimit = Strict({ max: PositiveInt, timeWindow: TimeWindow })

export const BACKEND_PROTOCOLS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'coze', 'mock'] as const
export type BackendProtocol = (typeof BACKEND_PROTOCOLS)[number]

export const Match = Strict({
  pathPrefix: Type.Optional(Type.String({ pattern: '^/', description: 'a path starting with "/"' })),
  headers: Type.Optional(StringMap()),
  models: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })),
  default: Type.Optional(Type.Boolean()),
})

export const Backend = Strict({
  name: Name,
  url: Type.Optional(Type.String()),
  protocol: Type.Union(BACKEND_PROTOCOLS.map(p => Type.Literal(p))),
  /** One key, or several used in turn (a key answered 429/401 cools down while the others serve). */
  apiKey: Type.Optional(Type.Union([Type.String(), Type.Array(NonEmpty, { minItems: 1 })])),
  headers: Type.Optional(StringMap()),
  model: Type.Optional(NonEmpty),
  models: Type.Optional(StringMap(NonEmpty)),
  timeoutMs: Type.Optional(PositiveInt),
  defaultMaxTokens: Type.Optional(PositiveInt),
  maxOutputTokens: Type.Optional(PositiveInt),
  retries: Type.Optional(NonNegativeInt),
  fallback: Type.Optional(Type.Array(NonEmpty)),
  /** Responses backends (Codex-style): instructions sent first on every request. */
  instructions: Type.Optional(NonEmpty),
  /** Always call the upstream streaming; whole replies are assembled from the stream. */
  forceStream: Type.Optional(Type.Boolean()),
  /** Responses backends: `include` values added to every request. */
  include: Type.Optional(Type.Array(NonEmpty)),
  /** Top-level fields removed from every converted request (upstreams that refuse them). */
  dropFields: Type.Optional(Type.Array(NonEmpty)),
  /** Coze backends: the default bot and workflow, the user id, the workflow's input parameter. */
  coze: Type.Optional(Strict({
    botId: Type.Optional(NonEmpty),
    workflowId: Type.Optional(NonEmpty),
    userId: Type.Optional(NonEmpty),
    workflowInput: Type.Optional(NonEmpty),
  })),
  match: Type.Optional(Match),
})

export const ConfigSchema = Strict({
  server: Type.Optional(Strict({
    host: Type.Optional(NonEmpty),
    port: Type.Optional(Port),
    bodyLimit: Type.Optional(PositiveInt),
    shutdownGraceMs: Type.Optional(NonNegativeInt),
    requestTimeoutMs: Type.Optional(PositiveInt),
    trustProxy: Type.Optional(Type.Union([Type.Boolean(), Type.String()])),
    /** Load shedding: above this event-loop delay, new requests get 503 at once (0: off). */
    maxEventLoopDelayMs: Type.Optional(NonNegativeInt),
  })),
  logging: Type.Optional(Strict({
    level: Type.Optional(Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(l => Type.Literal(l)))),
    requestBodies: Type.Optional(Type.Boolean()),
  })),
  auth: Type.Optional(Strict({
    keys: Type.Array(Strict({
      name: Name,
      key: Type.String({ minLength: 8 }),
      backends: Type.Optional(Type.Array(NonEmpty)),
      models: Type.Optional(Type.Array(NonEmpty)),
      rateLimit: Type.Optional(RateLimit),
    })),
  })),
  rateLimit: Type.Optional(RateLimit),
  redis: Type.Optional(Strict({ url: Type.String({ pattern: '^rediss?://', description: 'a redis:// or rediss:// URL' }) })),
  responses: Type.Optional(Strict({
    ttlSeconds: Type.Optional(PositiveInt),
    maxEntries: Type.Optional(PositiveInt),
  })),
  cors: Type.Optional(Strict({ origins: Type.Array(NonEmpty) })),
  backends: Type.Array(Backend, { minItems: 1 }),
})

/** The config exactly as written in the file (after `${VAR}` substitution). */
export type RawConfig = Static<typeof ConfigSchema>
export type BackendConfig = Static<typeof Backend>
export type MatchConfig = Static<typeof Match>
export type RateLimitConfig = Static<typeof RateLimit>
export type ClientKeyConfig = NonNullable<RawConfig['auth']>['keys'][number]

/** Server settings with every default filled in; the rest of the code never re-checks them. */
export interface ServerSettings {
  readonly host: string
  readonly port: number
  readonly bodyLimit: number
  readonly shutdownGraceMs: number
  readonly requestTimeoutMs: number
  readonly trustProxy: boolean | string
  readonly maxEventLoopDelayMs: number
}

export interface LoggingSettings {
  readonly level: string
  readonly requestBodies: boolean
}

/** A validated config with defaults applied: what `buildApp` takes. */
export interface Config {
  readonly server: ServerSettings
  readonly logging: LoggingSettings
  readonly auth?: RawConfig['auth']
  readonly rateLimit?: RateLimitConfig
  readonly redis?: RawConfig['redis']
  readonly responses: { readonly ttlSeconds: number, readonly maxEntries: number }
  readonly cors?: RawConfig['cors']
  readonly backends: readonly BackendConfig[]
}

export const DEFAULTS = {
  server: {
    host: '0.0.0.0',
    port: 8080,
    bodyLimit: 10 * 1024 * 1024,
    shutdownGraceMs: 30_000,
    requestTimeoutMs: 600_000,
    trustProxy: false,
    maxEventLoopDelayMs: 1000,
  },
  logging: { level: 'info', requestBodies: false },
  responses: { ttlSeconds: 86_400, maxEntries: 10_000 },
} as const satisfies Pick<Config, 'server' | 'logging' | 'responses'>
