// Reasoning and sampling settings for an Anthropic backend (PROTOCOLS.md §3.1, §6.9, §6.10,
// §7.30, §7.31; conformance case 10). Thinking needs `budget_tokens ≥ 1024` and `< max_tokens`,
// so `max_tokens` is raised to budget + requested output when it is not above the budget; while
// thinking (enabled or adaptive) `temperature` and `top_k` are dropped and `top_p` is kept only
// in the 0.95–1 range the API accepts. `temperature` is clamped to Anthropic's 0–1 (OpenAI
// allows 0–2; clamping keeps the intent "as cold/hot as possible", scaling would not).
import type { CanonicalRequest, ReasoningConfig, ReasoningEffort } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { BackendOptions } from '../types.js'
import { EFFORT_BUDGET, MIN_THINKING_BUDGET } from '../shared/reasoning.js'
import type { ThinkingParam } from './wire-request.js'
import type { Mutable } from '../shared/request.js'

export interface Sampling {
  readonly max_tokens: number
  readonly thinking?: ThinkingParam
  /** `output_config.effort`. */
  readonly effort?: string
  readonly temperature?: number
  readonly top_p?: number
  readonly top_k?: number
}


/** Effort words Anthropic knows (`output_config.effort`); `minimal` is its `low`. */
function anthropicEffort (effort: ReasoningEffort | undefined): string | undefined {
  if (effort === undefined || effort === 'none') return undefined
  return effort === 'minimal' ? 'low' : effort
}

function withDisplay<T extends ThinkingParam> (param: T, r: ReasoningConfig): T {
  if (r.visible === undefined || param.type === 'disabled') return param
  return { ...param, display: r.visible ? 'summarized' : 'omitted' }
}

export function sampling (req: CanonicalRequest, options: BackendOptions): Sampling {
  const requested = req.maxTokens ?? options.defaultMaxTokens
  const cap = options.maxOutputTokens ?? Infinity
  const out: Mutable<Sampling> = { max_tokens: Math.min(requested, cap) }
  if (req.reasoning !== undefined) applyReasoning(req.reasoning, requested, cap, out)
  const thinking = out.thinking !== undefined && out.thinking.type !== 'disabled'
  if (req.temperature !== undefined && !thinking) out.temperature = Math.min(1, Math.max(0, req.temperature))
  if (req.topK !== undefined && !thinking) out.top_k = req.topK
  if (req.topP !== undefined && (!thinking || req.topP >= 0.95)) out.top_p = req.topP
  return out
}

function applyReasoning (r: ReasoningConfig, requested: number, cap: number, out: Mutable<Sampling>): void {
  if (r.mode === 'off' || (r.effort === 'none' && r.budgetTokens === undefined)) {
    out.thinking = { type: 'disabled' }
  } else if (r.mode === 'adaptive') {
    out.thinking = withDisplay({ type: 'adaptive' }, r)
  } else {
    const { budget, maxTokens } = budgetFor(r, requested, cap)
    out.thinking = withDisplay({ type: 'enabled', budget_tokens: budget }, r)
    out.max_tokens = maxTokens
  }
  // Effort rides along when it was asked for beside a budget or with adaptive/off thinking; an
  // effort alone with thinking on (OpenAI's reasoning_effort) was already turned into a budget.
  const effort = anthropicEffort(r.effort)
  if (effort !== undefined && (r.mode !== 'on' || r.budgetTokens !== undefined)) out.effort = effort
}

/**
 * Budget from `budgetTokens`, else the effort table (medium when neither is set), at least 1024.
 * When the backend's output cap leaves no room above the budget, the budget shrinks to what
 * leaves the requested output (or half the cap); below 1024 thinking cannot fit at all.
 */
function budgetFor (r: ReasoningConfig, requested: number, cap: number): { budget: number, maxTokens: number } {
  const effort = r.effort === undefined || r.effort === 'none' ? 'medium' : r.effort
  let budget = Math.max(MIN_THINKING_BUDGET, r.budgetTokens ?? EFFORT_BUDGET[effort])
  const maxTokens = Math.min(requested > budget ? requested : budget + requested, cap)
  if (budget >= maxTokens) budget = Math.max(maxTokens - requested, Math.floor(maxTokens / 2))
  if (budget < MIN_THINKING_BUDGET) {
    throw convertError('reasoning', `the backend's output cap (${cap} tokens) leaves no room for a ${MIN_THINKING_BUDGET}-token thinking budget`, true)
  }
  return { budget, maxTokens }
}
