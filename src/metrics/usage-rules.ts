// Where each client dialect reports token usage in a reply (PROTOCOLS.md §6.8), for the usage
// sniffer on passthrough traffic. Counts are converted with the dialects' own usage decoders, so
// passthrough and converted traffic count tokens the same way (input includes cached tokens,
// output includes reasoning).
//
// - Chat: whole `usage`; in a stream, the last chunk whose `usage` is set (sent before `[DONE]`
//   with `stream_options.include_usage`; servers that repeat it per chunk send running totals).
// - Responses: whole `usage`; in a stream, the terminal event's `response.usage`
//   (`response.completed`, or `.incomplete`/`.failed`, which carry usage too).
// - Anthropic: whole `usage`; in a stream, `message_start.message.usage` (input and cache counts)
//   overwritten by the last `message_delta.usage` (cumulative output, sometimes final input).
//   Without a `message_delta` the output count is unknown: no usage rather than a guess.
// - Gemini: the last `usageMetadata` (each stream chunk carries running totals).
import type { Usage } from '../canonical/usage.js'
import { canonicalUsage as anthropicCanonical, emptyCounts, readUsage } from '../dialects/anthropic/usage.js'
import { decodeUsage as geminiUsage } from '../dialects/gemini/decode-usage.js'
import { canonicalUsage as chatUsage } from '../dialects/openai-chat/usage.js'
import { decodeUsage as responsesUsage } from '../dialects/openai-responses/decode-usage.js'
import { isObject } from '../dialects/shared/json.js'
import type { ClientDialectId } from '../dialects/types.js'

export interface UsageRule {
  /** Usage of a whole (non-streamed) reply body. */
  whole (body: unknown): Usage | undefined
  /** Usage of a stream from its events' parsed data, in order (some may be missing between). */
  stream (events: readonly unknown[]): Usage | undefined
  /** The key whose object value is the usage, for replies too large to parse whole. */
  readonly key: string
  /** That object → usage; `undefined` when it is not a complete usage object. */
  usageObject (value: unknown): Usage | undefined
  /** Whether the last usage object alone is the answer in a stream too (not for Anthropic). */
  readonly keyInStream: boolean
}

/** The usage of the last event for which `pick` returns one. */
function lastOf (events: readonly unknown[], pick: (event: unknown) => Usage | undefined): Usage | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const usage = pick(events[i])
    if (usage !== undefined) return usage
  }
  return undefined
}

const field = (value: unknown, key: string): unknown => isObject(value) ? value[key] : undefined

const TERMINAL_RESPONSE_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/** Anthropic `usage` with both counts: a whole reply's, or one found by key. */
function anthropicWhole (value: unknown): Usage | undefined {
  if (!isObject(value) || typeof value.input_tokens !== 'number' || typeof value.output_tokens !== 'number') return undefined
  const counts = emptyCounts()
  readUsage(value, counts)
  return anthropicCanonical(counts)
}

function anthropicStream (events: readonly unknown[]): Usage | undefined {
  const counts = emptyCounts()
  let started = false
  let ended = false
  for (const event of events) {
    const type = field(event, 'type')
    if (type === 'message_start') started = readUsage(field(field(event, 'message'), 'usage'), counts) || started
    else if (type === 'message_delta') ended = readUsage(field(event, 'usage'), counts) || ended
  }
  return started && ended ? anthropicCanonical(counts) : undefined
}

export const USAGE_RULES: Readonly<Record<ClientDialectId, UsageRule>> = {
  'openai-chat': {
    whole: body => chatUsage(field(body, 'usage')),
    stream: events => lastOf(events, e => chatUsage(field(e, 'usage'))),
    key: 'usage',
    usageObject: chatUsage,
    keyInStream: true,
  },
  'openai-responses': {
    whole: body => responsesUsage(field(body, 'usage')),
    stream: events => lastOf(events, e => {
      const type = field(e, 'type')
      return typeof type === 'string' && TERMINAL_RESPONSE_EVENTS.has(type) ? responsesUsage(field(field(e, 'response'), 'usage')) : undefined
    }),
    key: 'usage',
    usageObject: responsesUsage,
    keyInStream: true,
  },
  anthropic: {
    whole: body => anthropicWhole(field(body, 'usage')),
    stream: anthropicStream,
    key: 'usage',
    usageObject: anthropicWhole,
    keyInStream: false,
  },
  gemini: {
    whole: body => Array.isArray(body) ? lastOf(body, e => geminiUsage(field(e, 'usageMetadata'))) : geminiUsage(field(body, 'usageMetadata')),
    stream: events => lastOf(events, e => geminiUsage(field(e, 'usageMetadata'))),
    key: 'usageMetadata',
    usageObject: geminiUsage,
    keyInStream: true,
  },
}
