// One bounded load measurement with autocannon (in this process, pinned with the upstream):
// throughput and latency from autocannon; CPU of the process under test as the delta of its
// /proc utime+stime over the run, divided by the requests completed; its peak VmRSS sampled
// every 100 ms. The mock upstream's and this runner's CPU share of the run are kept too, to show
// whether the load side (not the proxy) was the limit, and the time CPU 1 (the proxy's) spent on
// other processes: the machine is shared, and that shows when it was. Any non-2xx, error or
// timeout throws.
import autocannon from 'autocannon'
import { cpuSeconds, proxyCpuWindow, sampleRss } from './proc.js'
import { PROXY_CPU } from './spawn.js'
import { headersFor } from './scenarios.js'

/**
 * target: { key, label, url, pid (undefined for direct) }; upstreamPid: the mock's pid.
 * Returns { rps, p50, p99, requests, cpuUsPerRequest, rssMB, proxyCpuPct, otherOnProxyCpuPct,
 * upstreamCpuPct, runnerCpuPct }.
 */
export async function measure (scenario, target, { seconds, connections, upstreamPid }) {
  const cpuPid = target.pid
  const rss = cpuPid === undefined ? undefined : sampleRss(cpuPid, 100)
  const cpuWindow = proxyCpuWindow(cpuPid, PROXY_CPU)
  const up0 = cpuSeconds(upstreamPid)
  const self0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await autocannon({
    url: target.url + scenario.paths[target.key], method: 'POST', body: scenario.body,
    headers: headersFor(scenario, target), connections, duration: seconds, timeout: 10,
  })
  const wall = (performance.now() - t0) / 1000
  const { cpuSeconds: cpu, otherPct: otherOnProxyCpuPct } = cpuWindow.stop()
  const up = cpuSeconds(upstreamPid) - up0
  const self = process.cpuUsage(self0)
  const rssPeak = rss?.stop() ?? NaN
  const requests = result.requests.total
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || requests === 0) {
    const codes = Object.keys(result.statusCodeStats ?? {}).join(', ')
    throw new Error(`${target.label}, scenario ${scenario.id} (${scenario.name}): ${requests} replies of ${result.requests.sent} sent in ${result.duration} s, ${result.non2xx} non-2xx (status ${codes}), ${result.errors} errors, ${result.timeouts} timeouts; CPU ${PROXY_CPU} was ${otherOnProxyCpuPct.toFixed(0)} % busy outside the process under test`)
  }
  return {
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    cpuUsPerRequest: cpu * 1e6 / requests,
    rssMB: rssPeak / 1048576,
    proxyCpuPct: 100 * cpu / wall,
    otherOnProxyCpuPct,
    upstreamCpuPct: 100 * up / wall,
    runnerCpuPct: 100 * (self.user + self.system) / 1e6 / wall,
  }
}
