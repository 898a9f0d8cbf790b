// Reading a whole upstream body, bounded: non-streamed replies (which must be complete to be
// converted) and error bodies. A streamed reply is never read this way.
import type { Readable } from 'node:stream'
import { UpstreamProtocol } from '../errors/codes.js'

/** A non-streamed model reply larger than this is not a reply we can convert. */
export const MAX_UPSTREAM_JSON_BYTES = 32 * 1024 * 1024
/** Error bodies are small, but are read whole to be scrubbed of echoed keys before they are passed on. */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024

export async function readUpstreamBody (body: Readable, limit: number, backend: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) {
      body.destroy()
      throw new UpstreamProtocol(backend, `reply larger than ${limit} bytes`)
    }
    chunks.push(chunk)
  }
  return chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks, size)
}

/** Parse a reply as JSON; `undefined` when it is not JSON (error pages from proxies). */
export function parseJson (bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    return undefined
  }
}

export async function readUpstreamJson (body: Readable, backend: string): Promise<unknown> {
  const json = parseJson(await readUpstreamBody(body, MAX_UPSTREAM_JSON_BYTES, backend))
  if (json === undefined) throw new UpstreamProtocol(backend, 'reply is not JSON')
  return json
}
