// Sampling, limits, structured output and thinking → Gemini `generationConfig` (PROTOCOLS.md
// §4.1, §6.9, §6.10). Choices:
// - `maxOutputTokens` is the client's max tokens capped by the backend's `maxOutputTokens`;
//   nothing is sent when the client asked for no limit (no invented default);
// - more than 5 stop sequences cannot be sent (Gemini's limit): rejected naming `stop`;
// - json_schema → `responseMimeType` + `responseJsonSchema` (full JSON Schema, `$schema`
//   removed); its name/description/strict have no Gemini slot; json_object → the mime type only;
// - thinking (§6.9): off, or effort `none` alone → budget 0; adaptive → budget -1 (dynamic);
//   a budget → that budget; an effort alone → `thinkingLevel` on Gemini 3 models, else the
//   shared effort→budget table. Budget and level are never both sent. `includeThoughts` is
//   set whenever thinking is on and the client did not say it wants reasoning hidden;
//   `summary` has no Gemini form;
// - the whole object is omitted when nothing is in it.
import type { CanonicalRequest, ReasoningConfig, ReasoningEffort, ResponseFormat } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { EFFORT_BUDGET } from '../shared/reasoning.js'
import type { Mutable } from '../shared/request.js'
import type { BackendOptions } from '../types.js'
import { withoutSchemaKeyword } from './encode-schema.js'
import type { GenerationConfig, ThinkingConfig, ThinkingLevel } from './wire-request.js'

export const MAX_STOP_SEQUENCES = 5
/** Gemini 3 models take `thinkingLevel`; older ones only a budget. */
export const GEMINI_3 = /gemini-3/
export const DYNAMIC_BUDGET = -1

const LEVEL: Readonly<Record<Exclude<ReasoningEffort, 'none'>, ThinkingLevel>> = {
  minimal: 'MINIMAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  xhigh: 'HIGH',
  max: 'HIGH',
}

export function thinkingConfig (r: ReasoningConfig, model: string): ThinkingConfig | undefined {
  if (r.mode === 'off' || (r.mode === 'on' && r.effort === 'none' && r.budgetTokens === undefined)) return { thinkingBudget: 0 }
  const out: Mutable<ThinkingConfig> = {}
  if (r.mode === 'adaptive') out.thinkingBudget = DYNAMIC_BUDGET
  else if (r.budgetTokens !== undefined) out.thinkingBudget = r.budgetTokens
  else if (r.effort !== undefined && r.effort !== 'none') {
    if (GEMINI_3.test(model)) out.thinkingLevel = LEVEL[r.effort]
    else out.thinkingBudget = EFFORT_BUDGET[r.effort]
  }
  if (r.visible !== false) out.includeThoughts = true
  return Object.keys(out).length === 0 ? undefined : out
}

function applyFormat (format: ResponseFormat, out: Mutable<GenerationConfig>): void {
  if (format.type === 'text') return
  out.responseMimeType = 'application/json'
  if (format.type === 'json_schema') out.responseJsonSchema = withoutSchemaKeyword(format.schema)
}

function capped (asked: number | undefined, cap: number | undefined): number | undefined {
  if (asked === undefined || cap === undefined) return asked
  return Math.min(asked, cap)
}

export function generationConfig (req: CanonicalRequest, options: BackendOptions): GenerationConfig | undefined {
  const out: Mutable<GenerationConfig> = {}
  const maxTokens = capped(req.maxTokens, options.maxOutputTokens)
  if (maxTokens !== undefined) out.maxOutputTokens = maxTokens
  if (req.temperature !== undefined) out.temperature = req.temperature
  if (req.topP !== undefined) out.topP = req.topP
  if (req.topK !== undefined) out.topK = req.topK
  if (req.stop !== undefined && req.stop.length > 0) {
    if (req.stop.length > MAX_STOP_SEQUENCES) throw convertError('stop', `Gemini takes at most ${MAX_STOP_SEQUENCES} stop sequences`, true)
    out.stopSequences = req.stop
  }
  if (req.seed !== undefined) out.seed = req.seed
  if (req.presencePenalty !== undefined) out.presencePenalty = req.presencePenalty
  if (req.frequencyPenalty !== undefined) out.frequencyPenalty = req.frequencyPenalty
  if (req.responseFormat !== undefined) applyFormat(req.responseFormat, out)
  const thinking = req.reasoning === undefined ? undefined : thinkingConfig(req.reasoning, options.model)
  if (thinking !== undefined) out.thinkingConfig = thinking
  return Object.keys(out).length === 0 ? undefined : out
}
