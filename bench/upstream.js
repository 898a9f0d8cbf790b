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
//   anything else (bench-event)  one res.write per SSE event
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

// Open slow streams by phase; each tick of the one timer writes the next event of the streams of
// one phase and ends the finished ones.
const PHASES = Math.max(1, Number(process.env.SLOW_PHASES ?? 10))
const phases = Array.from({ length: PHASES }, () => new Set())
const slowOpen = () => phases.reduce((n, p) => n + p.size, 0)
let nextPhase = 0
let tickPhase = 0
let slowTimer
function tick () {
  const due = phases[tickPhase]
  tickPhase = (tickPhase + 1) % PHASES
  for (const s of due) {
    if (s.res.destroyed) { due.delete(s); continue }
    s.res.write(s.events[s.next++])
    if (s.next === s.events.length) { s.res.end(); due.delete(s) }
  }
  if (slowOpen() === 0) { clearInterval(slowTimer); slowTimer = undefined }
}

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
  res.writeHead(200, SSE_HEADERS)
  if (whole) { res.end(reply.whole); return }
  if (isSlow) {
    res.write(reply.events[0])
    phases[nextPhase].add({ res, events: reply.events, next: 1 })
    nextPhase = (nextPhase + 1) % PHASES
    slowTimer ??= setInterval(tick, DELAY / PHASES)
    return
  }
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
process.on('message', m => { if (m?.stats === true) process.send({ stats: { requests, open: slowOpen() } }) })
process.on('disconnect', () => process.exit(0))
