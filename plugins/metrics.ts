// STUB (issue 7, metrics helper): `GET /metrics` (never behind auth) and the per-request
// metrics, from a prom-client registry holding exactly the SPEC metrics plus process metrics.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Metrics } from '../src/metrics/prometheus.js'

export interface MetricsPluginOptions {
  readonly metrics: Metrics
}

const metrics: FastifyPluginAsync<MetricsPluginOptions> = async () => {}

export default fp(metrics, { name: 'switchyard-metrics', fastify: '5.x', dependencies: ['switchyard-context'] })
