// The registry holds exactly the SPEC metrics (names, types, labels) plus process metrics, and
// each Recorder method moves its own series.
import t from 'tap'
import type { Registry } from 'prom-client'
import { MAX_MODEL_LABELS } from '../../../src/metrics/model-label.js'
import { createMetrics } from '../../../src/metrics/prometheus.js'

/** SPEC.md "Metrics": the contract. */
const SPEC: Record<string, { type: string, labels: string[] }> = {
  switchyard_requests_total: { type: 'counter', labels: ['backend', 'client_protocol', 'backend_protocol', 'status'] },
  switchyard_request_duration_seconds: { type: 'histogram', labels: ['backend', 'client_protocol', 'stream'] },
  switchyard_time_to_first_byte_seconds: { type: 'histogram', labels: ['backend', 'stream'] },
  switchyard_upstream_errors_total: { type: 'counter', labels: ['backend', 'kind'] },
  switchyard_tokens_total: { type: 'counter', labels: ['backend', 'model', 'direction'] },
  switchyard_active_streams: { type: 'gauge', labels: ['backend'] },
  switchyard_retries_total: { type: 'counter', labels: ['backend'] },
  switchyard_rate_limited_total: { type: 'counter', labels: ['key'] },
}

/** The value of one series (0 when it does not exist). */
async function value (registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name)
  if (metric === undefined) throw new Error(`no metric ${name}`)
  const { values } = await metric.get()
  const hit = values.find(v => Object.keys(labels).length === Object.keys(v.labels).length &&
    Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l))
  return hit?.value ?? 0
}

t.test('exactly the SPEC metrics, with their types and labels, plus process metrics', async t => {
  const { registry } = createMetrics()
  const json = await registry.getMetricsAsJSON()
  const ours = json.filter(m => m.name.startsWith('switchyard_'))
  t.same(Object.fromEntries(ours.map(m => [m.name, { type: m.type, labels: (registry.getSingleMetric(m.name) as unknown as { labelNames: string[] }).labelNames }])), SPEC)
  const others = json.filter(m => !m.name.startsWith('switchyard_')).map(m => m.name)
  t.ok(others.includes('process_cpu_user_seconds_total') && others.includes('nodejs_eventloop_lag_seconds'), 'default process metrics')
  t.same(others.filter(n => !/^(process|nodejs)_/.test(n)), [], 'nothing else')
  t.notOk(others.some(n => n.endsWith('_total') && String(json.find(m => m.name === n)?.type) !== 'counter'), 'no gauge named _total (promtool lint)')
})

t.test('two apps never share series', async t => {
  const a = createMetrics()
  const b = createMetrics()
  a.recorder.retry('x')
  t.equal(await value(a.registry, 'switchyard_retries_total', { backend: 'x' }), 1)
  t.equal(await value(b.registry, 'switchyard_retries_total', { backend: 'x' }), 0)
})

t.test('recorder methods move their series', async t => {
  const { registry, recorder } = createMetrics()
  recorder.upstreamError('openai', 'connect')
  recorder.upstreamError('openai', 'connect')
  recorder.upstreamError('openai', 'status')
  t.equal(await value(registry, 'switchyard_upstream_errors_total', { backend: 'openai', kind: 'connect' }), 2)
  t.equal(await value(registry, 'switchyard_upstream_errors_total', { backend: 'openai', kind: 'status' }), 1)

  recorder.retry('openai')
  t.equal(await value(registry, 'switchyard_retries_total', { backend: 'openai' }), 1)
  recorder.rateLimited('team-a')
  recorder.rateLimited('ip')
  t.equal(await value(registry, 'switchyard_rate_limited_total', { key: 'team-a' }), 1)
  t.equal(await value(registry, 'switchyard_rate_limited_total', { key: 'ip' }), 1)

  recorder.tokens('claude', 'sonnet', { input: 125, output: 42, cacheRead: 100, reasoning: 3 })
  recorder.tokens('claude', 'sonnet', { input: 5, output: 8 })
  t.equal(await value(registry, 'switchyard_tokens_total', { backend: 'claude', model: 'sonnet', direction: 'input' }), 130, 'input = usage.input (cache included)')
  t.equal(await value(registry, 'switchyard_tokens_total', { backend: 'claude', model: 'sonnet', direction: 'output' }), 50)
  recorder.tokens('claude', 'sonnet', { input: -1, output: Number.NaN })
  t.equal(await value(registry, 'switchyard_tokens_total', { backend: 'claude', model: 'sonnet', direction: 'input' }), 130, 'a malformed count adds nothing and does not throw')

  recorder.streamOpened('openai')
  recorder.streamOpened('openai')
  recorder.streamOpened('claude')
  t.equal(await value(registry, 'switchyard_active_streams', { backend: 'openai' }), 2)
  recorder.streamClosed('openai')
  recorder.streamClosed('openai')
  recorder.streamClosed('claude')
  t.equal(await value(registry, 'switchyard_active_streams', { backend: 'openai' }), 0, 'back to zero')
  t.equal(await value(registry, 'switchyard_active_streams', { backend: 'claude' }), 0)
})

t.test('model labels are capped: later models count as other', async t => {
  const { registry, recorder } = createMetrics()
  for (let i = 0; i < MAX_MODEL_LABELS; i++) recorder.tokens('b', `m${i}`, { input: 1, output: 1 })
  recorder.tokens('b', 'one-too-many', { input: 2, output: 3 })
  recorder.tokens('b', 'and-another', { input: 2, output: 3 })
  recorder.tokens('b', 'm7', { input: 1, output: 1 })
  recorder.tokens('b', 'x'.repeat(500), { input: 1, output: 0 })
  t.equal(await value(registry, 'switchyard_tokens_total', { backend: 'b', model: 'other', direction: 'input' }), 5)
  t.equal(await value(registry, 'switchyard_tokens_total', { backend: 'b', model: 'other', direction: 'output' }), 6)
  t.equal(await value(registry, 'switchyard_tokens_total', { backend: 'b', model: 'm7', direction: 'input' }), 2, 'a model seen before the cap keeps its label')
  const series = (await (registry.getSingleMetric('switchyard_tokens_total') as NonNullable<ReturnType<Registry['getSingleMetric']>>).get()).values
  t.equal(series.length, (MAX_MODEL_LABELS + 1) * 2, 'series bounded by the cap')
})

t.test('request(): counter, duration and time to first byte', async t => {
  const metrics = createMetrics()
  const registry = metrics.registry
  metrics.request({ backend: 'b', clientProtocol: 'anthropic', backendProtocol: 'openai-chat', status: 200, stream: true, durationSeconds: 42, ttfbSeconds: 0.7 })
  metrics.request({ backend: 'none', clientProtocol: 'none', backendProtocol: 'none', status: 404, stream: false, durationSeconds: 0.001 })
  t.equal(await value(registry, 'switchyard_requests_total', { backend: 'b', client_protocol: 'anthropic', backend_protocol: 'openai-chat', status: '200' }), 1)
  t.equal(await value(registry, 'switchyard_requests_total', { backend: 'none', client_protocol: 'none', backend_protocol: 'none', status: '404' }), 1)
  const text = await registry.metrics()
  t.match(text, 'switchyard_request_duration_seconds_bucket{le="30",backend="b",client_protocol="anthropic",stream="true"} 0')
  t.match(text, 'switchyard_request_duration_seconds_bucket{le="60",backend="b",client_protocol="anthropic",stream="true"} 1')
  t.match(text, 'switchyard_time_to_first_byte_seconds_bucket{le="1",backend="b",stream="true"} 1')
  t.match(text, 'switchyard_time_to_first_byte_seconds_count{backend="b",stream="true"} 1')
  t.notMatch(text, /switchyard_time_to_first_byte_seconds_count\{backend="none"/, 'no first byte, no observation')
})
