// The anthropic dialect (PROTOCOLS.md §3): the client half serves Anthropic Messages clients
// (Claude Code, the Anthropic SDK, @ai-sdk/anthropic); the backend half calls Anthropic
// Messages servers for clients of other dialects.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Dialect } from '../types.js'
import { bodyModel } from '../shared/request.js'
import { decodeRequest } from './decode-request.js'
import { decodeCountTokens, decodeResponse } from './decode-response.js'
import { countTokens, encodeRequest } from './encode-request.js'
import { encodeResponse } from './encode-response.js'
import { parseError, renderError } from './errors.js'
import { encodeModelList } from './models.js'
import { restoreSignatures } from './restore-signatures.js'
import { matchOperation } from './routes.js'
import { AnthropicStreamDecoder } from './stream-decoder.js'
import { AnthropicStreamEncoder } from './stream-encoder.js'

export const dialect = {
  id: 'anthropic',
  client: {
    matchOperation,
    modelOf: bodyModel,
    decodeRequest,
    encodeResponse,
    createStreamEncoder: (request: CanonicalRequest) => new AnthropicStreamEncoder(request),
    renderError,
    restoreSignatures,
    encodeModelList,
    encodeCountTokens: (tokens: number) => ({ input_tokens: tokens }),
  },
  backend: {
    encodeRequest,
    decodeResponse,
    createStreamDecoder: (request: CanonicalRequest) => new AnthropicStreamDecoder(request),
    parseError,
    countTokens,
    decodeCountTokens,
  },
} satisfies Dialect
