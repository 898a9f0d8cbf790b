// SIGTERM against a real child process: new connections are refused, a stream in flight runs
// to its end, and the process exits 0 with its log whole and in order (stdout is written
// asynchronously); past shutdownGraceMs the stream is cut.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { startMockUpstream } from '../helpers/mock-upstream.js'
import { freePort } from '../helpers/free-port.js'

const ROOT = join(import.meta.dirname, '..', '..')

async function startChild (t: { teardown (fn: () => unknown): void }, config: string): Promise<{ child: ChildProcess, url: string, output (): string }> {
  const dir = join(ROOT, '.tap', 'shutdown-' + process.pid + '-' + Math.random().toString(36).slice(2))
  const { mkdirSync, writeFileSync } = await import('node:fs')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'switchyard.yaml')
  writeFileSync(file, config)
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), '--config', file, '--port', String(port), '--host', '127.0.0.1'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' },
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let out = ''
  child.stdout!.on('data', (c: Buffer) => { out += c.toString() })
  child.stderr!.on('data', (c: Buffer) => { out += c.toString() })
  while (!out.includes('switchyard ready')) {
    if (child.exitCode !== null) throw new Error('child exited early: ' + out)
    await once(child.stdout!, 'data')
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => out }
}

const streamingUpstream = (t: Parameters<typeof startMockUpstream>[0]) => startMockUpstream(t, {
  headers: { 'content-type': 'text/event-stream' }, frames: ['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]\n\n'], holdAfter: 1,
})

t.test('SIGTERM drains a stream in flight, refuses new connections, exits 0', async t => {
  const upstream = await streamingUpstream(t)
  const { child, url, output } = await startChild(t, `backends:\n  - { name: up, protocol: openai-chat, url: "${upstream.url}" }\nserver: { shutdownGraceMs: 20000 }\n`)
  const res = await request(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"m","messages":[],"stream":true}' })
  const it = res.body[Symbol.asyncIterator]()
  t.equal(Buffer.from((await it.next()).value as Buffer).toString(), 'data: 1\n\n')

  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  // The listener closes: a new connection is refused while the stream is still open.
  let refused = false
  for (let i = 0; i < 50 && !refused; i++) {
    refused = await request(url + '/health/ready').then(r => r.body.dump().then(() => false), () => true)
    if (!refused) await new Promise(r => setTimeout(r, 20))
  }
  t.ok(refused, 'new connections are refused while draining')
  t.equal(child.exitCode, null, 'still running while the stream is open')

  upstream.release()
  let rest = ''
  for (let r = await it.next(); r.done !== true; r = await it.next()) rest += Buffer.from(r.value as Buffer).toString()
  t.equal(rest, 'data: 2\n\ndata: [DONE]\n\n', 'the stream ran to its end')
  const [code] = await exited
  t.equal(code, 0)
  // The stream's request line is written as it ends, just before the app closes (the probes
  // above may log lines of their own in between).
  const lines = output().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as { msg: string, path?: string, status?: number })
  const at = (test: (l: typeof lines[number]) => boolean): number => lines.findIndex(test)
  const draining = at(l => l.msg === 'draining')
  const stream = at(l => l.msg === 'request' && l.path === '/v1/chat/completions' && l.status === 200)
  const stopped = at(l => l.msg === 'stopped')
  t.ok(draining !== -1 && draining < stream && stream < stopped, `every line out, in the order logged (draining ${draining}, the stream's line ${stream}, stopped ${stopped})`)
  t.equal(stopped, lines.length - 1, 'stopped is the last line')
})

t.test('past shutdownGraceMs the remaining streams are cut and the process exits 0', async t => {
  const upstream = await streamingUpstream(t)
  const { child, url } = await startChild(t, `backends:\n  - { name: up, protocol: openai-chat, url: "${upstream.url}" }\nserver: { shutdownGraceMs: 300 }\n`)
  const res = await request(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"m","messages":[],"stream":true}' })
  const it = res.body[Symbol.asyncIterator]()
  await it.next()
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = await exited
  t.equal(code, 0)
  await t.rejects(it.next(), 'the client sees a truncated stream, not a clean end')
})
