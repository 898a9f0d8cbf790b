// OpenAI error envelope and statuses (PROTOCOLS.md §6.11), shared by both OpenAI dialects.
import t from 'tap'
import type { ErrorKind } from '../../../../src/canonical/error.js'
import { renderError } from '../../../../src/dialects/openai-chat/errors.js'
import { renderError as renderResponsesError } from '../../../../src/dialects/openai-responses/errors.js'

const cases: ReadonlyArray<[ErrorKind, number, number, string, string | null]> = [
  ['invalid_request', 400, 400, 'invalid_request_error', null],
  ['authentication', 401, 401, 'invalid_request_error', 'invalid_api_key'],
  ['permission', 403, 403, 'permission_error', 'permission_denied'],
  ['not_found', 404, 404, 'invalid_request_error', 'not_found'],
  ['request_too_large', 413, 413, 'invalid_request_error', 'request_too_large'],
  ['rate_limit', 429, 429, 'rate_limit_error', 'rate_limit_exceeded'],
  ['server_error', 500, 500, 'server_error', 'server_error'],
  ['overloaded', 529, 503, 'server_error', 'server_overloaded'],
  ['timeout', 504, 504, 'server_error', 'timeout'],
]

t.test('each kind: status, type, code; param from the error', async t => {
  for (const [kind, status, sent, type, code] of cases) {
    const r = renderError({ kind, status, message: 'm', param: 'messages[0]' })
    t.equal(r.status, sent, kind)
    t.strictSame(r.body, { error: { message: 'm', type, param: 'messages[0]', code } }, kind)
  }
  t.match(renderError({ kind: 'server_error', status: 500, message: 'm' }).body, { error: { param: null } })
})

t.test('headers: retry-after, x-should-retry on deterministic 4xx, request id', async t => {
  t.strictSame(renderError({ kind: 'invalid_request', status: 400, message: 'm' }, 'r1').headers, { 'x-should-retry': 'false', 'x-request-id': 'r1' })
  t.strictSame(renderError({ kind: 'rate_limit', status: 429, message: 'm', retryAfter: '3' }).headers, { 'retry-after': '3' })
  t.strictSame(renderError({ kind: 'timeout', status: 408, message: 'm' }).headers, {})
  t.strictSame(renderError({ kind: 'invalid_request', status: 409, message: 'm' }).headers, {})
  t.strictSame(renderError({ kind: 'server_error', status: 500, message: 'm' }).headers, {})
})

t.test('openai-responses renders the same envelope', async t => {
  const err = { kind: 'rate_limit', status: 429, message: 'slow down' } as const
  t.strictSame(renderResponsesError(err), renderError(err))
})
