// Canonical usage → Gemini `usageMetadata` (PROTOCOLS.md §6.8): promptTokenCount includes
// cached tokens; candidatesTokenCount EXCLUDES thoughts, which are counted apart.
import type { Usage } from '../../canonical/usage.js'
import type { UsageMetadata } from './wire.js'

export function usageMetadata (usage: Usage): UsageMetadata {
  const thoughts = usage.reasoning ?? 0
  const meta: { -readonly [K in keyof UsageMetadata]: UsageMetadata[K] } = {
    promptTokenCount: usage.input,
    candidatesTokenCount: Math.max(0, usage.output - thoughts),
    totalTokenCount: usage.input + usage.output,
  }
  if (usage.cacheRead !== undefined && usage.cacheRead > 0) meta.cachedContentTokenCount = usage.cacheRead
  if (thoughts > 0) meta.thoughtsTokenCount = thoughts
  return meta
}
