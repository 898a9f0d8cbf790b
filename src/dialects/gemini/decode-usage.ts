// Upstream Gemini `usageMetadata` → canonical usage (PROTOCOLS.md §4.2, §6.8), for a Gemini
// backend. Every streamed chunk may carry it as a running total: the latest wins, never summed.
// - input = promptTokenCount (already includes cachedContentTokenCount) + toolUsePromptTokenCount:
//   tool-use prompt tokens (e.g. search results fed back to the model) are prompt-side tokens,
//   billed as input, and adding them keeps input + output = totalTokenCount;
// - output = candidatesTokenCount + thoughtsTokenCount (candidates EXCLUDE thoughts, the
//   canonical output includes reasoning); reasoning = thoughtsTokenCount; cacheRead =
//   cachedContentTokenCount. Gemini has no cache-write count.
// Proto3 JSON omits zero counts (a first chunk often has no candidatesTokenCount), so an absent
// counter inside usageMetadata is 0; the optional detail counters stay absent when not sent.
import type { Usage } from '../../canonical/usage.js'
import type { Mutable } from '../shared/request.js'
import { isObject } from '../shared/json.js'

function count (value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}

/** `undefined` when `usageMetadata` is absent, `null`, or carries no token count at all. */
export function decodeUsage (value: unknown): Usage | undefined {
  if (!isObject(value)) return undefined
  const prompt = count(value.promptTokenCount)
  const candidates = count(value.candidatesTokenCount)
  const thoughts = count(value.thoughtsTokenCount)
  const toolUse = count(value.toolUsePromptTokenCount)
  const cached = count(value.cachedContentTokenCount)
  if (prompt === undefined && candidates === undefined && thoughts === undefined && toolUse === undefined &&
    count(value.totalTokenCount) === undefined) return undefined
  const usage: Mutable<Usage> = { input: (prompt ?? 0) + (toolUse ?? 0), output: (candidates ?? 0) + (thoughts ?? 0) }
  if (cached !== undefined) usage.cacheRead = cached
  if (thoughts !== undefined) usage.reasoning = thoughts
  return usage
}
