// The app's metrics: a prom-client Registry holding exactly the SPEC metrics plus prom-client's
// default process metrics (less three misnamed duplicates, below), the Recorder the request path
// reports to, and `request()`, which the metrics plugin calls once per finished (or abandoned)
// client request.
//
// - One Registry per app, never the global one: tests build several apps in one process.
// - Label values come from closed sets: backend names (config), dialect ids, HTTP statuses,
//   client key *names*; model names are capped (model-label.ts). Never a key or free text.
import { collectDefaultMetrics, Registry } from 'prom-client'
import type { Usage } from '../canonical/usage.js'
import { defineMetrics } from './definitions.js'
import { ModelLabels } from './model-label.js'
import type { Recorder } from './recorder.js'

/** One client request, as the metrics plugin saw it end. */
export interface RequestSample {
  /** The backend that answered, or `none` when no backend matched. */
  readonly backend: string
  /** The client's dialect, or `none` for non-dialect paths. */
  readonly clientProtocol: string
  /** The answering backend's protocol, or `none`. */
  readonly backendProtocol: string
  readonly status: number
  readonly stream: boolean
  readonly durationSeconds: number
  /** Absent when no reply byte was sent. */
  readonly ttfbSeconds?: number | undefined
}

export interface Metrics {
  readonly registry: Registry
  readonly recorder: Recorder
  /** Count one client request and observe its durations. */
  request (sample: RequestSample): void
}

/**
 * prom-client defaults that are gauges named `_total`, which `promtool check metrics` rejects
 * ("non-counter metrics should not have _total suffix"). Each is the sum of a gauge kept next to
 * it (`nodejs_active_handles{type}` …), so nothing is lost: `sum(nodejs_active_handles)`.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']

/** Counters only go up: a malformed upstream count (negative, NaN) must not throw mid-stream. */
function tokenCount (n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0
}

export function createMetrics (): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name)
  const m = defineMetrics(registry)
  const models = new ModelLabels()

  const recorder: Recorder = {
    upstreamError (backend, kind) { m.upstreamErrors.inc({ backend, kind }) },
    retry (backend) { m.retries.inc({ backend }) },
    rateLimited (key) { m.rateLimited.inc({ key }) },
    tokens (backend: string, model: string, usage: Usage) {
      const label = models.label(model)
      // A zero increment still creates the series: both directions appear once a model is seen.
      m.tokens.inc({ backend, model: label, direction: 'input' }, tokenCount(usage.input))
      m.tokens.inc({ backend, model: label, direction: 'output' }, tokenCount(usage.output))
    },
    streamOpened (backend) { m.activeStreams.inc({ backend }) },
    streamClosed (backend) { m.activeStreams.dec({ backend }) },
  }

  return {
    registry,
    recorder,
    request (s) {
      const stream = s.stream ? 'true' : 'false'
      m.requests.inc({ backend: s.backend, client_protocol: s.clientProtocol, backend_protocol: s.backendProtocol, status: String(s.status) })
      m.duration.observe({ backend: s.backend, client_protocol: s.clientProtocol, stream }, s.durationSeconds)
      if (s.ttfbSeconds !== undefined) m.timeToFirstByte.observe({ backend: s.backend, stream }, s.ttfbSeconds)
    },
  }
}
