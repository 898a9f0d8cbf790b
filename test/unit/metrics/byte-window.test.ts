// The head/tail window keeps exactly the first and last N bytes of any body, however chunked.
import fc from 'fast-check'
import t from 'tap'
import { ByteWindow } from '../../../src/metrics/byte-window.js'

t.test('head, tail and contiguity match the body for any chunking', async t => {
  const size = 8
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 12 }), chunks => {
    const w = new ByteWindow(size)
    for (const c of chunks) w.push(Buffer.from(c))
    const body = Buffer.concat(chunks.map(c => Buffer.from(c)))
    const { head, tail, contiguous } = w.view()
    const rest = body.subarray(Math.min(size, body.length))
    return w.length === body.length &&
      head.equals(body.subarray(0, size)) &&
      tail.equals(rest.subarray(Math.max(0, rest.length - size))) &&
      contiguous === (rest.length <= size)
  }), { numRuns: 500 })
  t.pass('500 bodies')
})

t.test('memory stays bounded by two windows', async t => {
  const w = new ByteWindow(1024)
  for (let i = 0; i < 1000; i++) w.push(Buffer.alloc(4096, i % 256))
  const { head, tail, contiguous } = w.view()
  t.equal(w.length, 4096 * 1000)
  t.equal(head.length + tail.length, 2048)
  t.equal(tail[tail.length - 1], 999 % 256)
  t.notOk(contiguous)
})
