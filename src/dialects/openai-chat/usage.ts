// Canonical usage → Chat `usage` (PROTOCOLS.md §6.8): prompt_tokens includes cached tokens,
// completion_tokens includes reasoning tokens — the canonical convention already.
import type { Usage } from '../../canonical/usage.js'
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
