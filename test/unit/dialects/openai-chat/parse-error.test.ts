// Upstream error bodies → canonical errors (PROTOCOLS.md §6.11), including the shapes
// Chat-compatible servers send instead of OpenAI's envelope.
import t from 'tap'
import { parseError, parseStreamError } from '../../../../src/dialects/openai-chat/errors.js'

t.test('OpenAI envelope: message, kind from status, upstream status, param, retry-after', async t => {
  t.strictSame(parseError(400, { error: { message: 'bad temperature', type: 'invalid_request_error', param: 'temperature', code: null } }, undefined),
    { kind: 'invalid_request', status: 400, message: 'bad temperature', param: 'temperature' })
  t.strictSame(parseError(429, { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }, '7'),
    { kind: 'rate_limit', status: 429, message: 'slow down', retryAfter: '7' })
  t.strictSame(parseError(503, { error: { message: 'busy', type: 'server_error', code: null, param: null } }, undefined),
    { kind: 'overloaded', status: 503, message: 'busy' })
  t.strictSame(parseError(401, { error: { message: 'Incorrect API key', type: 'invalid_request_error', code: 'invalid_api_key' } }, undefined),
    { kind: 'authentication', status: 401, message: 'Incorrect API key' })
})

t.test('codes refine the kind; context_length_exceeded stays invalid_request', async t => {
  t.equal(parseError(400, { error: { message: 'too long', code: 'context_length_exceeded' } }, undefined).kind, 'invalid_request')
  t.equal(parseError(413, { error: { message: 'too long', code: 'context_length_exceeded' } }, undefined).kind, 'invalid_request')
  t.equal(parseError(400, { error: { message: 'rl', code: 'rate_limit_exceeded' } }, undefined).kind, 'rate_limit')
  t.equal(parseError(404, { error: { message: 'no model', code: 'model_not_found' } }, undefined).kind, 'not_found')
  t.equal(parseError(500, { error: { message: 'x', type: 'server_overloaded' } }, undefined).kind, 'overloaded')
  t.equal(parseError(403, { error: { message: 'x', type: 'whatever' } }, undefined).kind, 'permission')
  t.equal(parseError(400, { error: { message: 'x', code: 'toString' } }, undefined).kind, 'invalid_request', 'prototype keys are not words')
})

t.test('compatible-server shapes and missing bodies', async t => {
  // vLLM: the envelope at the top level, numeric code.
  t.strictSame(parseError(400, { object: 'error', message: 'max_tokens too large', type: 'BadRequestError', param: null, code: 400 }, undefined),
    { kind: 'invalid_request', status: 400, message: 'max_tokens too large' })
  t.strictSame(parseError(500, { error: 'model crashed' }, undefined), { kind: 'server_error', status: 500, message: 'model crashed' })
  t.strictSame(parseError(502, undefined, undefined), { kind: 'server_error', status: 502, message: 'the backend answered with HTTP status 502' })
  t.strictSame(parseError(504, 'gateway timeout', '1'), { kind: 'timeout', status: 504, message: 'the backend answered with HTTP status 504', retryAfter: '1' })
})

t.test('stream error chunks: status from a numeric code, else from the words, else 500', async t => {
  t.strictSame(parseStreamError({ error: { message: 'Overloaded', type: 'overloaded_error' } }), { kind: 'overloaded', status: 503, message: 'Overloaded' })
  t.strictSame(parseStreamError({ error: { message: 'rl', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }), { kind: 'rate_limit', status: 429, message: 'rl' })
  t.strictSame(parseStreamError({ error: { message: 'bad', code: 400, param: 'messages' } }), { kind: 'invalid_request', status: 400, message: 'bad', param: 'messages' })
  t.strictSame(parseStreamError({ error: { message: 'boom', type: 'server_error' } }), { kind: 'server_error', status: 500, message: 'boom' })
  t.strictSame(parseStreamError({ error: true }), { kind: 'server_error', status: 500, message: 'the backend reported an error mid-stream' })
})
