// Errors from a Responses backend → canonical (PROTOCOLS.md §2.4, §2.5(e), §6.11): HTTP error
// replies through the parser both OpenAI dialects share, `error` stream events in both shapes,
// and failed responses.
import t from 'tap'
import { parseError as chatParseError } from '../../../../src/dialects/openai-chat/errors.js'
import { errorEventError, failedResponseError, parseError } from '../../../../src/dialects/openai-responses/backend-errors.js'

t.test('HTTP error replies: one implementation for both OpenAI dialects', async t => {
  t.equal(parseError, chatParseError, 'the same function')
  t.strictSame(parseError(400, { error: { message: "Invalid type for 'input'", type: 'invalid_request_error', param: 'input', code: 'invalid_type' } }, undefined),
    { kind: 'invalid_request', status: 400, message: "Invalid type for 'input'", param: 'input' })
  t.strictSame(parseError(429, { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, '20'),
    { kind: 'rate_limit', status: 429, message: 'Rate limit reached', retryAfter: '20' })
  t.strictSame(parseError(404, { error: { message: "Previous response with id 'resp_x' not found.", type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' } }, undefined),
    { kind: 'not_found', status: 404, message: "Previous response with id 'resp_x' not found.", param: 'previous_response_id' })
  t.strictSame(parseError(500, undefined, undefined), { kind: 'server_error', status: 500, message: 'the backend answered with HTTP status 500' })
})

t.test('error events: nested first-party shape and flat documented shape; status from the words', async t => {
  t.strictSame(errorEventError({ type: 'error', sequence_number: 2, error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota', param: null } }),
    { kind: 'rate_limit', status: 429, message: 'You exceeded your current quota' })
  t.strictSame(errorEventError({ type: 'error', sequence_number: 3, code: 'rate_limit_exceeded', message: 'Slow down', param: null }),
    { kind: 'rate_limit', status: 429, message: 'Slow down' })
  t.strictSame(errorEventError({ type: 'error', error: { type: 'server_error', code: null, message: 'An error occurred.', param: null } }),
    { kind: 'server_error', status: 500, message: 'An error occurred.' })
  t.strictSame(errorEventError({ type: 'error', code: 'context_length_exceeded', message: 'Too long', param: 'input' }),
    { kind: 'invalid_request', status: 400, message: 'Too long', param: 'input' })
  t.strictSame(errorEventError({ type: 'error' }), { kind: 'server_error', status: 500, message: 'the backend stream failed' })
})

t.test('failed responses: Responses error codes map to kinds; error:null still says something', async t => {
  t.strictSame(failedResponseError({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'TPM limit' } }), { kind: 'rate_limit', status: 429, message: 'TPM limit' })
  t.strictSame(failedResponseError({ status: 'failed', error: { code: 'server_error', message: 'boom' } }), { kind: 'server_error', status: 500, message: 'boom' })
  t.strictSame(failedResponseError({ status: 'failed', error: { code: 'invalid_prompt', message: 'flagged' } }), { kind: 'invalid_request', status: 400, message: 'flagged' })
  t.strictSame(failedResponseError({ status: 'failed', error: { code: 'image_too_large', message: 'big' } }), { kind: 'invalid_request', status: 400, message: 'big' })
  t.strictSame(failedResponseError({ status: 'failed', error: { code: 'vector_store_timeout', message: 'slow' } }), { kind: 'timeout', status: 504, message: 'slow' })
  t.strictSame(failedResponseError({ status: 'failed', error: null }), { kind: 'server_error', status: 500, message: 'the backend response failed without an error message' })
})
