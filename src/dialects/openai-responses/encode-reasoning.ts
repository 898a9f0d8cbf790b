// Reasoning for a Responses backend: the `reasoning` knob and replayed reasoning items
// (PROTOCOLS.md §2.1, §6.9, §7.8, §7.23, §9). Choices made here:
// - off → `effort:"none"`, as the Chat encoder sends `reasoning_effort:"none"`;
// - on → the effort asked for, else the one a budget maps to (§6.9 table), else none (the
//   model's default); adaptive → the effort when the client named one beside it (Anthropic
//   `output_config.effort` means exactly that), else none: "the model decides" is OpenAI's
//   default effort. The Chat encoder drops effort with adaptive because Chat has no summary
//   knob either; here the effort is the only way to honour the client's word;
// - `summary`: the client's, else "auto" (what Codex sends) unless the client said it does not
//   want to see reasoning. Without it OpenAI returns reasoning items with empty summaries, so a
//   client that asked for thinking (Anthropic, Gemini `includeThoughts`) would get none;
// - only OpenAI-signed reasoning is replayed, as `{summary, encrypted_content}` without `id`;
//   another family's reasoning, or unsigned reasoning, is dropped: never forward a forged proof.
import type { ReasoningConfig, ReasoningPart } from '../../canonical/request.js'
import { effortForBudget } from '../shared/reasoning.js'
import type { Mutable } from '../shared/request.js'
import type { ReasoningItem, ReasoningParam } from './wire-request.js'

export function reasoningParam (r: ReasoningConfig): ReasoningParam {
  if (r.mode === 'off') return { effort: 'none' }
  const out: Mutable<ReasoningParam> = {}
  if (r.effort !== undefined) out.effort = r.effort
  else if (r.mode === 'on' && r.budgetTokens !== undefined) out.effort = effortForBudget(r.budgetTokens)
  if (r.summary !== undefined) out.summary = r.summary
  else if (r.visible !== false) out.summary = 'auto'
  return out
}

/** A replayable reasoning item, or `undefined` when the part is not OpenAI's to replay. */
export function reasoningItem (part: ReasoningPart): ReasoningItem | undefined {
  const sig = part.signature
  if (sig === undefined || sig.family !== 'openai') return undefined
  return { type: 'reasoning', summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }], encrypted_content: sig.value }
}
