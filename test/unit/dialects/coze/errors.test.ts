// Coze's `{code, msg}` envelope → canonical errors: on error statuses (parseError), on HTTP 200
// replies (cozeJsonError), and the fallback for a JSON reply to a streaming call.
import t from 'tap'
import { decodeResponse } from '../../../../src/dialects/coze/decode-response.js'
import { cozeCodeError, cozeJsonError, parseError } from '../../../../src/dialects/coze/errors.js'

t.test('cozeJsonError: success is undefined, a failure code maps by the docs table', async t => {
  t.equal(cozeJsonError({ code: 0, msg: '', data: {} }), undefined)
  t.equal(cozeJsonError({ data: [] }), undefined, 'no code at all is not a failure')
  t.equal(cozeJsonError('text'), undefined)
  t.same(cozeJsonError({ code: 4100, msg: 'authentication is invalid', detail: { logid: 'x' } }),
    { kind: 'authentication', status: 401, message: 'authentication is invalid (Coze code 4100)' })
  t.same(cozeJsonError({ code: 4101, msg: 'no permission' }), { kind: 'permission', status: 403, message: 'no permission (Coze code 4101)' })
  t.same(cozeJsonError({ code: 4002, msg: 'invalid conversation' }), { kind: 'not_found', status: 404, message: 'invalid conversation (Coze code 4002)' })
  t.same(cozeJsonError({ code: 4016, msg: 'chat running' }), { kind: 'invalid_request', status: 409, message: 'chat running (Coze code 4016)' })
  t.same(cozeJsonError({ code: 4009, msg: 'busy' }), { kind: 'overloaded', status: 503, message: 'busy (Coze code 4009)' })
  t.same(cozeJsonError({ code: 4020, msg: 'rpm' }), { kind: 'rate_limit', status: 429, message: 'rpm (Coze code 4020)' })
  t.same(cozeJsonError({ code: 700012006, msg: 'access token invalid' }), { kind: 'authentication', status: 401, message: 'access token invalid (Coze code 700012006)' })
})

t.test('unknown codes: 4xxx is the caller\'s, others the server\'s; an empty msg is replaced', async t => {
  t.same(cozeCodeError(4999, 'odd'), { kind: 'invalid_request', status: 400, message: 'odd (Coze code 4999)' })
  t.same(cozeCodeError(720702002, ''), { kind: 'server_error', status: 500, message: 'Coze reported a failure (Coze code 720702002)' })
})

t.test('parseError keeps the upstream status, prefers the documented code\'s kind', async t => {
  t.same(parseError(401, { code: 4100, msg: 'authentication is invalid' }, undefined),
    { kind: 'authentication', status: 401, message: 'authentication is invalid (Coze code 4100)' })
  t.same(parseError(400, { code: 4010, msg: 'prompt too long' }, undefined), { kind: 'invalid_request', status: 400, message: 'prompt too long (Coze code 4010)' })
  t.same(parseError(429, { code: 4999, msg: 'slow down' }, '3'), { kind: 'rate_limit', status: 429, message: 'slow down (Coze code 4999)', retryAfter: '3' })
  t.same(parseError(502, undefined, undefined), { kind: 'server_error', status: 502, message: 'the backend answered with HTTP status 502' })
})

t.test('a JSON reply to a streaming call is upstream-invalid data naming Coze\'s failure', async t => {
  t.throws(() => decodeResponse({ code: 4015, msg: 'bot not published' }), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /bot not published \(Coze code 4015\)/ })
  t.throws(() => decodeResponse({ code: 0, data: { status: 'created' } }), { code: 'SWY_ERR_UPSTREAM_INVALID_DATA', message: /instead of an event stream/ })
})
