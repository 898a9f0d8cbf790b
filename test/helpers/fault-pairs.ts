// The loop the fault suites share: one fault sent to every client × backend pair that has an
// expectation (in batches), each reply checked against it, the replies returned for the suites'
// own timing figures.
import type { Test } from 'tap'
import { clientRequest, inBatches, replyProblems, send, WIRES, type ClientReply, type Expect, type Fault, type Wire } from './fault-upstream.js'

export interface PairReply { readonly client: Wire, readonly backend: Wire, readonly reply: ClientReply }

export interface PairRun {
  readonly fault: Fault
  readonly stream: boolean
  /** What a client of `client` must see through a `backend` backend; undefined: not run. */
  readonly want: (client: Wire, backend: Wire) => Expect | undefined
  /** Requests in flight at once. */
  readonly batch: number
  readonly boundMs: number
}

export async function checkPairs (t: Test, appUrl: string, run: PairRun): Promise<PairReply[]> {
  const runnable = WIRES.flatMap(client => WIRES.map(backend => ({ client, backend, want: run.want(client, backend) })))
    .filter((p): p is { client: Wire, backend: Wire, want: Expect } => p.want !== undefined)
  const replies = await inBatches(run.batch, runnable.map(p => () => {
    const call = clientRequest(p.client, p.backend, run.fault, run.stream)
    return send(appUrl, call.path, call.body)
  }))
  return runnable.map((p, i) => {
    const reply = replies[i] as ClientReply
    t.same(replyProblems(p.want, p.client, reply, run.boundMs), [], `${p.client} client ← ${p.backend} backend${p.client === p.backend ? ' (passthrough)' : ''}`)
    return { client: p.client, backend: p.backend, reply }
  })
}
