// A tool call the client never answered (Claude Code or Codex interrupted mid-tool, PROTOCOLS.md
// §7.32): every backend rejects an unanswered call, so encoders synthesise this error result.
// Anthropic flags it with `is_error`; OpenAI dialects have no flag, so the text says it.
export const MISSING_RESULT = 'tool result missing'
export const MISSING_RESULT_OPENAI = 'Error: ' + MISSING_RESULT
