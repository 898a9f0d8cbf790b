// fast-check runs bounded in time, with a floor: MIN_RUNS inputs are tried whatever the
// machine's load (a loaded CI machine got through 990 of a time-limited run once), then as many
// more as the time limit allows. A failure's details carry the seed of the pass that failed.
import fc from 'fast-check'
import type { CanonicalRequest } from '../../src/canonical/request.js'

export const MIN_RUNS = 1000

export function checkWithFloor<T> (property: fc.IProperty<T>, opts: { readonly seed: number, readonly numRuns: number, readonly timeLimitMs: number }): fc.RunDetails<T> {
  const floor = fc.check(property, { seed: opts.seed, numRuns: MIN_RUNS })
  if (floor.failed) return floor
  return fc.check(property, { seed: opts.seed + 1, numRuns: opts.numRuns - MIN_RUNS, interruptAfterTimeLimit: opts.timeLimitMs })
}

/** The request the stream-decoder fuzzers decode for: a function, a custom and a namespaced tool. */
export const FUZZ_REQUEST: CanonicalRequest = {
  model: 'm',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: true,
  tools: [
    { kind: 'function', name: 'get_weather', parameters: { type: 'object' } },
    { kind: 'custom', name: 'apply_patch' },
    { kind: 'function', name: 'run', namespace: 'shell', parameters: { type: 'object' } },
  ],
}
