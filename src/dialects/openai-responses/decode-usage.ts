// Upstream Responses `usage` → canonical (PROTOCOLS.md §2.2, §6.8), for a Responses backend.
// `input_tokens` already includes cached tokens and `output_tokens` reasoning tokens: the
// canonical convention, so counts pass through. Detail objects are optional (compatible servers
// omit them or send `null`); a detail counter is kept only when the upstream sent it.
import type { Usage } from '../../canonical/usage.js'
import { isObject } from '../shared/json.js'

function count (value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** `undefined` when `usage` is absent, `null`, or carries no token counts. */
export function decodeUsage (value: unknown): Usage | undefined {
  if (!isObject(value)) return undefined
  const input = count(value.input_tokens)
  const output = count(value.output_tokens)
  if (input === undefined && output === undefined) return undefined
  const usage: { -readonly [K in keyof Usage]: Usage[K] } = { input: input ?? 0, output: output ?? 0 }
  const inputDetails = value.input_tokens_details
  if (isObject(inputDetails)) {
    const cacheRead = count(inputDetails.cached_tokens)
    if (cacheRead !== undefined) usage.cacheRead = cacheRead
    // §6.8: newer replies report prompt-cache writes next to reads.
    const cacheWrite = count(inputDetails.cache_write_tokens)
    if (cacheWrite !== undefined) usage.cacheWrite = cacheWrite
  }
  const outputDetails = value.output_tokens_details
  if (isObject(outputDetails)) {
    const reasoning = count(outputDetails.reasoning_tokens)
    if (reasoning !== undefined) usage.reasoning = reasoning
  }
  return usage
}
