// Gemini error envelope and statuses (PROTOCOLS.md §6.11).
import t from 'tap'
import type { ErrorKind } from '../../../../src/canonical/error.js'
import { renderError } from '../../../../src/dialects/gemini/errors.js'

const cases: ReadonlyArray<[ErrorKind, number, number, string]> = [
  ['invalid_request', 400, 400, 'INVALID_ARGUMENT'],
  ['authentication', 401, 401, 'UNAUTHENTICATED'],
  ['permission', 403, 403, 'PERMISSION_DENIED'],
  ['not_found', 404, 404, 'NOT_FOUND'],
  ['request_too_large', 413, 400, 'INVALID_ARGUMENT'],
  ['rate_limit', 429, 429, 'RESOURCE_EXHAUSTED'],
  ['server_error', 500, 500, 'INTERNAL'],
  ['overloaded', 503, 503, 'UNAVAILABLE'],
  ['overloaded', 529, 503, 'UNAVAILABLE'],
  ['timeout', 504, 504, 'DEADLINE_EXCEEDED'],
]

t.test('each kind: status and canonical status word', async t => {
  for (const [kind, status, sent, word] of cases) {
    const r = renderError({ kind, status, message: 'm' })
    t.equal(r.status, sent, kind)
    t.strictSame(r.body, { error: { code: sent, message: 'm', status: word } }, kind)
  }
})

t.test('retry headers', async t => {
  t.strictSame(renderError({ kind: 'invalid_request', status: 400, message: 'm' }).headers, { 'x-should-retry': 'false' })
  t.strictSame(renderError({ kind: 'rate_limit', status: 429, message: 'm', retryAfter: '9' }).headers, { 'retry-after': '9' })
})
