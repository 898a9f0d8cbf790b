// CPU time and memory of any process, read from /proc: the same code for Switchyard, the
// reply-from floor, Portkey and the mock upstream, with no IPC in the processes under test.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Clock ticks per second of utime/stime (`getconf CLK_TCK`, 100 on Linux almost always). */
export const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100 } catch { return 100 }
})()

/** utime + stime of `pid` in seconds: /proc/<pid>/stat fields 14 and 15 (1-based). */
export function cpuSeconds (pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Field 2 (comm) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK
}

/** Busy time of CPU `n` (all processes, steal included) in seconds, from /proc/stat. */
export function cpuBusySeconds (n) {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find(l => l.startsWith(`cpu${n} `))
  if (line === undefined) return NaN
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number)
  return (user + nice + system + irq + softirq + steal) / CLK_TCK
}

/**
 * Starts a window on CPU `n`, the proxy's: stop() gives `pid`'s utime + stime in it (NaN without
 * a pid) and how busy CPU `n` was outside that process, in % of the window's wall time.
 */
export function proxyCpuWindow (pid, n) {
  const cpu0 = pid === undefined ? 0 : cpuSeconds(pid)
  const busy0 = cpuBusySeconds(n)
  const t0 = performance.now()
  return {
    stop () {
      const wall = (performance.now() - t0) / 1000
      const cpu = pid === undefined ? NaN : cpuSeconds(pid) - cpu0
      const busy = cpuBusySeconds(n) - busy0
      return { cpuSeconds: cpu, otherPct: 100 * Math.max(0, busy - (Number.isNaN(cpu) ? 0 : cpu)) / wall }
    },
  }
}

/** VmRSS (now) and VmHWM (peak since start) of `pid`, in bytes. */
export function memory (pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = key => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN)
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 }
}

/** Samples VmRSS of `pid` every `ms` until stop(); returns the peak seen (bytes). */
export function sampleRss (pid, ms) {
  let peak = 0
  const read = () => { try { peak = Math.max(peak, memory(pid).rss) } catch {} }
  read()
  const timer = setInterval(read, ms)
  return { stop () { clearInterval(timer); read(); return peak } }
}

/** Host-wide TcpExt ListenOverflows (accept queue full): a connect storm shows up here. */
export function listenOverflows () {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter(l => l.startsWith('TcpExt:'))
    return Number(lines[1].split(' ')[lines[0].split(' ').indexOf('ListenOverflows')])
  } catch { return NaN }
}

export function cpuModel () {
  try { return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown' } catch { return 'unknown' }
}
