// Token usage of a passthrough reply (same-dialect traffic is forwarded as bytes, never parsed):
// the passthrough handler feeds each upstream body chunk to `observe()` and asks `usage()` once
// the body ended. Bounded whatever the reply size: only the first and last SNIFF_WINDOW_BYTES are
// kept (byte-window.ts), and nothing is parsed until the end.
//
// Usage sits at the start (Anthropic's message_start) or the end (every dialect's final counts)
// of a reply, so the two windows hold it. Rules per dialect are in usage-rules.ts. Reading:
// - The framing is read off the first byte, not the client's `stream` flag alone, because servers
//   ignore it both ways: `{` is a whole JSON object; `[` Gemini's JSON-array stream (no
//   `alt=sse`); anything else SSE, when a stream was asked for.
// - SSE: parse the data of each complete event that names the usage key (parsing every event
//   would cost more than proxying it); a line cut by a window edge is dropped.
// - A whole JSON reply, or one too large to keep (a long non-streamed reply, a Responses
//   `response.completed` event that repeats the whole output, a Gemini JSON array): the last
//   complete usage object found by its key, parsed alone.
// - Anything else (gzip-encoded bytes, a cut stream, no usage sent) is `undefined`: no guessing.
import type { Usage } from '../canonical/usage.js'
import type { ClientDialectId } from '../dialects/types.js'
import { ByteWindow } from './byte-window.js'
import { lastObjectAfterKey, sseData } from './json-scan.js'
import { USAGE_RULES, type UsageRule } from './usage-rules.js'

/**
 * Bytes kept at each end of the body. Usage objects and the events that carry them are a few
 * hundred bytes, and come within the first (Anthropic message_start) or last few hundred bytes of
 * a reply. Under 4 KiB each, both buffers come from Node's shared pool: no per-request allocation.
 */
export const SNIFF_WINDOW_BYTES = 4000

const NEWLINE = 0x0a

/** `"model":"…"` or `"modelVersion":"…"` at a given place; names with escapes are not read. */
const MODEL_FIELD = /"model(?:Version)?"\s*:\s*"([^"\\]{1,128})"/y
/** Enough bytes after `"model` for the longest name MODEL_FIELD reads (128 characters of up to 4 bytes). */
const MODEL_FIELD_SPAN = 600

/** The first model field of `bytes`: found by byte search, only its neighbourhood decoded. */
export function firstModel (bytes: Buffer): string | undefined {
  // Searched without the opening quote (json-scan.ts says why), which the pattern then requires.
  for (let at = bytes.indexOf('model'); at > 0; at = bytes.indexOf('model', at + 1)) {
    MODEL_FIELD.lastIndex = 0
    const found = MODEL_FIELD.exec(bytes.toString('utf8', at - 1, at - 1 + MODEL_FIELD_SPAN))?.[1]
    if (found !== undefined) return found
  }
  return undefined
}

type Framing = 'object' | 'array' | 'sse'

function framingOf (head: Buffer, streamed: boolean): Framing | undefined {
  for (const byte of head) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue
    if (byte === 0x7b) return 'object'
    if (byte === 0x5b) return 'array'
    return streamed ? 'sse' : undefined
  }
  return undefined
}

const BLANK_LINE = Buffer.from('\n\n')

/** The head up to its last complete line, and the tail from its first complete line. */
function completeLines (head: Buffer, tail: Buffer): Buffer {
  const headEnd = head.lastIndexOf(NEWLINE) + 1
  const tailStart = tail.indexOf(NEWLINE) + 1
  // The blank line between them ends any event the cut left open.
  return Buffer.concat([head.subarray(0, headEnd), BLANK_LINE, tailStart === 0 ? tail.subarray(0, 0) : tail.subarray(tailStart)])
}

/**
 * Usage of a whole reply already in memory (passthrough reads small non-streamed replies whole):
 * the same reading as `UsageSniffer`, without copying the bytes into windows.
 */
export function usageOfWhole (dialect: ClientDialectId, body: Buffer): Usage | undefined {
  if (framingOf(body, false) === undefined) return undefined
  const rule = USAGE_RULES[dialect]
  return lastObjectAfterKey(body.toString('utf8'), rule.key, rule.usageObject)
}

export class UsageSniffer {
  private readonly window = new ByteWindow(SNIFF_WINDOW_BYTES)
  private readonly rule: UsageRule

  constructor (dialect: ClientDialectId, private readonly streamed: boolean) {
    this.rule = USAGE_RULES[dialect]
  }

  observe (chunk: Buffer): void {
    this.window.push(chunk)
  }

  /**
   * The model the reply names near its start (`"model"`, Gemini `"modelVersion"`): passthrough
   * never reads the request body, so the reply is where the model label comes from.
   */
  model (): string | undefined {
    return firstModel(this.window.view().head)
  }

  /** The reply's usage, once its body has ended; `undefined` when it cannot be read for sure. */
  usage (): Usage | undefined {
    const { head, tail, contiguous } = this.window.view()
    const framing = framingOf(head, this.streamed)
    if (framing === undefined) return undefined
    const rule = this.rule
    const end = contiguous ? (tail.length === 0 ? head : Buffer.concat([head, tail])) : tail
    // Anthropic streams split usage over two events, message_start and message_delta.
    if (framing === 'sse' && !rule.keyInStream) return rule.stream(sseData(contiguous ? end : completeLines(head, tail), rule.key))
    // Whole replies, the tail of long ones, and the streams whose last usage object is the
    // answer: final counts come last in every dialect, so the last usage object is parsed alone
    // rather than the whole body or every event carrying the key (a usage object in the head of
    // a long reply is a running total — Gemini — and would be a guess).
    return lastObjectAfterKey(end.toString('utf8'), rule.key, rule.usageObject)
  }
}
