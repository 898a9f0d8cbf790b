// Chat Completions errors use the shared OpenAI envelope (PROTOCOLS.md §1.4(e), §6.11).
export { renderOpenAiError as renderError } from '../shared/openai-error.js'
