// Order statistics for the report: medians of rounds and latency percentiles.

/** Nearest-rank percentile of the finite values (NaN when there are none). */
export function percentile (values, p) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (v.length === 0) return NaN
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))]
}

/** Median of the finite values (mean of the middle two for an even count). */
export function median (values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (v.length === 0) return NaN
  const mid = v.length >> 1
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2
}
