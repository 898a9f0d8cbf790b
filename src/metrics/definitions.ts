// The SPEC metrics (SPEC.md "Metrics": names, types and label names are the contract), defined
// on an app-owned Registry — never prom-client's global one, so each app (and each test) owns
// its series. Nothing else defines a `switchyard_*` metric.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import { LATENCY_BUCKETS_SECONDS } from './buckets.js'

export interface SwitchyardMetrics {
  readonly requests: Counter<'backend' | 'client_protocol' | 'backend_protocol' | 'status'>
  readonly duration: Histogram<'backend' | 'client_protocol' | 'stream'>
  readonly timeToFirstByte: Histogram<'backend' | 'stream'>
  readonly upstreamErrors: Counter<'backend' | 'kind'>
  readonly tokens: Counter<'backend' | 'model' | 'direction'>
  readonly activeStreams: Gauge<'backend'>
  readonly retries: Counter<'backend'>
  readonly rateLimited: Counter<'key'>
}

export function defineMetrics (registry: Registry): SwitchyardMetrics {
  const registers = [registry]
  const buckets = [...LATENCY_BUCKETS_SECONDS]
  return {
    requests: new Counter({
      name: 'switchyard_requests_total',
      help: 'Client requests answered, by backend, client and backend dialect, and HTTP status (499: the client went away first).',
      labelNames: ['backend', 'client_protocol', 'backend_protocol', 'status'],
      registers,
    }),
    duration: new Histogram({
      name: 'switchyard_request_duration_seconds',
      help: 'Time from request arrival to the end of the reply, streams included.',
      labelNames: ['backend', 'client_protocol', 'stream'],
      buckets,
      registers,
    }),
    timeToFirstByte: new Histogram({
      name: 'switchyard_time_to_first_byte_seconds',
      help: 'Time from request arrival until the reply started.',
      labelNames: ['backend', 'stream'],
      buckets,
      registers,
    }),
    upstreamErrors: new Counter({
      name: 'switchyard_upstream_errors_total',
      help: 'Upstream failures by backend and kind (connect, timeout, status, protocol).',
      labelNames: ['backend', 'kind'],
      registers,
    }),
    tokens: new Counter({
      name: 'switchyard_tokens_total',
      help: 'Tokens reported by backends, by model and direction (input, output).',
      labelNames: ['backend', 'model', 'direction'],
      registers,
    }),
    activeStreams: new Gauge({
      name: 'switchyard_active_streams',
      help: 'Streamed replies in progress.',
      labelNames: ['backend'],
      registers,
    }),
    retries: new Counter({
      name: 'switchyard_retries_total',
      help: 'Upstream attempts after the first, by backend.',
      labelNames: ['backend'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'switchyard_rate_limited_total',
      help: 'Requests refused by the rate limiter, by client key name (ip without auth).',
      labelNames: ['key'],
      registers,
    }),
  }
}
