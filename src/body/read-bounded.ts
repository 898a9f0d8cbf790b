// Request bodies that must be read (conversion, model routing or rewriting) are collected into
// one Buffer, never more than `limit` bytes: a declared Content-Length over the limit fails
// before a byte is read, a chunked body fails as soon as it crosses it.
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import { BodyTooLarge } from '../errors/codes.js'

export function declaredLength (headers: IncomingHttpHeaders): number | undefined {
  const value = headers['content-length']
  if (value === undefined) return undefined
  const n = Number(value)
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined
}

/** Whether the request carries a body at all (a length above 0, or chunked). */
export function hasBody (headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length']
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

export function readBounded (stream: Readable, limit: number, declared: number | undefined): Promise<Buffer> {
  if (declared !== undefined && declared > limit) return Promise.reject(new BodyTooLarge(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        // Stop reading; the error reply closes the connection.
        stream.pause()
        reject(new BodyTooLarge(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => { cleanup(); resolve(chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks, size)) }
    const onError = (err: Error) => { cleanup(); reject(err) }
    const cleanup = () => {
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
    }
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
  })
}
