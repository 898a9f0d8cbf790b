// Usage both ways between Chat `usage` and canonical (PROTOCOLS.md §6.8): prompt_tokens includes
// cached tokens, completion_tokens includes reasoning tokens — the canonical convention already.
import type { Usage } from '../../canonical/usage.js'
import { isObject } from '../shared/json.js'
import type { ChatUsage } from './wire.js'

export function chatUsage (usage: Usage): ChatUsage {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: usage.cacheWrite === undefined
      ? { cached_tokens: usage.cacheRead ?? 0, audio_tokens: 0 }
      : { cached_tokens: usage.cacheRead ?? 0, audio_tokens: 0, cache_write_tokens: usage.cacheWrite },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}

function count (value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/**
 * An upstream `usage` object → canonical; `undefined` when it is absent or has no token counts.
 * Detail counters are kept only when the upstream sent them (absent stays absent).
 */
export function canonicalUsage (value: unknown): Usage | undefined {
  if (!isObject(value)) return undefined
  const input = count(value.prompt_tokens)
  const output = count(value.completion_tokens)
  if (input === undefined && output === undefined) return undefined
  const usage: { -readonly [K in keyof Usage]: Usage[K] } = { input: input ?? 0, output: output ?? 0 }
  const prompt = value.prompt_tokens_details
  if (isObject(prompt)) {
    const cacheRead = count(prompt.cached_tokens)
    if (cacheRead !== undefined) usage.cacheRead = cacheRead
    const cacheWrite = count(prompt.cache_write_tokens)
    if (cacheWrite !== undefined) usage.cacheWrite = cacheWrite
  }
  const completion = value.completion_tokens_details
  if (isObject(completion)) {
    const reasoning = count(completion.reasoning_tokens)
    if (reasoning !== undefined) usage.reasoning = reasoning
  }
  return usage
}
