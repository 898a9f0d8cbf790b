// Retry policy: jittered backoff bounds, retry-after parsing, the abortable wait.
import t from 'tap'
import { backoffDelayMs, isRetryableStatus, pause, RETRY_BASE_MS, RETRY_CAP_MS, retryAfterMs } from '../../../src/upstream/retry.js'
import { RequestSignal } from '../../../src/http/request-signal.js'

t.test('retryable statuses: 429 and 5xx only', async t => {
  for (const s of [429, 500, 502, 503, 504, 529]) t.ok(isRetryableStatus(s), String(s))
  for (const s of [400, 401, 403, 404, 408, 413, 422]) t.notOk(isRetryableStatus(s), String(s))
})

t.test('full-jitter backoff: uniform below an exponential ceiling, capped', async t => {
  const almostOne = () => 0.999999
  t.equal(backoffDelayMs(0, () => 0), 0, 'jitter may pick no wait at all')
  t.equal(backoffDelayMs(0, almostOne), RETRY_BASE_MS - 1)
  t.equal(backoffDelayMs(1, almostOne), 2 * RETRY_BASE_MS - 1)
  t.equal(backoffDelayMs(3, almostOne), 8 * RETRY_BASE_MS - 1)
  t.equal(backoffDelayMs(30, almostOne), RETRY_CAP_MS - 1, 'capped however many attempts')
  const drawn = Array.from({ length: 200 }, () => backoffDelayMs(2))
  t.ok(drawn.every(d => d >= 0 && d < 4 * RETRY_BASE_MS), 'in range with Math.random')
})

t.test('retry-after: delta seconds or an HTTP date', async t => {
  const now = Date.parse('2025-01-01T00:00:00Z')
  t.equal(retryAfterMs('3', now), 3000)
  t.equal(retryAfterMs(' 0 ', now), 0)
  t.equal(retryAfterMs('1.5', now), 1500, 'fractions seen in the wild are read too')
  t.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now), 10_000)
  t.equal(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', now), 0, 'a date in the past means now')
  t.equal(retryAfterMs(['2', '9'], now), 2000, 'first of repeated headers')
  t.equal(retryAfterMs('soon', now), undefined)
  t.equal(retryAfterMs('-5', now), undefined)
  t.equal(retryAfterMs(undefined, now), undefined)
  t.equal(retryAfterMs('', now), undefined)
})

t.test('pause waits, and stops at once on abort', async t => {
  const never = new RequestSignal()
  const started = performance.now()
  t.equal(await pause(30, never), true)
  t.ok(performance.now() - started >= 25, 'waited')
  t.equal(await pause(0, never), true, 'no wait needs no timer')

  const signal = new RequestSignal()
  const waiting = pause(10_000, signal)
  const at = performance.now()
  signal.abort()
  t.equal(await waiting, false)
  t.ok(performance.now() - at < 100, 'returned on abort, not at the end of the wait')
  t.equal(await pause(10, signal), false, 'an aborted signal never waits')
  t.equal(signal.listenerCount('abort'), 0, 'no listener left behind')
})
