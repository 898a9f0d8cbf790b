// Keeping a reply: the snapshot is filed under the id the client saw, as soon as the stream
// reaches its end (before its bytes leave), with the tool call ids the client saw and the
// output item ids mapped to their parts. Failed streams, store:false and store failures keep
// nothing, an oversized conversation keeps only a mark saying so, and none disturbs the reply.
import t from 'tap'
import type { CanonicalEvent } from '../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../src/canonical/request.js'
import type { SseFrame } from '../../../src/sse/frame.js'
import { MemoryResponseStore } from '../../../src/responses-store/memory-store.js'
import { ResponsesTurn, type TurnDeps } from '../../../src/responses-store/turn.js'
import type { ResponseSnapshot, ResponseStore } from '../../../src/responses-store/types.js'

const REQUEST: CanonicalRequest = { model: 'm', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }], stream: true, store: true }
const HISTORY = { carriedSystem: [], items: {}, resolved: new Map() }
const EVENTS: CanonicalEvent[] = [
  { type: 'message-start', id: 'up-1', model: 'up', created: 1 },
  { type: 'block-start', index: 0, kind: 'text' },
  { type: 'text-delta', index: 0, delta: '' },
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: '', toolName: 'f' },
  { type: 'tool-input-delta', index: 1, delta: '{"a":1}' },
  { type: 'block-end', index: 1 },
  { type: 'message-end', finish: { reason: 'tool-calls' } },
]

function deps (store: ResponseStore, maxSnapshotBytes?: number): { deps: TurnDeps, warnings: string[] } {
  const warnings: string[] = []
  const log = { warn: (_obj: object, msg: string) => { warnings.push(msg) } }
  return { deps: { store, owner: 'team-a', log, ...(maxSnapshotBytes === undefined ? {} : { maxSnapshotBytes }) }, warnings }
}

function run (turn: ResponsesTurn, events: readonly CanonicalEvent[]): { frames: SseFrame[] } {
  const frames: SseFrame[] = []
  const encoder = turn.streamEncoder()
  encoder.open?.(f => frames.push(f))
  for (const e of events) encoder.push(e, f => frames.push(f))
  encoder.end(f => frames.push(f))
  return { frames }
}

t.test('a streamed reply is kept under the id the client saw, with the ids it saw', async t => {
  const store = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 10 })
  const { deps: d } = deps(store)
  const { frames } = run(new ResponsesTurn(REQUEST, HISTORY, d), EVENTS)
  const terminal = JSON.parse(frames.at(-1)!.data) as { type: string, response: { id: string, output: Array<{ id: string, call_id?: string }> } }
  t.equal(terminal.type, 'response.completed')
  const id = terminal.response.id
  t.equal(store.size, 1, 'kept synchronously, as the terminal event is produced')
  const snapshot = await store.get(id) as ResponseSnapshot | undefined
  t.equal(snapshot?.owner, 'team-a')
  t.strictSame(snapshot?.response, terminal.response, 'GET returns the terminal response object')
  const callId = terminal.response.output[1]!.call_id
  t.match(callId, /^call_/, 'the upstream gave no call id: the client was shown a synthetic one')
  t.strictSame(snapshot?.messages.at(-1), { role: 'assistant', parts: [{ type: 'tool-call', id: callId, name: 'f', arguments: '{"a":1}' }] }, 'empty text dropped, the call under the id the client saw')
  t.strictSame(snapshot?.items, { [terminal.response.output[1]!.id]: [1, 0] }, 'output item id → its part')
  t.strictSame(snapshot?.instructions, REQUEST.system)
})

t.test('nothing is kept for a failed stream, a truncated one, or store:false', async t => {
  const store = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 10 })
  const { deps: d } = deps(store)
  run(new ResponsesTurn(REQUEST, HISTORY, d), [...EVENTS.slice(0, -1), { type: 'error', error: { kind: 'server_error', status: 502, message: 'x' } }])
  run(new ResponsesTurn(REQUEST, HISTORY, d), EVENTS.slice(0, -1))
  run(new ResponsesTurn({ ...REQUEST, store: false }, HISTORY, d), EVENTS)
  t.equal(store.size, 0)
})

t.test('a whole reply gets a minted id and is kept; oversized ones leave a mark; failing writes are only logged', async t => {
  const store = new MemoryResponseStore({ ttlSeconds: 60, maxEntries: 10 })
  const answer = { id: 'chatcmpl-same', model: 'up', created: 1, content: [{ type: 'text' as const, text: 'hi' }], finish: { reason: 'stop' as const } }
  const { deps: d } = deps(store)
  const turn = new ResponsesTurn({ ...REQUEST, stream: false }, HISTORY, d)
  const one = turn.encodeWhole(answer)
  const two = turn.encodeWhole(answer)
  t.not(one.id, two.id, 'the same upstream id twice: two responses')
  t.ok(await store.get(one.id))
  t.ok(await store.get(two.id))

  const small = deps(store, 10)
  const wire = new ResponsesTurn(REQUEST, HISTORY, small.deps).encodeWhole(answer)
  t.equal(wire.output.length, 1, 'the reply is unchanged')
  t.strictSame(small.warnings, ['response not stored: the conversation is too large'])
  const mark = await store.get(wire.id)
  t.match(mark, { id: wire.id, owner: 'team-a', oversize: { limit: 10 } }, 'in its place, a mark with the key that made it')
  t.ok((mark as { oversize: { bytes: number } }).oversize.bytes > 100, 'and the size the snapshot came to')
  const streamed = run(new ResponsesTurn(REQUEST, HISTORY, small.deps), EVENTS).frames.at(-1)!
  const streamedId = (JSON.parse(streamed.data) as { response: { id: string } }).response.id
  t.match(await store.get(streamedId), { oversize: { limit: 10 } }, 'a streamed reply too')

  const broken: ResponseStore = { get: async () => undefined, delete: async () => false, put: async () => { throw Object.assign(new Error('down'), { code: 'SWY_ERR_RESPONSES_STORE_UNAVAILABLE' }) } }
  const failing = deps(broken)
  new ResponsesTurn(REQUEST, HISTORY, failing.deps).encodeWhole(answer)
  await new Promise(resolve => setImmediate(resolve))
  t.strictSame(failing.warnings, ['response not stored: the response store failed'])
})
