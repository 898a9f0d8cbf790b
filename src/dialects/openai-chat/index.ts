// The openai-chat dialect (PROTOCOLS.md §1): the client half faces Chat Completions clients,
// the backend half talks to OpenAI and Chat-compatible servers (vLLM, Ollama, OpenRouter…).
// No token counting: Chat servers offer no count endpoint.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Dialect } from '../types.js'
import { encodeOpenAiModelList } from '../shared/openai-models.js'
import { bodyModel } from '../shared/request.js'
import { decodeRequest } from './decode-request.js'
import { decodeResponse } from './decode-response.js'
import { encodeRequest } from './encode-request.js'
import { encodeResponse } from './encode-response.js'
import { parseError, renderError } from './errors.js'
import { matchOperation } from './routes.js'
import { ChatStreamDecoder } from './stream-decoder.js'
import { ChatStreamEncoder } from './stream-encoder.js'

export const dialect = {
  id: 'openai-chat',
  client: {
    matchOperation,
    modelOf: bodyModel,
    decodeRequest,
    encodeResponse,
    createStreamEncoder: (request: CanonicalRequest) => new ChatStreamEncoder(request),
    renderError,
    encodeModelList: encodeOpenAiModelList,
  },
  backend: {
    encodeRequest,
    decodeResponse,
    createStreamDecoder: (request: CanonicalRequest) => new ChatStreamDecoder(request),
    parseError,
  },
} satisfies Dialect
