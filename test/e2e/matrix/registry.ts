// Rows and columns of the conversion matrix. A new dialect adds its client driver and its
// backend fixture here; every pair and scenario is then tested by matrix.test.ts.
import { anthropicBackend } from './backends/anthropic.js'
import { openaiChatBackend } from './backends/openai-chat.js'
import { geminiBackend } from './backends/gemini.js'
import { openaiResponsesBackend } from './backends/openai-responses.js'
import { anthropicClient } from './clients/anthropic.js'
import { geminiClient } from './clients/gemini.js'
import { openaiChatClient } from './clients/openai-chat.js'
import { openaiResponsesClient } from './clients/openai-responses.js'
import type { BackendFixture, ClientDriver } from './types.js'

export const CLIENTS: readonly ClientDriver[] = [openaiChatClient, openaiResponsesClient, anthropicClient, geminiClient]
export const BACKENDS: readonly BackendFixture[] = [openaiChatBackend, openaiResponsesBackend, anthropicBackend, geminiBackend]
