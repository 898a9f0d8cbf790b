// Shows each chunk of a same-dialect reply to a UsageSniffer on its way to the client, and
// reports the usage once the body ended — without a stream of its own in the path: the chunk
// listener joins when the body is piped to the client (the response's `pipe` event, which fires
// after the pipe's own listener and before the first chunk flows), so no chunk is missed and
// backpressure stays the pipe's. A Transform here cost ~1.5 µs a chunk on the passthrough path.
import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { Usage } from '../canonical/usage.js'
import type { UsageSniffer } from './usage-sniffer.js'

/**
 * `report` gets the usage, once the body piped to `res` ended, and a way to read the model the
 * reply named (only read when the caller does not know it).
 */
export function tapUsage (res: ServerResponse, sniffer: UsageSniffer, report: (usage: Usage, model: () => string | undefined) => void): void {
  res.once('pipe', (body: Readable) => {
    body.on('data', (chunk: Buffer) => { sniffer.observe(chunk) })
    body.once('end', () => {
      const usage = sniffer.usage()
      if (usage !== undefined) report(usage, () => sniffer.model())
    })
  })
}
