// The chunked sink (src/http/chunked-sink.ts) against a real Node HTTP server and a raw TCP
// client reading the bytes on the wire: writes after the head go to the socket as well-formed
// chunks (UTF-8 lengths in bytes), and wherever writing to the socket would not be the same as
// writing through the response — the head not yet out, an HTTP/1.0 client, a HEAD request, a
// pipelined request whose response waits its turn — the response writes. Backpressure through
// the socket is in test/plugins/stream-reply.test.ts. An empty write is no chunk (it would be the
// terminator). Bytes (passthrough) written in one turn leave framed in one socket write on the
// next tick, in order with what goes through the response (a big chunk, the end).
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { ChunkedSink, DIRECT_MAX_BYTES } from '../../../src/http/chunked-sink.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

/** A server answering with `handler`; `raw` sends bytes and resolves with every byte until the server closes. */
async function serve (t: Test, handler: Handler): Promise<(request: string) => Promise<string>> {
  const server = createServer((req, res) => { void handler(req, res) })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const { port } = server.address() as AddressInfo
  return async request => {
    const socket = connect(port, '127.0.0.1')
    // Not `end`: a client's half-close makes Node's server end the connection early.
    socket.write(request)
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    await once(socket, 'close')
    return Buffer.concat(chunks).toString('utf8')
  }
}

/** Counts the writes that went through the response rather than to its socket. */
function counted (res: ServerResponse): { sink: ChunkedSink, throughResponse: () => number } {
  let n = 0
  const write = res.write.bind(res) as (chunk: string) => boolean
  res.write = ((chunk: string) => { n++; return write(chunk) }) as typeof res.write
  return { sink: new ChunkedSink(res), throughResponse: () => n }
}

const bodyOf = (wire: string): string => wire.slice(wire.indexOf('\r\n\r\n') + 4)

t.test('after the head, each write is one chunk on the socket, its length in UTF-8 bytes', async t => {
  let through = -1
  const raw = await serve(t, async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    const { sink, throughResponse } = counted(res)
    sink.write('data: a\n\n')
    await sleep(5)
    sink.write('data: é你🌍\n\n')
    sink.write('')
    sink.write('data: c\n\n')
    through = throughResponse()
    sink.end('data: end\n\n')
  })
  const wire = await raw('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.match(wire, /^HTTP\/1\.1 200 OK\r\n/)
  t.match(wire, /\r\ntransfer-encoding: chunked\r\n/i)
  t.equal(Buffer.byteLength('data: é你🌍\n\n'), 0x11)
  t.equal(bodyOf(wire), '9\r\ndata: a\n\n\r\n' + '11\r\ndata: é你🌍\n\n\r\n' + '9\r\ndata: c\n\n\r\n' + 'b\r\ndata: end\n\n\r\n' + '0\r\n\r\n')
  t.equal(through, 1, 'only the first write (with the head) went through the response')
})

/** Two writes a turn apart (the second after the head has left), then the end with a last one. */
async function twoWritesAndEnd (_req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  const sink = new ChunkedSink(res)
  sink.write('data: a\n\n')
  await sleep(5)
  sink.write('data: b\n\n')
  sink.end('data: c\n\n')
}

t.test('an HTTP/1.0 client gets the body unframed, ended by the close', async t => {
  const raw = await serve(t, twoWritesAndEnd)
  const wire = await raw('GET / HTTP/1.0\r\nHost: x\r\n\r\n')
  t.notMatch(wire, /transfer-encoding/i)
  t.equal(bodyOf(wire), 'data: a\n\ndata: b\n\ndata: c\n\n')
})

t.test('a HEAD request gets no body bytes', async t => {
  const raw = await serve(t, twoWritesAndEnd)
  const wire = await raw('HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.match(wire, /^HTTP\/1\.1 200 OK\r\n/)
  t.equal(bodyOf(wire), '')
})

t.test('a pipelined request\'s reply waits its turn: the replies do not interleave on the wire', async t => {
  const raw = await serve(t, async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    const sink = new ChunkedSink(res)
    if (req.url === '/first') {
      sink.write('data: 1a\n\n')
      await sleep(30)
      sink.write('data: 1b\n\n')
      await sleep(30)
      sink.end('data: 1c\n\n')
      return
    }
    // Answered while the first is still streaming: its response has no socket yet.
    sink.write('data: 2a\n\n')
    await sleep(5)
    sink.write('data: 2b\n\n')
    sink.end()
  })
  const wire = await raw('GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  const replies = wire.split(/(?=HTTP\/1\.1 200 OK\r\n)/)
  t.equal(replies.length, 2)
  t.equal(bodyOf(replies[0] as string), 'a\r\ndata: 1a\n\n\r\n' + 'a\r\ndata: 1b\n\n\r\n' + 'a\r\ndata: 1c\n\n\r\n' + '0\r\n\r\n')
  t.equal(bodyOf(replies[1] as string), 'a\r\ndata: 2a\n\n\r\n' + 'a\r\ndata: 2b\n\n\r\n' + '0\r\n\r\n')
})

t.test('bytes after the head: one turn\'s chunks leave framed in one socket write, in order with a big chunk and the end', async t => {
  const big = Buffer.alloc(DIRECT_MAX_BYTES + 1, 'x')
  let firstThroughResponse = false
  let socketWritesForOneTurn = -1
  const raw = await serve(t, async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    const sink = new ChunkedSink(res)
    // The head has not left: this one goes through the response, with it.
    let throughResponse = 0
    const write = res.write.bind(res) as (chunk: Buffer) => boolean
    res.write = ((chunk: Buffer) => { throughResponse++; return write(chunk) }) as typeof res.write
    sink.writeBytes(Buffer.from('data: a\n\n'))
    firstThroughResponse = throughResponse === 1
    await sleep(5)
    const socket = res.socket!
    let socketWrites = 0
    // Node's own writes pass an encoding and a callback: kept.
    const socketWrite = socket.write.bind(socket) as (...args: unknown[]) => boolean
    socket.write = ((...args: unknown[]) => { socketWrites++; return socketWrite(...args) }) as typeof socket.write
    sink.writeBytes(Buffer.from('data: é\n\n'))
    sink.writeBytes(Buffer.alloc(0))
    sink.writeBytes(Buffer.from('data: b\n\n'))
    t.equal(socketWrites, 0, 'held until the next tick')
    await sleep(5)
    socketWritesForOneTurn = socketWrites
    // Held bytes go before a chunk the response writes, and before the end.
    sink.writeBytes(Buffer.from('data: c\n\n'))
    sink.writeBytes(big)
    sink.writeBytes(Buffer.from('data: d\n\n'))
    sink.end()
  })
  const wire = await raw('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.ok(firstThroughResponse, 'the first chunk went with the head, through the response')
  t.equal(socketWritesForOneTurn, 1, 'two chunks of one turn: one socket write')
  t.equal(bodyOf(wire), '9\r\ndata: a\n\n\r\n' + 'a\r\ndata: é\n\n\r\n' + '9\r\ndata: b\n\n\r\n' + '9\r\ndata: c\n\n\r\n' +
    (DIRECT_MAX_BYTES + 1).toString(16) + '\r\n' + big.toString() + '\r\n' + '9\r\ndata: d\n\n\r\n' + '0\r\n\r\n')
})

t.test('bytes for an HTTP/1.0 client go through the response, unframed', async t => {
  const raw = await serve(t, async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    const sink = new ChunkedSink(res)
    sink.writeBytes(Buffer.from('data: a\n\n'))
    await sleep(5)
    sink.writeBytes(Buffer.from('data: b\n\n'))
    sink.end()
  })
  const wire = await raw('GET / HTTP/1.0\r\nHost: x\r\n\r\n')
  t.equal(bodyOf(wire), 'data: a\n\ndata: b\n\n')
})
