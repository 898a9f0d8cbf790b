// The first and last bytes of a body of any length, in bounded memory: a fixed head buffer and a
// ring for the tail. What is in between is dropped. Per chunk it costs at most two copies of at
// most `size` bytes and no allocation (the ring is allocated once, when the head is full).

export interface WindowView {
  /** The first bytes (up to `size`). */
  readonly head: Buffer
  /** The last bytes after the head (up to `size`). */
  readonly tail: Buffer
  /** True when nothing was dropped: `head` + `tail` is the whole body. */
  readonly contiguous: boolean
}

export class ByteWindow {
  private readonly head: Buffer
  private headLength = 0
  private ring: Buffer | null = null
  /** Next write position in the ring, and how many ring bytes hold data. */
  private ringAt = 0
  private ringLength = 0
  /** Bytes seen after the head. */
  private rest = 0

  constructor (private readonly size: number) {
    this.head = Buffer.allocUnsafe(size)
  }

  push (chunk: Buffer): void {
    let from = 0
    if (this.headLength < this.size) {
      from = chunk.copy(this.head, this.headLength)
      this.headLength += from
      if (from === chunk.length) return
    }
    this.rest += chunk.length - from
    const ring = this.ring ??= Buffer.allocUnsafe(this.size)
    // Only the last `size` bytes of a chunk can survive.
    if (chunk.length - from >= this.size) from = chunk.length - this.size
    while (from < chunk.length) {
      const n = chunk.copy(ring, this.ringAt, from)
      from += n
      this.ringAt = (this.ringAt + n) % this.size
      this.ringLength = Math.min(this.size, this.ringLength + n)
    }
  }

  /** Bytes seen in total. */
  get length (): number {
    return this.headLength + this.rest
  }

  view (): WindowView {
    const head = this.head.subarray(0, this.headLength)
    const ring = this.ring
    if (ring === null) return { head, tail: Buffer.alloc(0), contiguous: true }
    const tail = this.ringLength < this.size
      ? ring.subarray(0, this.ringLength)
      : Buffer.concat([ring.subarray(this.ringAt), ring.subarray(0, this.ringAt)])
    return { head, tail, contiguous: this.rest <= this.size }
  }
}
