// Google error envelopes from a Gemini backend → canonical errors (PROTOCOLS.md §4.4(e), §6.11).
import t from 'tap'
import { parseError, streamError } from '../../../../src/dialects/gemini/backend-errors.js'

type Json = Record<string, unknown>
const google = (code: number, status: string, message: string, details?: Json[]): Json =>
  ({ error: { code, message, status, ...(details === undefined ? {} : { details }) } })
const TYPE = '@type'

t.test('status words pick the kind; the upstream status and message are kept', async t => {
  const cases: Array<[number, string, string]> = [
    [400, 'INVALID_ARGUMENT', 'invalid_request'],
    [400, 'FAILED_PRECONDITION', 'invalid_request'],
    [401, 'UNAUTHENTICATED', 'authentication'],
    [403, 'PERMISSION_DENIED', 'permission'],
    [404, 'NOT_FOUND', 'not_found'],
    [429, 'RESOURCE_EXHAUSTED', 'rate_limit'],
    [500, 'INTERNAL', 'server_error'],
    [503, 'UNAVAILABLE', 'overloaded'],
    [504, 'DEADLINE_EXCEEDED', 'timeout'],
    // The word wins over a status that would say otherwise.
    [500, 'RESOURCE_EXHAUSTED', 'rate_limit'],
  ]
  for (const [status, word, kind] of cases) {
    t.strictSame(parseError(status, google(status, word, 'why ' + word), undefined), { kind, status, message: 'why ' + word }, word)
  }
})

t.test('no word, an unknown word or no body: the HTTP status decides; a fallback message', async t => {
  t.strictSame(parseError(429, { error: { code: 429, message: 'slow' } }, undefined), { kind: 'rate_limit', status: 429, message: 'slow' })
  t.strictSame(parseError(503, google(503, 'SOMETHING_NEW', 'x'), undefined), { kind: 'overloaded', status: 503, message: 'x' })
  t.strictSame(parseError(400, google(400, 'toString', 'x'), undefined).kind, 'invalid_request', 'prototype keys are not words')
  t.strictSame(parseError(502, undefined, undefined), { kind: 'server_error', status: 502, message: 'the backend answered with HTTP status 502' })
  t.strictSame(parseError(404, 'Not Found', undefined), { kind: 'not_found', status: 404, message: 'the backend answered with HTTP status 404' })
  t.strictSame(parseError(500, [google(500, 'INTERNAL', 'in an array')], undefined), { kind: 'server_error', status: 500, message: 'in an array' },
    'the array a stream without alt=sse wraps it in')
})

t.test('a bad API key is Gemini 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID → authentication', async t => {
  const body = google(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
    { [TYPE]: 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
  ])
  t.strictSame(parseError(400, body, undefined), { kind: 'authentication', status: 400, message: 'API key not valid. Please pass a valid API key.' })
})

t.test('retry-after: the header wins, else RetryInfo.retryDelay in whole seconds', async t => {
  const quota = (retryDelay: unknown): Json => google(429, 'RESOURCE_EXHAUSTED', 'quota', [
    { [TYPE]: 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
    { [TYPE]: 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
  ])
  t.strictSame(parseError(429, quota('12s'), undefined), { kind: 'rate_limit', status: 429, message: 'quota', retryAfter: '12' })
  t.equal(parseError(429, quota('12s'), '30').retryAfter, '30')
  t.equal(parseError(429, quota('1.5s'), undefined).retryAfter, '2')
  for (const bad of ['12', 's', 'abcs', '-1s', 12]) t.notOk('retryAfter' in parseError(429, quota(bad), undefined), String(bad))
})

t.test('in-stream error chunks: numeric code is the status, else the word\'s, else 500', async t => {
  t.strictSame(streamError(google(503, 'UNAVAILABLE', 'The model is overloaded.')), { kind: 'overloaded', status: 503, message: 'The model is overloaded.' })
  t.strictSame(streamError(google(500, 'INTERNAL', 'An internal error has occurred.')), { kind: 'server_error', status: 500, message: 'An internal error has occurred.' })
  t.strictSame(streamError({ error: { message: 'quota', status: 'RESOURCE_EXHAUSTED' } }), { kind: 'rate_limit', status: 429, message: 'quota' })
  t.strictSame(streamError({ error: { code: 504, message: 'late' } }), { kind: 'timeout', status: 504, message: 'late' })
  t.strictSame(streamError({ error: { code: 200 } }), { kind: 'server_error', status: 500, message: 'the backend stream failed' })
  t.strictSame(streamError({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'q', details: [{ [TYPE]: 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }] } }),
    { kind: 'rate_limit', status: 429, message: 'q', retryAfter: '3' })
})
