// A stream's text (translated) or bytes (passthrough), written to the client's chunked response
// (issue 8). Once Node has sent the head, each write goes to the socket as one HTTP/1.1 chunk in
// one string or Buffer:
// `ServerResponse#write` frames a chunk as four buffered pieces, corks the socket and uncorks it
// on the next tick, and leaves in a `writev` of four buffers; on 512 slow translated streams that
// was ~10 % of the proxy's CPU (A/B, issue 8 note). A passthrough's chunks of one turn are framed
// by a copy into one Buffer (each below DIRECT_MAX_BYTES; a bigger one goes through the response,
// whose writev spares the copy): with the upstream's events arriving one per read, 5-8 % less
// CPU per event than the response's write (bench scenario bp, 6 paired rounds). Node still
// writes the head, the last chunk and the terminator (`end`), so its own bookkeeping —
// `finish`, keep-alive, the access log — is as for any reply.
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

/** Bytes above this are not copied to be framed: the response's writev takes them as they are. */
export const DIRECT_MAX_BYTES = 16 * 1024

const CRLF = 0x0d0a

/** How many hex digits a chunk's size line takes (sizes are 1 to 2^31). */
function hexDigits (size: number): number {
  return ((31 - Math.clz32(size)) >> 2) + 1
}

export class ChunkedSink {
  readonly #res: ServerResponse
  /** Bytes written in this turn, not yet framed. */
  #held: Buffer[] = []
  readonly #writeHeldNow = (): void => { this.#writeHeld() }

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

  /**
   * Bytes as one chunk; false when the client is behind (see `needsDrain`). Chunks handed over in
   * one turn (undici passes each HTTP chunk of one socket read on its own) leave together on the
   * next tick, framed into one Buffer: one `write` for what one upstream read brought.
   */
  writeBytes (chunk: Buffer): boolean {
    const socket = this.#directSocket()
    if (socket === undefined || chunk.length > DIRECT_MAX_BYTES) {
      this.#writeHeld()
      return this.#res.write(chunk)
    }
    if (chunk.length !== 0) {
      this.#held.push(chunk)
      if (this.#held.length === 1) process.nextTick(this.#writeHeldNow)
    }
    return !socket.writableNeedDrain
  }

  /** The last text, the terminator, and the response's end. */
  end (text?: string): void {
    this.#writeHeld()
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

  /** The held chunks, each framed, in one Buffer and one write (dropped when the client is gone). */
  #writeHeld (): void {
    const held = this.#held
    if (held.length === 0) return
    this.#held = []
    const socket = this.#res.socket
    if (socket === null || socket.destroyed) return
    let size = 0
    for (const chunk of held) size += hexDigits(chunk.length) + chunk.length + 4
    const framed = Buffer.allocUnsafe(size)
    let at = 0
    for (const chunk of held) {
      at += framed.write(chunk.length.toString(16), at, 'latin1')
      at = framed.writeUInt16BE(CRLF, at)
      at += chunk.copy(framed, at)
      at = framed.writeUInt16BE(CRLF, at)
    }
    socket.write(framed)
  }

  #directSocket (): Socket | undefined {
    const res = this.#res
    const socket = res.socket
    if (socket === null || !res.chunkedEncoding || res.writableEnded || !(res as unknown as OutgoingInternals)._headerSent) return undefined
    return socket
  }
}
