// The machine is shared: other work landing on the proxy's CPU starves the process under test
// (Switchyard then sheds load with 503s, and every figure of that measurement is off). Before a
// measurement, wait until that CPU is quiet; when a measurement fails while it was busy, wait
// and measure again. A failure on a quiet CPU is a real failure and is thrown.
import { cpuBusySeconds } from './proc.js'
import { PROXY_CPU } from './spawn.js'

const QUIET_PCT = Number(process.env.BENCH_QUIET_PCT ?? 25)
const QUIET_WAIT_S = Number(process.env.BENCH_QUIET_WAIT_S ?? 120)
const RETRIES = 2
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Busy % of the proxy's CPU over `ms` (everything on it: call while the proxy is idle). */
async function busyPct (ms) {
  const b0 = cpuBusySeconds(PROXY_CPU)
  await sleep(ms)
  return 100 * (cpuBusySeconds(PROXY_CPU) - b0) / (ms / 1000)
}

/** Waits (at most BENCH_QUIET_WAIT_S) until CPU 1 is below BENCH_QUIET_PCT % busy; returns the wait in s. */
export async function awaitQuiet () {
  const t0 = Date.now()
  let told = false
  for (;;) {
    const pct = await busyPct(300)
    if (!(pct > QUIET_PCT)) return (Date.now() - t0) / 1000
    if ((Date.now() - t0) / 1000 > QUIET_WAIT_S) {
      console.log(`  (CPU ${PROXY_CPU} still ${pct.toFixed(0)} % busy with other work after ${QUIET_WAIT_S} s: measuring anyway)`)
      return (Date.now() - t0) / 1000
    }
    if (!told) { console.log(`  (CPU ${PROXY_CPU} is ${pct.toFixed(0)} % busy with other work: waiting for it to quiet down)`); told = true }
    await sleep(2000)
  }
}

/** Runs `fn` after a quiet check; on failure, when the CPU is busy with other work, waits and retries. */
export async function whenQuiet (what, fn) {
  for (let attempt = 0; ; attempt++) {
    await awaitQuiet()
    try { return await fn() } catch (err) {
      const pct = await busyPct(500)
      if (attempt === RETRIES || !(pct > QUIET_PCT)) throw err
      console.log(`  (${what} failed while CPU ${PROXY_CPU} was ${pct.toFixed(0)} % busy with other work; measuring again: ${err.message.split('\n')[0].slice(0, 200)})`)
      // Switchyard's load shedding keeps shedding for at least one 1 s window after a stall.
      await sleep(3000)
    }
  }
}
