// Reasoning settings across dialects (PROTOCOLS.md §6.9): OpenAI speaks in effort words,
// Anthropic and Gemini in token budgets. One table both ways, so a round trip is stable.
import type { ReasoningEffort } from '../../canonical/request.js'

/** Effort → thinking budget (Google's own OpenAI-compat mapping for low/medium/high). */
export const EFFORT_BUDGET: Readonly<Record<Exclude<ReasoningEffort, 'none'>, number>> = {
  minimal: 1024,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 32768,
}

/** Anthropic's floor for `budget_tokens` (§3.1). */
export const MIN_THINKING_BUDGET = 1024

/** Budget → effort: ≤1024 low, ≤8192 medium, else high (§6.9). */
export function effortForBudget (budget: number): Exclude<ReasoningEffort, 'none'> {
  if (budget <= 1024) return 'low'
  if (budget <= 8192) return 'medium'
  return 'high'
}
