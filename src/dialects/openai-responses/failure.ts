// A canonical error as a failed Responses stream reports it (PROTOCOLS.md §2.5 e, §5.8, §6.11).
// Codex classifies `response.failed` by `response.error.code`: `context_length_exceeded` stops
// the turn, `rate_limit_exceeded` retries after the "try again in Ns" its message names, any
// other code retries; a null code gives an opaque failure (§7.22). So the code is never null:
// the OpenAI envelope's code for the kind, `context_length_exceeded` when an invalid or too
// large request says the prompt did not fit (read off the message: backends report it only in
// words), and `invalid_prompt` (the API's own code) for any other invalid request.
import type { CanonicalError } from '../../canonical/error.js'
import { openAiErrorObject, type OpenAiErrorObject } from '../shared/openai-error.js'
import type { ResponseError } from './wire.js'

/** OpenAI, Anthropic ("prompt is too long") and Gemini ("exceeds the maximum number of tokens") wordings. */
const CONTEXT_LENGTH = /context.?(length|window)|prompt is too long|too many (input )?tokens|exceeds the maximum number of tokens/i
const RETRY_HINT = /try again in/i
const SECONDS = /^\d+(\.\d+)?$/

export interface Failure {
  /** `response.failed.response.error`. */
  readonly error: ResponseError
  /** The nested object of the `error` event, with the same code. */
  readonly wire: OpenAiErrorObject
}

function failureCode (err: CanonicalError, envelopeCode: string | null): string {
  const requestFault = err.kind === 'invalid_request' || err.kind === 'request_too_large'
  if (requestFault && CONTEXT_LENGTH.test(err.message)) return 'context_length_exceeded'
  return envelopeCode ?? 'invalid_prompt'
}

/** Codex reads the retry delay only out of the message of a `rate_limit_exceeded` failure. */
function failureMessage (err: CanonicalError): string {
  const after = err.retryAfter
  if (err.kind !== 'rate_limit' || after === undefined || !SECONDS.test(after) || RETRY_HINT.test(err.message)) return err.message
  return err.message + ' Please try again in ' + after + 's.'
}

export function failureOf (err: CanonicalError): Failure {
  const envelope = openAiErrorObject(err)
  const code = failureCode(err, envelope.code)
  const message = failureMessage(err)
  return { error: { code, message }, wire: { ...envelope, code, message } }
}
