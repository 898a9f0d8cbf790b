// deploy/prometheus/: the alert rules and scrape configs checked by the real Prometheus tools
// (Debian's promtool and prometheus), their metric names checked against the SPEC metrics, and one live
// run: a real Prometheus scrapes a live Switchyard and the counts come back through its API.
//
// Decisions:
// - Debian builds Prometheus without Kubernetes discovery, so promtool cannot parse
//   prometheus.yml as is. Where it cannot, the test swaps `kubernetes_sd_configs` for a static
//   target carrying the `__meta_kubernetes_*` labels pod discovery would attach, which keeps
//   every relabel rule under test — the live run scrapes through exactly those rules.
// - Metric names are read out of PromQL with a small lexer (strings, label matchers, ranges
//   and grouping lists removed; what is left and not a function, keyword or number is a
//   metric): enough for the expressions alerts.yml uses, and it is itself tested below.
// - Timings that must agree with the config (instance-down vs drain, stuck streams vs request
//   timeout) are read from DEFAULTS, never restated.
import { spawn, execFile } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { Registry } from 'prom-client'
import t from 'tap'
import { request } from 'undici'
import { parse, stringify } from 'yaml'
import { DEMO_CONFIG } from '../../src/config/demo.js'
import { DEFAULTS } from '../../src/config/schema.js'
import { defineMetrics } from '../../src/metrics/definitions.js'
import { startApp } from '../helpers/start-app.js'
import { freePort } from '../helpers/free-port.js'

const ROOT = join(import.meta.dirname, '..', '..')
const DIR = join(ROOT, 'deploy', 'prometheus')
const ALERTS = join(DIR, 'alerts.yml')
const DEPLOYMENT = join(ROOT, 'deploy', 'k8s', 'base', 'deployment.yaml')
const PROMTOOL = '/usr/bin/promtool'
const PROMETHEUS = '/usr/bin/prometheus'
const JOB = 'switchyard'

interface Rule { alert: string, expr: string, for?: string, labels?: Record<string, string>, annotations?: Record<string, string> }
interface ScrapeJob { job_name: string, [key: string]: unknown }
interface PromConfig { rule_files?: string[], scrape_configs: ScrapeJob[], [key: string]: unknown }

const run = promisify(execFile)

async function promtool (...args: string[]): Promise<{ code: number, out: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd: DIR, timeout: 20_000 })
    return { code: 0, out: stdout + stderr }
  } catch (err) {
    const e = err as { code?: number, stdout?: string, stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

async function loadYaml<T> (file: string): Promise<T> {
  return parse(await readFile(join(DIR, file), 'utf8')) as T
}

async function loadRules (): Promise<Rule[]> {
  const doc = await loadYaml<{ groups: { rules: Rule[] }[] }>('alerts.yml')
  return doc.groups.flatMap(g => g.rules)
}

function seconds (duration: string): number {
  const m = /^(\d+)([smh])$/.exec(duration)
  if (m === null) throw new Error(`unsupported duration ${duration}`)
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h']
}

const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'bool', 'Inf', 'NaN', 'inf', 'nan'])

/** The metric names a PromQL expression selects. */
function metricNames (expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?[\dsmhdwy]+|@\s*[\d.]+/g, ' ')
    .replace(/(?<![\w:])\d[\d.]*(?:e[+-]?\d+)?/gi, ' ')
  const names = new Set<string>()
  for (const m of bare.matchAll(/[a-zA-Z_:][\w:]*/g)) {
    const after = bare.slice(m.index + m[0].length).trimStart()
    if (!after.startsWith('(') && !PROMQL_WORDS.has(m[0])) names.add(m[0])
  }
  return [...names].sort()
}

/** A metric's sample names: histograms expose _bucket, _sum and _count. */
function sampleNames (metrics: Map<string, string>): Set<string> {
  const names = new Set(['up'])
  for (const [name, type] of metrics) {
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s)
    else names.add(name)
  }
  return names
}

/** Pod discovery as `prometheus.yml` would see one pod, for a promtool without Kubernetes SD. */
function withPodTargets (job: ScrapeJob, pods: { address: string, labels: Record<string, string> }[]): ScrapeJob {
  const { kubernetes_sd_configs: _sd, ...rest } = job
  return { ...rest, static_configs: pods.map(p => ({ targets: [p.address], labels: p.labels })) }
}

/** The labels pod discovery attaches to a pod of deploy/k8s's Deployment (its template's labels
 *  and annotations, sanitised as Prometheus does), plus the pod's own. */
async function podLabels (over: Record<string, string>): Promise<Record<string, string>> {
  const deployment = parse(await readFile(DEPLOYMENT, 'utf8')) as { spec: { template: { metadata: { labels?: Record<string, string>, annotations?: Record<string, string> } } } }
  const { labels = {}, annotations = {} } = deployment.spec.template.metadata
  const sanitise = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_')
  return {
    __meta_kubernetes_namespace: 'llm',
    __meta_kubernetes_pod_name: 'switchyard-7d9f-abcde',
    __meta_kubernetes_pod_ip: '127.0.0.1',
    __meta_kubernetes_pod_phase: 'Running',
    ...Object.fromEntries(Object.entries(labels).map(([k, v]) => [`__meta_kubernetes_pod_label_${sanitise(k)}`, v])),
    ...Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`__meta_kubernetes_pod_annotation_${sanitise(k)}`, v])),
    ...over,
  }
}

function switchyardJob (config: PromConfig, file: string): ScrapeJob {
  const job = config.scrape_configs.find(j => j.job_name === JOB)
  if (job === undefined) throw new Error(`${file}: no job ${JOB}`)
  return job
}

type Tap = { teardown (fn: () => unknown): void }

async function tempDir (t: Tap): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-prometheus-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

t.test('promtool check rules: alerts.yml', async t => {
  const { code, out } = await promtool('check', 'rules', ALERTS)
  t.equal(code, 0, out)
  t.match(out, /SUCCESS: \d+ rules found/)
})

t.test('promtool check config: both scrape configs, with the rules they load', async t => {
  const k8s = await loadYaml<PromConfig>('prometheus.yml')
  const job = switchyardJob(k8s, 'prometheus.yml')
  t.same(job.kubernetes_sd_configs, [{ role: 'pod' }], 'one target per pod, found by pod discovery')
  t.same(k8s.rule_files, ['alerts.yml'], 'the rules are loaded relative to the config')

  const direct = await promtool('check', 'config', join(DIR, 'prometheus.yml'))
  if (direct.code !== 0 && /field kubernetes_sd_configs not found/.test(direct.out)) {
    // This promtool has no Kubernetes discovery (Debian): check everything else.
    const dir = await tempDir(t)
    const config = { ...k8s, rule_files: [ALERTS], scrape_configs: [withPodTargets(job, [{ address: '10.0.0.7:8080', labels: await podLabels({}) }])] }
    await writeFile(join(dir, 'prometheus.yml'), stringify(config))
    const swapped = await promtool('check', 'config', join(dir, 'prometheus.yml'))
    t.equal(swapped.code, 0, swapped.out)
    t.match(swapped.out, /SUCCESS: 1 rule files found/)
  } else {
    t.equal(direct.code, 0, direct.out)
  }

  const fixed = await promtool('check', 'config', join(DIR, 'prometheus-static.yml'))
  t.equal(fixed.code, 0, fixed.out)
  t.match(fixed.out, /SUCCESS: 1 rule files found/)
  const staticJob = switchyardJob(await loadYaml<PromConfig>('prometheus-static.yml'), 'prometheus-static.yml')
  t.equal(staticJob.metrics_path, '/metrics')
  const targets = (staticJob.static_configs as { targets: string[] }[]).flatMap(c => c.targets)
  t.ok(targets.length > 0 && targets.every(a => a.endsWith(`:${DEFAULTS.server.port}`)), 'example targets on the default port')
})

t.test('metricNames reads the metrics out of PromQL', async t => {
  t.same(metricNames('sum by (backend, le) (rate(a_bucket{status=~"5..", x="y{z}"}[5m])) / on (job) b > 0.05 and c offset 1m or absent(up{job="j"} == 1) > 1e3'),
    ['a_bucket', 'b', 'c', 'up'])
  t.same(metricNames('histogram_quantile(0.99, sum(rate(swtichyard_ttfb_bucket[5m])) by (le))'), ['swtichyard_ttfb_bucket'])
})

// The registry's metrics are pinned to SPEC.md's table by test/unit/metrics/prometheus.test.ts
// (SPEC.md lives in the team's shared folder, not in a clone of this repo).
t.test('alerts query only SPEC metrics, and say what they are about', async t => {
  const registry = new Registry()
  defineMetrics(registry)
  const defined = new Map((await registry.getMetricsAsJSON()).map(m => [m.name, String(m.type)]))
  const served = sampleNames(defined)
  const rules = await loadRules()
  t.ok(rules.length >= 6)
  for (const rule of rules) {
    for (const name of metricNames(rule.expr)) {
      t.ok(served.has(name), `${rule.alert}: ${name} is a SPEC metric (src/metrics/definitions.ts)`)
    }
    t.ok(rule.for !== undefined && seconds(rule.for) >= 60, `${rule.alert}: waits at least a minute`)
    t.match(rule.labels?.severity, /^(critical|warning|info)$/, `${rule.alert}: severity`)
    const { summary = '', description = '' } = rule.annotations ?? {}
    t.ok(summary !== '' && description !== '', `${rule.alert}: summary and description`)
    const grouped = [...rule.expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap(m => m[1]!.split(',').map(s => s.trim()))
    for (const label of new Set(grouped.filter(l => l !== 'le'))) {
      t.match(summary, `{{ $labels.${label} }}`, `${rule.alert}: the summary names its ${label}`)
    }
  }
  const names = new Set(rules.map(r => r.alert))
  for (const alert of ['SwitchyardHighErrorRate', 'SwitchyardUpstreamErrors', 'SwitchyardSlowTimeToFirstByte', 'SwitchyardRateLimited', 'SwitchyardInstanceDown']) {
    t.ok(names.has(alert), `${alert} is defined`)
  }
})

t.test('alert timings agree with the config defaults', async t => {
  const rules = new Map((await loadRules()).map(r => [r.alert, r]))
  const down = rules.get('SwitchyardInstanceDown')!
  t.match(down.expr, `up{job="${JOB}"}`, 'matches the scrape job')
  t.ok(seconds(down.for!) * 1000 > 2 * DEFAULTS.server.shutdownGraceMs, 'a draining pod (shutdownGraceMs) never counts as down')
  const stuck = rules.get('SwitchyardStreamsStuck')!
  const window = /\[(\w+)\]/.exec(stuck.expr)![1]!
  t.ok(seconds(window) * 1000 > DEFAULTS.server.requestTimeoutMs, 'no finished stream for longer than a request may last')
})

t.test('promtool test rules: alerts.test.yml', async t => {
  const { code, out } = await promtool('test', 'rules', join(DIR, 'alerts.test.yml'))
  t.equal(code, 0, out)
  t.match(out, /SUCCESS/)
})

async function getJson<T> (url: string): Promise<T> {
  const res = await request(url)
  return await res.body.json() as T
}

interface Sample { metric: Record<string, string>, value: [number, string] }
type QueryAnswer = { status: string, data: { result: Sample[] } }

/** Polls `probe` until it returns a value (bounded), failing with the last reason. */
async function until<T> (what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}

t.test('a real Prometheus scrapes a live Switchyard through the shipped configs', async t => {
  const app = await startApp(t, DEMO_CONFIG)
  const { name: backend, protocol } = DEMO_CONFIG.backends[0]! as { name: string, protocol: string }
  const appAddress = new URL(app.url).host
  const sent = [
    { path: '/v1/chat/completions', body: { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, status: 200 },
    { path: '/v1/chat/completions', body: { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }, status: 200 },
    { path: '/v1/messages', body: { model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }, status: 200 },
    { path: '/v1/chat/completions', body: { model: 'm' }, status: 400 },
  ]
  for (const r of sent) {
    const res = await request(app.url + r.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r.body) })
    await res.body.text()
    t.equal(res.statusCode, r.status, `${r.path} answered ${r.status}`)
  }
  const expected = new Map([
    [`openai-chat/${protocol}/200`, 2],
    [`anthropic/${protocol}/200`, 1],
    [`openai-chat/${protocol}/400`, 1],
  ])

  // The shipped jobs, pointed at the live instance. The pod job sees a pod of the shipped
  // Deployment (its labels and annotations; only the port is the live one) and goes through
  // its relabel rules: address and path from the annotations, a pod opted out and a finished
  // pod dropped. The static job gets its target replaced.
  const dir = await tempDir(t)
  const pod = await podLabels({})
  t.equal(pod.__meta_kubernetes_pod_annotation_prometheus_io_port, String(DEFAULTS.server.port), 'the Deployment annotates the default port')
  const podJob = withPodTargets(switchyardJob(await loadYaml<PromConfig>('prometheus.yml'), 'prometheus.yml'), [
    { address: '127.0.0.1:1', labels: { ...pod, __meta_kubernetes_pod_annotation_prometheus_io_port: new URL(app.url).port } },
    { address: '127.0.0.1:2', labels: await podLabels({ __meta_kubernetes_pod_name: 'opted-out', __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'false' }) },
    { address: '127.0.0.1:3', labels: await podLabels({ __meta_kubernetes_pod_name: 'finished', __meta_kubernetes_pod_phase: 'Succeeded' }) },
  ])
  const staticJob = { ...switchyardJob(await loadYaml<PromConfig>('prometheus-static.yml'), 'prometheus-static.yml'), job_name: 'switchyard-static', static_configs: [{ targets: [appAddress] }] }
  await writeFile(join(dir, 'prometheus.yml'), stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [ALERTS],
    scrape_configs: [podJob, staticJob],
  }))

  const port = await freePort()
  const prom = spawn(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  prom.stderr.on('data', (c: Buffer) => { log += c.toString() })
  const exited = once(prom, 'exit')
  t.teardown(async () => {
    if (prom.exitCode !== null || prom.signalCode !== null) return
    prom.kill('SIGTERM')
    const timer = setTimeout(() => prom.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  })
  const api = `http://127.0.0.1:${port}/api/v1`
  const query = async (q: string): Promise<Sample[]> => {
    if (prom.exitCode !== null) throw new Error('prometheus exited: ' + log)
    const answer = await getJson<QueryAnswer>(`${api}/query?query=${encodeURIComponent(q)}`)
    return answer.data.result
  }

  // Switchyard counts a request when its response closes: wait until every count is in.
  const series = await until('the request counts', 20_000, async () => {
    const result = await query(`switchyard_requests_total{job="${JOB}"}`)
    const counts = new Map(result.map(s => [`${s.metric.client_protocol}/${s.metric.backend_protocol}/${s.metric.status}`, Number(s.value[1])]))
    return [...expected].every(([k, v]) => counts.get(k) === v) ? result : undefined
  }).catch(err => { throw new Error(`${(err as Error).message}\n${log}`) })
  t.equal(series.length, expected.size, 'one series per dialect pair and status')
  for (const s of series) {
    t.match(s.metric, { __name__: 'switchyard_requests_total', job: JOB, instance: appAddress, backend, backend_protocol: protocol, namespace: 'llm', pod: 'switchyard-7d9f-abcde' })
  }
  // The two jobs scrape on their own schedules: wait (bounded) until both have reported.
  const up = await until('both jobs scraped', 20_000, async () => {
    const result = await query('up')
    return result.length >= 2 ? result : undefined
  })
  t.same(up.map(s => [s.metric.job, s.metric.instance, s.value[1]]).sort(),
    [[JOB, appAddress, '1'], ['switchyard-static', appAddress, '1']], 'both jobs up, only the annotated running pod scraped')

  // Every rule evaluates against real series without an error (promtool cannot see runtime
  // errors such as many-to-many matches), and none fires on healthy traffic.
  type RulesAnswer = { data: { groups: { rules: { name: string, health: string, lastError?: string, state: string }[] }[] } }
  const rules = await until('every rule to be evaluated', 10_000, async () => {
    const all = (await getJson<RulesAnswer>(`${api}/rules`)).data.groups.flatMap(g => g.rules)
    return all.length > 0 && all.every(r => r.health !== 'unknown') ? all : undefined
  })
  for (const r of rules) {
    t.equal(r.health, 'ok', `${r.name} evaluates${r.lastError ? ': ' + r.lastError : ''}`)
    t.not(r.state, 'firing', `${r.name} does not fire`)
  }
})
