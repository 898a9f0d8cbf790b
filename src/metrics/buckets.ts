// Histogram buckets for Switchyard's latencies, in seconds (SPEC.md "Metrics").
//
// prom-client's defaults (5 ms … 10 s) suit web handlers, not LLM calls: a cached or tiny reply
// takes tens of milliseconds, a first token from a thinking model many seconds, and a long
// stream minutes (the default request timeout is 10 min). So the buckets run from 5 ms to
// 10 min, roughly ×2–×2.5 per step: fine enough at the short end to see proxy overhead and
// fast first bytes, and wide enough that a 4-minute stream does not land in +Inf. Sixteen
// buckets keep each histogram series at 19 samples — a fair price for the cardinality
// (backends × dialects × stream only).
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
]
