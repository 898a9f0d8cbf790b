// Tool-call ids across dialects (PROTOCOLS.md §6.5, §7.26). Ids pass verbatim when the target
// accepts them; otherwise they are mapped deterministically, so a call and its result, mapped
// separately, still pair up — no per-request table needed.
import { createHash } from 'node:crypto'

export interface ToolIdRules {
  readonly maxLength: number
  /** Characters the target accepts. */
  readonly pattern: RegExp
  /** Prefix of mapped ids (`call_`, `toolu_`). */
  readonly prefix: string
}

/** OpenAI rejects ids over 40 characters on input. */
export const OPENAI_TOOL_IDS: ToolIdRules = { maxLength: 40, pattern: /^[\x21-\x7e]+$/, prefix: 'call_' }
/** Anthropic: `^[a-zA-Z0-9_-]+$`. */
export const ANTHROPIC_TOOL_IDS: ToolIdRules = { maxLength: 64, pattern: /^[a-zA-Z0-9_-]+$/, prefix: 'toolu_' }

export function legalToolId (id: string, rules: ToolIdRules): string {
  if (id.length > 0 && id.length <= rules.maxLength && rules.pattern.test(id)) return id
  return rules.prefix + createHash('sha256').update(id).digest('base64url').slice(0, 24).replace(/-/g, '_')
}
