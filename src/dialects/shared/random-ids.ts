// Random id bodies from a pooled CSPRNG buffer. `randomBytes(12)` costs 2.4 µs a call (13-28 µs
// when cold, issue 8's profile of Responses replies, which mint one per request); filling 4 KiB
// at once and slicing it costs ~0.1 µs an id, as Node's own `randomUUID` does. The bytes are
// the same kind (crypto.randomFillSync) and each is handed out once: stored-response ids stay
// unguessable.
import { randomFillSync } from 'node:crypto'

const POOL_BYTES = 4096
const pool = Buffer.allocUnsafe(POOL_BYTES)
let offset = POOL_BYTES

function take (bytes: number): Buffer {
  if (bytes > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} random bytes at once`)
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool)
    offset = 0
  }
  const start = offset
  offset += bytes
  return pool.subarray(start, offset)
}

/** `bytes` random bytes as lowercase hex (2 × bytes characters). */
export function randomHex (bytes: number): string {
  return take(bytes).toString('hex')
}

/** `bytes` random bytes as base64url, unpadded. */
export function randomBase64url (bytes: number): string {
  return take(bytes).toString('base64url')
}
