// Canonical usage → Responses `usage` (PROTOCOLS.md §6.8, §2.2): input_tokens includes cached,
// output_tokens includes reasoning. Codex wants the detail objects complete, never `{}`.
import type { Usage } from '../../canonical/usage.js'
import type { ResponsesUsage } from './wire.js'

export function responsesUsage (usage: Usage): ResponsesUsage {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
    total_tokens: usage.input + usage.output,
  }
}
