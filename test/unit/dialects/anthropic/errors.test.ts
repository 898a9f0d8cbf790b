// Anthropic error envelope and statuses (PROTOCOLS.md §6.11).
import t from 'tap'
import type { ErrorKind } from '../../../../src/canonical/error.js'
import { renderError } from '../../../../src/dialects/anthropic/errors.js'

const cases: ReadonlyArray<[ErrorKind, number, number, string]> = [
  ['invalid_request', 400, 400, 'invalid_request_error'],
  ['authentication', 401, 401, 'authentication_error'],
  ['permission', 403, 403, 'permission_error'],
  ['not_found', 404, 404, 'not_found_error'],
  ['request_too_large', 413, 413, 'request_too_large'],
  ['rate_limit', 429, 429, 'rate_limit_error'],
  ['server_error', 500, 500, 'api_error'],
  ['overloaded', 503, 529, 'overloaded_error'],
  ['overloaded', 529, 529, 'overloaded_error'],
  ['timeout', 504, 504, 'timeout_error'],
]

t.test('each kind: status and error type', async t => {
  for (const [kind, status, sent, type] of cases) {
    const r = renderError({ kind, status, message: 'm' }, 'req_1')
    t.equal(r.status, sent, kind)
    t.strictSame(r.body, { type: 'error', error: { type, message: 'm' }, request_id: 'req_1' }, kind)
    t.equal(r.headers['request-id'], 'req_1')
  }
})

t.test('retry headers', async t => {
  t.strictSame(renderError({ kind: 'invalid_request', status: 400, message: 'm' }).headers, { 'x-should-retry': 'false' })
  t.strictSame(renderError({ kind: 'rate_limit', status: 429, message: 'm', retryAfter: '7' }).headers, { 'retry-after': '7' })
  t.strictSame(renderError({ kind: 'overloaded', status: 503, message: 'm' }).headers, {})
  t.match(renderError({ kind: 'invalid_request', status: 400, message: 'm' }).body, { request_id: null })
})

t.test('parseError: upstream error bodies keep their status; kind from error.type, else from the status', async t => {
  const { parseError } = await import('../../../../src/dialects/anthropic/errors.js')
  const body = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_up' })
  t.strictSame(parseError(529, body('overloaded_error', 'Overloaded'), '3'), { kind: 'overloaded', status: 529, message: 'Overloaded', retryAfter: '3' })
  t.strictSame(parseError(429, body('rate_limit_error', 'slow down'), undefined), { kind: 'rate_limit', status: 429, message: 'slow down' })
  t.strictSame(parseError(400, body('invalid_request_error', 'messages: text content blocks must be non-empty'), undefined),
    { kind: 'invalid_request', status: 400, message: 'messages: text content blocks must be non-empty' })
  t.strictSame(parseError(401, body('authentication_error', 'invalid x-api-key'), undefined), { kind: 'authentication', status: 401, message: 'invalid x-api-key' })
  t.strictSame(parseError(413, body('request_too_large', 'too big'), undefined), { kind: 'request_too_large', status: 413, message: 'too big' })
  t.strictSame(parseError(500, body('api_error', 'Internal'), undefined), { kind: 'server_error', status: 500, message: 'Internal' })
  t.strictSame(parseError(503, undefined, undefined), { kind: 'overloaded', status: 503, message: 'the backend answered HTTP 503' })
  t.strictSame(parseError(404, { error: { type: 'brand_new_error', message: 'gone' } }, undefined), { kind: 'not_found', status: 404, message: 'gone' })
  t.strictSame(parseError(502, '<html>bad gateway</html>', undefined), { kind: 'server_error', status: 502, message: 'the backend answered HTTP 502' })
})

t.test('parseError then renderError: an Anthropic 529 reaches Anthropic clients as 529', async t => {
  const { parseError } = await import('../../../../src/dialects/anthropic/errors.js')
  const err = parseError(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined)
  t.equal(renderError(err).status, 529)
})
