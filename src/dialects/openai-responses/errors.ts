// Responses errors use the shared OpenAI envelope (PROTOCOLS.md §6.11); the mid-stream form
// is in stream-encoder.ts (§2.5(e)).
export { renderOpenAiError as renderError } from '../shared/openai-error.js'
