// A non-streamed Coze reply to a generation call. Every call this backend makes streams
// (encode-request.ts), so a JSON reply is never an answer: with `code != 0` it is a failure the
// engine should have turned into an error with `cozeJsonError` first; anything else is not what
// Coze promised. Either way it is upstream-invalid data here, naming Coze's code when there is one.
import type { CanonicalResponse } from '../../canonical/response.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import { cozeJsonError } from './errors.js'

export function decodeResponse (body: unknown): CanonicalResponse {
  const error = cozeJsonError(body)
  if (error !== undefined) throw new UpstreamInvalidData('Coze answered with an error instead of a stream: ' + error.message)
  throw new UpstreamInvalidData('Coze answered with JSON instead of an event stream')
}
