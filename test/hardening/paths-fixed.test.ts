// Issue 10, found by paths.test.ts (fixed in src/http/request-target.ts: no empty segments): a client path with an empty segment after its
// version (`/v1//evil.example/…`) sent to a backend whose URL has no base path reaches the
// upstream as `//evil.example/…` — a network-path reference, which a normalising upstream
// (WHATWG URL, many frameworks and proxies) reads as a request for the host `evil.example`.
// Bug: src/upstream/target.ts upstreamPath() strips `/v1` and prepends an empty base, and
// src/http/request-target.ts unsafeTarget() lets empty segments through. Proposed fix: refuse
// empty segments (`//` anywhere in the path) in unsafeTarget(), or collapse a leading run of `/`
// in upstreamPath(). Expected: the upstream never sees a target starting with `//`.
import { connect } from 'node:net'
import t from 'tap'
import { startMockUpstream } from '../helpers/mock-upstream.js'
import { oneBackend, startApp, type StartedApp } from '../helpers/start-app.js'

function rawPost (app: StartedApp, target: string): Promise<number> {
  const { port, hostname } = new URL(app.url)
  const body = '{"model":"m","messages":[{"role":"user","content":"hi"}]}'
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no answer')) }, 10_000)
    socket.on('data', c => chunks.push(c))
    socket.on('error', () => {})
    socket.on('close', () => { clearTimeout(timer); resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString())?.[1] ?? 0)) })
    socket.write(`POST ${target} HTTP/1.1\r\nHost: switchyard.local\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
  })
}

t.test('a backend at the root never receives a //host target', async t => {
  const upstream = await startMockUpstream(t, { status: 200, headers: { 'content-type': 'application/json' }, frames: ['{"ok":true}'] })
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url, apiKey: 'upstream-key' }))
  for (const target of ['/v1//evil.example/v1/chat/completions', '/v1//chat/completions', '/v1beta//evil.example/x']) {
    const before = upstream.requests.length
    const status = await rawPost(app, target)
    const seen = upstream.requests.slice(before).map(r => r.url)
    t.notOk(seen.some(url => url.startsWith('//')), `${target}: the upstream saw ${seen.join(', ') || 'nothing'} (answer ${status})`)
    if (seen.length === 0) t.equal(status, 400, `${target}: refused with a 400`)
  }
})
