// STUB (issue 7, metrics helper): the prom-client registry with the SPEC metrics.
import { NO_METRICS, type Recorder } from './recorder.js'

export interface Metrics {
  readonly recorder: Recorder
}

export function createMetrics (): Metrics {
  return { recorder: NO_METRICS }
}
