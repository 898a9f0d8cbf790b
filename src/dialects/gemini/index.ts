// The gemini dialect, client half (PROTOCOLS.md §4). The backend half lands separately.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Dialect } from '../types.js'
import { decodeRequest } from './decode-request.js'
import { encodeResponse } from './encode-response.js'
import { renderError } from './errors.js'
import { matchOperation, modelOf } from './routes.js'
import { GeminiStreamEncoder } from './stream-encoder.js'

export const dialect = {
  id: 'gemini',
  client: {
    matchOperation,
    modelOf,
    decodeRequest,
    encodeResponse,
    createStreamEncoder: (request: CanonicalRequest) => new GeminiStreamEncoder(request),
    renderError,
  },
} satisfies Dialect
