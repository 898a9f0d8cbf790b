// A translated stream's text, written to the client's chunked response (issue 8). Once Node has
// sent the head, each write goes to the socket as one HTTP/1.1 chunk in one string:
// `ServerResponse#write` frames a chunk as four buffered pieces, corks the socket and uncorks it
// on the next tick, and leaves in a `writev` of four buffers; on 512 slow translated streams that
// was ~10 % of the proxy's CPU (A/B, issue 8 note). Node still writes the head, the last chunk
// and the terminator (`end`), so its own bookkeeping — `finish`, keep-alive, the access log —
// is as for any reply.
//
// The socket is written directly only when that is the same as writing through the response:
// the head has left (the first write carries it), and the body is chunked — not for an HTTP/1.0
// client (its body is ended by the connection's close) nor a reply with no body (HEAD, 204,
// 304), for which Node turns chunking off. A pipelined request's reply has no socket until its
// turn, when Node flushes what it buffered for it: until then it writes through the response.
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** Node's own field this relies on (there since Node 0.x; Node 20 and 24 are tested). */
interface OutgoingInternals {
  /** The head has been handed to the socket (`headersSent` is true as soon as it is rendered). */
  readonly _headerSent: boolean
}

export class ChunkedSink {
  readonly #res: ServerResponse

  constructor (res: ServerResponse) {
    this.#res = res
  }

  write (text: string): boolean {
    const socket = this.#directSocket()
    if (socket === undefined) return this.#res.write(text)
    // An empty chunk would be the terminator; the response writes nothing for it either.
    if (text === '') return !socket.writableNeedDrain
    return socket.write(Buffer.byteLength(text).toString(16) + '\r\n' + text + '\r\n')
  }

  /** The last text, the terminator, and the response's end. */
  end (text?: string): void {
    if (text === undefined) this.#res.end()
    else this.#res.end(text)
  }

  /** The client is behind: what was written has not left yet (the response's buffer or the socket's). */
  get needsDrain (): boolean {
    return this.#res.writableNeedDrain || this.#res.socket?.writableNeedDrain === true
  }

  /**
   * `resume` once the client has taken what is buffered. The socket outlives the response
   * (keep-alive), so its listener is dropped when the response closes.
   */
  onceDrained (resume: () => void): void {
    const res = this.#res
    const socket = res.socket
    if (res.writableNeedDrain || socket === null) {
      res.once('drain', resume)
      return
    }
    const drained = (): void => {
      res.removeListener('close', drop)
      resume()
    }
    const drop = (): void => { socket.removeListener('drain', drained) }
    socket.once('drain', drained)
    res.once('close', drop)
  }

  #directSocket (): Socket | undefined {
    const res = this.#res
    const socket = res.socket
    if (socket === null || !res.chunkedEncoding || res.writableEnded || !(res as unknown as OutgoingInternals)._headerSent) return undefined
    return socket
  }
}
