// Bench mock upstream, in its own process, never the bottleneck: every reply is a Buffer built
// once at start (bench/lib/fixtures.js), no JSON work per request; the body is only searched
// with Buffer.indexOf. Routes by path suffix (so `/v1/...` and `/v1beta/...` under any prefix):
//   …/chat/completions   Chat Completions         …/messages  Anthropic Messages
//   …/responses          Responses                …/models/{m}:generateContent | :streamGenerateContent
// Streaming when the body holds `"stream":true` (Gemini: the verb in the path). BENCH_CHUNKS
// (default 100) content deltas per stream. How a stream is written is chosen by the model name
// (it survives Switchyard's conversions, unlike client headers):
//   bench-whole  the whole body in one res.end(buffer)
//   bench-slow   first event at once, then one event per CHUNK_DELAY_MS (default 20) ms. Open slow
//                streams are driven by ONE shared timer (512 streams cost one timer, not 512) that
//                ticks SLOW_PHASES (default 10) times a period and serves one phase each tick: a
//                stream's phase is taken round-robin as it opens, so independent streams' events are
//                spread over the period as they would be, not all written at the same instant
//                (SLOW_PHASES=1: every stream in the same tick, the burst of the earlier runs)
//   bench-paced  first event at once, then one event per PACE_MS (default 2) ms, all paced streams
//                in the same tick of their own shared timer: every event reaches the proxy in a
//                read of its own (the regime of the reference figures; see bench/README.md)
//   anything else (bench-event)  one res.write per SSE event, back to back
// SSE replies are chunked (as real upstreams send them); JSON replies carry Content-Length.
// IPC: `{ stats: true }` answers `{ stats: { requests, open } }` (slow streams still open).
import { createServer } from 'node:http'
import * as fixtures from './lib/fixtures.js'

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100)
const DELAY = Number(process.env.CHUNK_DELAY_MS ?? 20)

function prepare ({ json, events }) {
  const buffers = events.map(e => Buffer.from(e))
  return { json: Buffer.from(json), events: buffers, whole: Buffer.concat(buffers) }
}
const replies = {
  chat: prepare(fixtures.chat(CHUNKS)),
  anthropic: prepare(fixtures.anthropic(CHUNKS)),
  responses: prepare(fixtures.responses(CHUNKS)),
  gemini: prepare(fixtures.gemini(CHUNKS)),
}

const JSON_TYPE = 'application/json'
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'transfer-encoding': 'chunked' }
const STREAM_TRUE = Buffer.from('"stream":true')
const WHOLE = Buffer.from('"model":"bench-whole"')
const SLOW = Buffer.from('"model":"bench-slow"')
const PACED = Buffer.from('"model":"bench-paced"')

function dialectOf (path) {
  const q = path.indexOf('?')
  const p = q === -1 ? path : path.slice(0, q)
  if (p.endsWith('/chat/completions')) return ['chat', undefined]
  if (p.endsWith('/messages')) return ['anthropic', undefined]
  if (p.endsWith('/responses')) return ['responses', undefined]
  if (p.endsWith(':streamGenerateContent')) return ['gemini', true]
  if (p.endsWith(':generateContent')) return ['gemini', false]
  return [undefined, undefined]
}

/**
 * Streams written one event per `delayMs`, driven by ONE shared timer (512 streams cost one
 * timer, not 512) that ticks `phases` times a period and serves one phase per tick; a stream's
 * phase is taken round-robin as it opens. Each tick writes the next event of that phase's
 * streams and ends the finished ones.
 */
class Pacer {
  constructor (delayMs, phases) {
    this.delayMs = delayMs
    this.phases = Array.from({ length: Math.max(1, phases) }, () => new Set())
    this.nextPhase = 0
    this.tickPhase = 0
    this.timer = undefined
  }

  get open () { return this.phases.reduce((n, p) => n + p.size, 0) }

  /** Writes the first event now and the rest on the timer. */
  start (res, events) {
    res.write(events[0])
    this.phases[this.nextPhase].add({ res, events, next: 1 })
    this.nextPhase = (this.nextPhase + 1) % this.phases.length
    this.timer ??= setInterval(() => this.tick(), this.delayMs / this.phases.length)
  }

  tick () {
    const due = this.phases[this.tickPhase]
    this.tickPhase = (this.tickPhase + 1) % this.phases.length
    for (const s of due) {
      if (s.res.destroyed) { due.delete(s); continue }
      s.res.write(s.events[s.next++])
      if (s.next === s.events.length) { s.res.end(); due.delete(s) }
    }
    if (this.open === 0) { clearInterval(this.timer); this.timer = undefined }
  }
}
const slow = new Pacer(DELAY, Number(process.env.SLOW_PHASES ?? 10))
const paced = new Pacer(Number(process.env.PACE_MS ?? 2), 1)

let requests = 0
function answer (req, res, body) {
  requests++
  const [dialect, pathStream] = dialectOf(req.url)
  if (dialect === undefined) {
    res.writeHead(404, { 'content-type': JSON_TYPE, 'content-length': 2 })
    res.end('{}')
    return
  }
  const reply = replies[dialect]
  const stream = pathStream ?? body.indexOf(STREAM_TRUE) !== -1
  if (!stream) {
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': reply.json.length })
    res.end(reply.json)
    return
  }
  // Gemini carries the model in the path, the others in the body.
  const whole = dialect === 'gemini' ? req.url.includes('/bench-whole:') : body.indexOf(WHOLE) !== -1
  const isSlow = dialect === 'gemini' ? req.url.includes('/bench-slow:') : body.indexOf(SLOW) !== -1
  const isPaced = dialect === 'gemini' ? req.url.includes('/bench-paced:') : body.indexOf(PACED) !== -1
  res.writeHead(200, SSE_HEADERS)
  if (whole) { res.end(reply.whole); return }
  if (isSlow) { slow.start(res, reply.events); return }
  if (isPaced) { paced.start(res, reply.events); return }
  for (const e of reply.events) res.write(e)
  res.end()
}

const EMPTY = Buffer.alloc(0)
const server = createServer((req, res) => {
  let body = EMPTY
  req.on('data', c => { body = body.length === 0 ? c : Buffer.concat([body, c]) })
  req.on('end', () => answer(req, res, body))
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('message', m => { if (m?.stats === true) process.send({ stats: { requests, open: slow.open + paced.open } }) })
process.on('disconnect', () => process.exit(0))
