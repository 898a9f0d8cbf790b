// fast-check runs bounded in time, with a floor: MIN_RUNS inputs are tried whatever the
// machine's load (a loaded CI machine got through 990 of a time-limited run once), then as many
// more as the time limit allows. A failure's details carry the seed of the pass that failed.
import fc from 'fast-check'

export const MIN_RUNS = 1000

export function checkWithFloor<T> (property: fc.IProperty<T>, opts: { readonly seed: number, readonly numRuns: number, readonly timeLimitMs: number }): fc.RunDetails<T> {
  const floor = fc.check(property, { seed: opts.seed, numRuns: MIN_RUNS })
  if (floor.failed) return floor
  return fc.check(property, { seed: opts.seed + 1, numRuns: opts.numRuns - MIN_RUNS, interruptAfterTimeLimit: opts.timeLimitMs })
}
