// Turns the medians of bench/run.js into console tables, PASS/FAIL lines and a Markdown section
// (printed between `<!-- results -->` markers; with BENCH_WRITE_README=1 written into
// bench/README.md in place of the previous section).
import { readFileSync, writeFileSync } from 'node:fs'

export const MARKER = '<!-- results -->'

const f = (n, digits = 0) => Number.isFinite(n) ? n.toFixed(digits) : '-'
const x = n => Number.isFinite(n) ? `${n.toFixed(2)}x` : '-'

/** The columns every a–d row starts with: what autocannon and /proc measured. */
function measuredColumns (s, t) {
  return {
    scenario: s.id,
    target: t.label,
    'req/s': f(t.rps),
    'p50 ms': f(t.p50, 1),
    'p99 ms': f(t.p99, 1),
    'CPU us/req': f(t.cpuUsPerRequest, 1),
    'CPU us/chunk': s.chunks === 0 ? '-' : f(t.cpuUsPerRequest / s.chunks, 2),
    'RSS MB': f(t.rssMB, 0),
  }
}

/** One row per (scenario of `kind`, target): the measured columns, then `columns(t)`. */
function rowsOf (summary, kind, columns) {
  return summary.fast.filter(s => s.kind === kind).flatMap(s => s.targets.map(t => ({ ...measuredColumns(s, t), ...columns(t) })))
}

/** Rows of the fast scenarios a–c (every target), as column → text. */
export function passthroughRows (summary) {
  return rowsOf(summary, 'passthrough', t => ({
    'req/s vs direct': x(t.rpsVsDirect),
    'req/s vs reply-from': x(t.rpsVsReplyFrom),
    'CPU vs reply-from': x(t.cpuVsReplyFrom),
    'p99 vs reply-from': x(t.p99VsReplyFrom),
    'proxy CPU %': f(t.proxyCpuPct),
    'other on CPU 1 %': f(t.otherOnProxyCpuPct),
    'upstream CPU %': f(t.upstreamCpuPct),
    'runner CPU %': f(t.runnerCpuPct),
  }))
}

/** Rows of the translation scenarios d1–d3 (Switchyard, and Portkey when measured). */
export function translationRows (summary) {
  return rowsOf(summary, 'translation', t => ({
    'vs Switchyard passthrough (b; bp if paced)': x(t.vsSwitchyardPassthrough),
    'vs reply-from passthrough (b; bp if paced)': x(t.vsReplyFromPassthrough),
    'vs Portkey 27.7 us (reference, other machine)': x(t.vsPortkeyReference),
    'vs Portkey d2 (this run; d2p if paced)': x(t.vsPortkey),
    'proxy CPU %': f(t.proxyCpuPct),
    'other on CPU 1 %': f(t.otherOnProxyCpuPct),
  }))
}

export function slowRows (summary) {
  return summary.slow.map(t => ({
    target: t.label,
    'whole / streams': `${t.completed}/${t.streams}`,
    'held at once': t.heldPeak,
    'TTFB p50 ms': f(t.ttfbP50, 1),
    'TTFB p99 ms': f(t.ttfbP99, 1),
    'TTFB max ms': f(t.ttfbMax, 1),
    'RSS before MB': f(t.rssBeforeMB, 1),
    'peak RSS MB (50 ms samples)': f(t.rssPeakMB, 1),
    'VmHWM MB': f(t.hwmMB, 1),
    'proxy CPU s': f(t.proxyCpuSeconds, 2),
    'other on CPU 1 %': f(t.otherOnProxyCpuPct),
    'p99 TTFB vs reply-from': x(t.p99VsReplyFrom),
    'peak RSS vs reply-from': x(t.rssVsReplyFrom),
    'accept-queue overflows': f(t.overflows),
  }))
}

export function overheadRows (summary) {
  return summary.overhead.map(o => ({
    scenario: o.id,
    requests: o.n,
    'x-switchyard-overhead-ms': o.values.length === 0 ? 'header absent' : `p50 ${f(o.p50, 3)} / p99 ${f(o.p99, 3)} (${o.values.length} values)`,
  }))
}

function markdownTable (rows) {
  if (rows.length === 0) return '(none)\n'
  const cols = Object.keys(rows[0])
  const line = cells => `| ${cells.join(' | ')} |`
  return [line(cols), line(cols.map(() => '---')), ...rows.map(r => line(cols.map(c => r[c])))].join('\n') + '\n'
}

export function checkLines (summary) {
  return summary.checks.map(c => `${c.pass === undefined ? 'N/A ' : c.pass ? 'PASS' : 'FAIL'} ${c.what}: ${c.got}`)
}

export function markdown (summary) {
  const m = summary.meta
  return [
    MARKER,
    `Run of ${m.date}: ${m.machine}; Node ${m.node}; Switchyard ${m.commit}. Pinning: ${m.pinning}.`,
    `${m.rounds} rounds of ${m.seconds} s per measurement, ${m.connections} connections, ${m.chunks} chunks per stream (scenarios ending in \`p\`: one event every ${m.paceMs} ms); figures are medians of rounds, ratios medians of per-round ratios. ${summary.logNote}.`,
    '',
    '**a–c: passthrough** (direct = the mock itself; CPU of the proxy process from /proc)',
    '',
    markdownTable(passthroughRows(summary)),
    '**d: translation** (Switchyard only; reply-from and the mock cannot translate)',
    '',
    markdownTable(translationRows(summary)),
    `**e: ${m.slowStreams} concurrent slow streams** (${m.slowChunks} chunks, ${m.slowDelay} ms apart; ${m.slowOpenMs > 0 ? `opened evenly over ${m.slowOpenMs} ms` : 'all opened at the same moment'}; fresh processes per target; ${m.slowRounds} rounds)`,
    '',
    markdownTable(slowRows(summary)),
    '**f: `x-switchyard-overhead-ms`** (sequential requests through Switchyard)',
    '',
    markdownTable(overheadRows(summary)),
    '**Targets**',
    '',
    ...checkLines(summary).map(l => `- ${l}`),
    '',
    MARKER,
  ].join('\n')
}

/** Replaces the section between the two markers of `readmePath` (appends one when absent). */
export function writeReadme (readmePath, section) {
  const text = readFileSync(readmePath, 'utf8')
  const start = text.indexOf(MARKER)
  const end = start === -1 ? -1 : text.indexOf(MARKER, start + MARKER.length)
  const next = start === -1 || end === -1
    ? `${text.trimEnd()}\n\n${section}\n`
    : text.slice(0, start) + section + text.slice(end + MARKER.length)
  writeFileSync(readmePath, next)
}
