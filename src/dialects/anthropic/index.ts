// The anthropic dialect, client half (PROTOCOLS.md §3). The backend half lands separately.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Dialect } from '../types.js'
import { bodyModel } from '../shared/request.js'
import { decodeRequest } from './decode-request.js'
import { encodeResponse } from './encode-response.js'
import { renderError } from './errors.js'
import { matchOperation } from './routes.js'
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
  },
} satisfies Dialect
