// A real upstream over loopback (STYLE.md §2.12): a node:http server on 127.0.0.1:0 that
// answers with scripted status, headers and body frames, and records every request it got.
// Never a mocked undici or fetch.
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

export interface Script {
  status?: number
  headers?: Record<string, string>
  /** Written one by one; strings or bytes. */
  frames?: readonly (string | Buffer)[]
  /** Delay before each frame after the first, ms. */
  frameDelayMs?: number
  /** Wait for `release()` before writing frames after this many have been written. */
  holdAfter?: number
  /** Destroy the socket after this many frames instead of ending the response. */
  destroyAfter?: number
  /** Never answer (for timeouts): headers are not sent. */
  silent?: boolean
}

export interface MockUpstream {
  readonly url: string
  readonly requests: RecordedRequest[]
  /** Sockets that reached the server, to observe aborts. */
  readonly sockets: Set<Socket>
  /** Resolves each time a request has been received (body read). */
  nextRequest (): Promise<RecordedRequest>
  /** Let a held response continue. */
  release (): void
  /** Resolves when the response to the Nth request (0-based) is closed, with whether it finished. */
  closed (n: number): Promise<boolean>
  close (): Promise<void>
}

type Tap = { teardown (fn: () => unknown): void }
type Handler = (req: RecordedRequest, res: ServerResponse) => Script | undefined

export async function startMockUpstream (t: Tap, script: Script | Handler): Promise<MockUpstream> {
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const waiters: ((r: RecordedRequest) => void)[] = []
  const closes: Promise<boolean>[] = []
  let release: () => void = () => {}
  let released = new Promise<void>(resolve => { release = resolve })

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const closedAt = new Promise<boolean>(resolve => res.once('close', () => resolve(res.writableFinished)))
    closes.push(closedAt)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
      requests.push(rec)
      waiters.shift()?.(rec)
      const s = typeof script === 'function' ? script(rec, res) : script
      if (s !== undefined) void play(s, res)
    })
  })
  server.on('connection', s => { sockets.add(s); s.once('close', () => sockets.delete(s)) })

  async function play (s: Script, res: ServerResponse): Promise<void> {
    if (s.silent === true) return
    res.writeHead(s.status ?? 200, s.headers ?? { 'content-type': 'application/json' })
    // Headers go out now, as a real server's do before a slow first token.
    res.flushHeaders()
    const frames = s.frames ?? []
    for (let i = 0; i < frames.length; i++) {
      if (s.destroyAfter === i) { res.socket?.destroy(); return }
      if (s.holdAfter === i) await released
      if (i > 0 && s.frameDelayMs !== undefined) await new Promise(r => setTimeout(r, s.frameDelayMs))
      if (res.destroyed) return
      res.write(frames[i])
    }
    if (s.destroyAfter === frames.length) { res.socket?.destroy(); return }
    res.end()
  }

  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const upstream: MockUpstream = {
    url: `http://127.0.0.1:${port}`,
    requests,
    sockets,
    nextRequest: () => new Promise(resolve => waiters.push(resolve)),
    release: () => { release(); released = new Promise<void>(resolve => { release = resolve }) },
    closed: n => closes[n] ?? Promise.reject(new Error(`no request ${n}`)),
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }
  t.teardown(() => upstream.close())
  return upstream
}

/** A JSON reply script. */
export function json (body: unknown, status = 200, headers: Record<string, string> = {}): Script {
  return { status, headers: { 'content-type': 'application/json', ...headers }, frames: [JSON.stringify(body)] }
}

/** A port nothing listens on (a server bound, then closed): connect refused, for fault tests. */
export async function closedPort (): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1')
  await once(s, 'listening')
  const { port } = s.address() as AddressInfo
  s.close()
  await once(s, 'close')
  return port
}
