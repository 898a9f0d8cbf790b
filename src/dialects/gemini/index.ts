// The gemini dialect (PROTOCOLS.md §4): the client half serves Gemini SDK clients
// (@google/genai, REST callers of generateContent / streamGenerateContent / countTokens); the
// backend half calls Gemini servers for clients of other dialects.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Dialect, StreamFraming } from '../types.js'
import { parseError } from './backend-errors.js'
import { streamFraming } from './client-framing.js'
import { encodeCountTokens, encodeModelList } from './client-models.js'
import { restoreSignatures } from './client-restore-signatures.js'
import { decodeRequest } from './decode-request.js'
import { decodeCountTokens, decodeResponse } from './decode-response.js'
import { countTokens, encodeRequest } from './encode-request.js'
import { encodeResponse } from './encode-response.js'
import { renderError } from './errors.js'
import { matchOperation, modelOf } from './routes.js'
import { GeminiStreamDecoder } from './stream-decoder.js'
import { GeminiStreamEncoder } from './stream-encoder.js'

export const dialect = {
  id: 'gemini',
  client: {
    matchOperation,
    modelOf,
    decodeRequest,
    encodeResponse,
    createStreamEncoder: (request: CanonicalRequest, framing?: StreamFraming) => new GeminiStreamEncoder(request, framing),
    streamFraming,
    renderError,
    restoreSignatures,
    encodeModelList,
    encodeCountTokens,
  },
  backend: {
    encodeRequest,
    decodeResponse,
    createStreamDecoder: (request: CanonicalRequest) => new GeminiStreamDecoder(request),
    parseError,
    countTokens,
    decodeCountTokens,
  },
} satisfies Dialect
