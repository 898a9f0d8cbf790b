// A loopback server for the official-SDK tests: it answers every request with frames written as
// a real SSE response (via `encodeSseFrame`, one write per frame, PROTOCOLS.md §0) or with a JSON
// body, and records what the SDK sent. No network mock: the SDKs use their own fetch.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SseFrame } from '../../../src/sse/frame.js'
import { encodeSseFrame } from '../../../src/sse/encoder.js'

export interface Received {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: unknown
}

export type Reply =
  | { readonly frames: readonly SseFrame[] }
  | { readonly json: unknown, readonly status?: number, readonly headers?: Readonly<Record<string, string>> }

export interface TestServer {
  readonly url: string
  readonly requests: Received[]
}

/** The slice of a tap Test this helper needs. */
export interface Teardown { teardown (fn: () => unknown): void }

export async function startServer (t: Teardown, reply: (req: Received) => Reply): Promise<TestServer> {
  const requests: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const received: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text === '' ? undefined : JSON.parse(text) }
      requests.push(received)
      const answer = reply(received)
      if ('frames' in answer) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' })
        for (const frame of answer.frames) res.write(encodeSseFrame(frame))
        res.end()
        return
      }
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
      res.end(JSON.stringify(answer.json))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  const { port } = server.address() as AddressInfo
  return { url: 'http://127.0.0.1:' + port, requests }
}
