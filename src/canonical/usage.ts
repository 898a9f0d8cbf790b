/**
 * Token usage in one normalised form (PROTOCOLS.md §6.8). `input` counts every prompt token,
 * cached ones included (the OpenAI convention); `output` includes reasoning tokens.
 * Dialects that count differently (Anthropic excludes cache reads from input_tokens, Gemini
 * excludes thoughts from candidates) convert at their edge.
 */
export interface Usage {
  readonly input: number
  readonly output: number
  readonly cacheRead?: number
  readonly cacheWrite?: number
  readonly reasoning?: number
}
