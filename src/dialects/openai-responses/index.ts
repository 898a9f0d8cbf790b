// The openai-responses dialect (PROTOCOLS.md §2): the client half faces Responses clients (the
// OpenAI SDK, Codex CLI), the backend half talks to OpenAI and Responses-only servers (the Codex
// endpoint and its mirrors). No token counting: Responses servers offer no count endpoint.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Dialect } from '../types.js'
import { bodyModel } from '../shared/request.js'
import { parseError } from './backend-errors.js'
import { decodeRequest } from './decode-request.js'
import { decodeResponse } from './decode-response.js'
import { encodeRequest } from './encode-request.js'
import { encodeResponse } from './encode-response.js'
import { renderError } from './errors.js'
import { restoreSignatures } from './restore-signatures.js'
import { matchOperation } from './routes.js'
import { ResponsesStreamDecoder } from './stream-decoder.js'
import { ResponsesStreamEncoder } from './stream-encoder.js'

export const dialect = {
  id: 'openai-responses',
  client: {
    matchOperation,
    modelOf: bodyModel,
    decodeRequest,
    encodeResponse,
    createStreamEncoder: (request: CanonicalRequest) => new ResponsesStreamEncoder(request),
    renderError,
    restoreSignatures,
  },
  backend: {
    encodeRequest,
    decodeResponse,
    createStreamDecoder: (request: CanonicalRequest) => new ResponsesStreamDecoder(request),
    parseError,
  },
} satisfies Dialect
