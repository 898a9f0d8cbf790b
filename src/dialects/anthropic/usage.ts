// Usage both ways (PROTOCOLS.md §6.8). Anthropic's `input_tokens` excludes cache reads and
// writes: canonical → Anthropic subtracts them (never below 0), Anthropic → canonical adds them
// back. `output_tokens` includes thinking on both sides.
import type { Usage } from '../../canonical/usage.js'
import { isObject } from '../shared/json.js'
import type { AnthropicUsage } from './wire.js'

export const ZERO_USAGE: AnthropicUsage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }

export function anthropicUsage (usage: Usage): AnthropicUsage {
  const cacheRead = usage.cacheRead ?? 0
  const cacheWrite = usage.cacheWrite ?? 0
  return {
    input_tokens: Math.max(0, usage.input - cacheRead - cacheWrite),
    output_tokens: usage.output,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  }
}

/** A backend's counts as read so far; the stream decoder overwrites them as they arrive. */
export interface UsageCounts {
  input: number
  output: number
  cacheRead: number | undefined
  cacheWrite: number | undefined
  thinking: number | undefined
}

export function emptyCounts (): UsageCounts {
  return { input: 0, output: 0, cacheRead: undefined, cacheWrite: undefined, thinking: undefined }
}

const num = (v: unknown): number | undefined => typeof v === 'number' && Number.isFinite(v) ? v : undefined

/**
 * Overwrite `counts` with the fields `value` carries (`message_delta.usage` is cumulative and may
 * repeat the final input/cache counts, §3.3). Returns false when `value` is not a usage object.
 */
export function readUsage (value: unknown, counts: UsageCounts): boolean {
  if (!isObject(value)) return false
  counts.input = num(value.input_tokens) ?? counts.input
  counts.output = num(value.output_tokens) ?? counts.output
  counts.cacheRead = num(value.cache_read_input_tokens) ?? counts.cacheRead
  counts.cacheWrite = num(value.cache_creation_input_tokens) ?? counts.cacheWrite
  const details = value.output_tokens_details
  if (isObject(details)) counts.thinking = num(details.thinking_tokens) ?? counts.thinking
  return true
}

export function canonicalUsage (counts: UsageCounts): Usage {
  const out: { -readonly [K in keyof Usage]: Usage[K] } = {
    input: counts.input + (counts.cacheRead ?? 0) + (counts.cacheWrite ?? 0),
    output: counts.output,
  }
  if (counts.cacheRead !== undefined) out.cacheRead = counts.cacheRead
  if (counts.cacheWrite !== undefined) out.cacheWrite = counts.cacheWrite
  if (counts.thinking !== undefined) out.reasoning = counts.thinking
  return out
}
