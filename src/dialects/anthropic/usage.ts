// Canonical usage → Anthropic usage (PROTOCOLS.md §6.8): Anthropic's `input_tokens` excludes
// cache reads and writes, so they are subtracted (never below 0); output includes thinking.
import type { Usage } from '../../canonical/usage.js'
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
