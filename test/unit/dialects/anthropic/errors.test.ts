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
