// Chat Completions errors (PROTOCOLS.md §1.4(e), §6.11): rendered in the shared OpenAI envelope;
// upstream error bodies parsed back into canonical errors by the parser both OpenAI dialects
// share (shared/openai-error-parse.ts).
export { renderOpenAiError as renderError } from '../shared/openai-error.js'
export { parseError, parseStreamError } from '../shared/openai-error-parse.js'
