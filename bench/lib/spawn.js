// Child processes of the bench, pinned to CPUs when the machine allows, and all of them killed
// on exit, on a fatal error and on the hard timeout.
//
// Pinning: the proxy under test gets CPU 1 to itself (`taskset -c 1 node file`: taskset execs
// node, so the child's pid is node's and the IPC channel on fd 3 is inherited); the mock upstream
// (`taskset -c 0 node …`) and this runner with autocannon (`taskset -a -pc 0 <pid>`, every
// thread) share CPU 0. Without taskset or with fewer than 2 CPUs everything runs unpinned.
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, openSync, closeSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'

export const LOAD_CPU = '0'
export const PROXY_CPU = '1'
export const LOG_DIR = join(tmpdir(), 'switchyard-bench')

const children = new Set()

/** Can we pin? Returns { pinned, how } and pins this runner to LOAD_CPU when we can. */
export function setUpPinning () {
  if (process.env.BENCH_PIN === '0') return { pinned: false, how: 'unpinned (BENCH_PIN=0)' }
  if (availableParallelism() < 2) return { pinned: false, how: `unpinned (${availableParallelism()} CPU)` }
  try {
    execFileSync('taskset', ['-c', PROXY_CPU, 'true'], { stdio: 'ignore' })
    execFileSync('taskset', ['-a', '-pc', LOAD_CPU, String(process.pid)], { stdio: 'ignore' })
  } catch (err) {
    return { pinned: false, how: `unpinned (taskset failed: ${err.message.split('\n')[0]})` }
  }
  return {
    pinned: true,
    how: `taskset: proxy under test alone on CPU ${PROXY_CPU} (\`taskset -c ${PROXY_CPU} node …\`); mock upstream (\`taskset -c ${LOAD_CPU}\`) and runner + autocannon (\`taskset -a -pc ${LOAD_CPU}\`) on CPU ${LOAD_CPU}`,
  }
}

/**
 * Starts `node [nodeArgs…] file [args…]` (pinned to `cpu` when `pinned`), stdout to a log file
 * (the proxy's own logging cost is real, but the runner must not pay to read it), stderr kept
 * (last 4 KB) for failure messages, and an IPC channel. Resolves once the child's first IPC
 * message arrives (`ready: 'ipc'`) or immediately (`ready: 'none'`, the caller polls).
 */
export async function startNode (name, file, { env = {}, cpu, pinned, nodeArgs = [], args = [], ready = 'ipc', timeoutMs = 30_000 } = {}) {
  mkdirSync(LOG_DIR, { recursive: true })
  const logPath = join(LOG_DIR, `${name}.log`)
  const logFd = openSync(logPath, 'w')
  const argv = [...nodeArgs, file, ...args]
  const [cmd, cmdArgs] = pinned ? ['taskset', ['-c', cpu, process.execPath, ...argv]] : [process.execPath, argv]
  const proc = spawn(cmd, cmdArgs, { env: { ...process.env, ...env }, stdio: ['ignore', logFd, 'pipe', 'ipc'] })
  closeSync(logFd)
  children.add(proc)
  let stderr = ''
  proc.stderr.setEncoding('utf8')
  proc.stderr.on('data', d => { stderr = (stderr + d).slice(-4096) })
  proc.on('exit', () => children.delete(proc))
  const child = { name, proc, pid: proc.pid, logPath, get stderr () { return stderr } }
  if (ready === 'none') return child
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs)
  try {
    const [message] = await Promise.race([
      once(proc, 'message'),
      once(proc, 'exit').then(([code, signal]) => { throw new Error(`${name} exited (${code ?? signal}) before it was ready: ${stderr.trim().slice(-1000)}`) }),
    ])
    child.message = message
  } finally { clearTimeout(timer) }
  return child
}

/** Ends a child: disconnect (it closes its server), then SIGKILL if still alive after 2 s. */
export async function stop (child) {
  const { proc } = child
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const exited = once(proc, 'exit')
  if (proc.connected) proc.disconnect(); else proc.kill('SIGTERM')
  const timer = setTimeout(() => proc.kill('SIGKILL'), 2000)
  await exited
  clearTimeout(timer)
}

export function killAll () {
  for (const proc of children) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
}

/** Kills every child and exits 1 after `seconds`; also kills them on any exit of this process. */
export function hardTimeout (seconds) {
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { killAll(); process.exit(1) })
  const timer = setTimeout(() => {
    console.error(`FAIL: hard timeout of ${seconds} s reached; killing every child`)
    killAll()
    process.exit(1)
  }, seconds * 1000)
  timer.unref()
  return timer
}
