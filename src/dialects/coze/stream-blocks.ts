// The block bookkeeping both Coze stream decoders share (src/canonical/events.ts invariants):
// dense indexes in start order, ONE block open at a time, deltas only into the open block.
// Coze streams text and reasoning only, so a block is reopened whenever the kind changes or a
// new upstream message begins (a bot with several answer messages gives one block each).
import type { EventSink } from '../types.js'

export type TextBlockKind = 'text' | 'reasoning'

export class StreamBlocks {
  private nextIndex = 0
  private openIndex = -1
  private openKind: TextBlockKind | undefined = undefined
  private openKey: string | undefined = undefined

  /** Append `delta` to a `kind` block of message `key`, opening one when needed. Empty deltas open nothing. */
  write (kind: TextBlockKind, delta: string, key: string, out: EventSink): void {
    if (delta === '') return
    if (this.openKind !== kind || this.openKey !== key) {
      this.close(out)
      this.openIndex = this.nextIndex++
      this.openKind = kind
      this.openKey = key
      out({ type: 'block-start', index: this.openIndex, kind })
    }
    out(kind === 'reasoning'
      ? { type: 'reasoning-delta', index: this.openIndex, delta }
      : { type: 'text-delta', index: this.openIndex, delta })
  }

  close (out: EventSink): void {
    if (this.openKind === undefined) return
    out({ type: 'block-end', index: this.openIndex })
    this.openKind = undefined
    this.openKey = undefined
    this.openIndex = -1
  }
}
