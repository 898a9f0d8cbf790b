// Slow, fault-injecting mock upstream for the load and soak runs (bench/slow-streams.js,
// bench/soak.js), in its own process. Streams one SSE event per write with CHUNK_DELAY_MS
// (default 20) between events, BENCH_CHUNKS (default 50) content deltas per stream: Chat
// Completions chunks on /…/chat/completions, Anthropic Messages events on /…/messages. Whole
// replies (no `"stream":true`) come after one CHUNK_DELAY_MS, in the same two shapes.
//
// Faults are chosen by the request's `model` (so they survive conversion, which keeps the model):
//   fault-500     500 with a JSON error, before any header of a stream
//   fault-429     429 with retry-after: 1
//   fault-drop    a stream whose socket is destroyed after FAULT_AFTER events (default 3)
//   fault-stall   a stream that goes silent after FAULT_AFTER events (the proxy's timeoutMs ends it)
//   fault-hang    never answers at all (headers never come: the proxy's timeoutMs ends it)
//   fault-garbage a stream with an event whose data is not JSON, then the rest of the stream
// Bookkeeping over IPC: `{ stats: true }` answers with counts of requests, faults served and the
// responses still open (0 once every stream the proxy abandoned has been closed by the proxy).
// `{ hold: N, maxMs }` makes the next streams pause after their first event until N streams are
// open at once (or maxMs passed), then all go on together: N streams provably held at once.
// `{ release: true }` lets held streams go at once (some of the N were refused by the proxy).
// `{ closeIdle: true }` closes every idle keep-alive connection (the proxy's pool to it).
import { createServer } from 'node:http'

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 50)
const DELAY = Number(process.env.CHUNK_DELAY_MS ?? 20)
const FAULT_AFTER = Number(process.env.FAULT_AFTER ?? 3)

const chatChunk = delta => `data: {"id":"chatcmpl-slow","object":"chat.completion.chunk","created":1,"model":"slow","choices":[{"index":0,"delta":${delta},"finish_reason":null}]}\n\n`
const chatFrames = [chatChunk('{"role":"assistant","content":""}')]
for (let i = 0; i < CHUNKS; i++) chatFrames.push(chatChunk(`{"content":"token${i} "}`))
chatFrames.push('data: {"id":"chatcmpl-slow","object":"chat.completion.chunk","created":1,"model":"slow","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n')
chatFrames.push(`data: {"id":"chatcmpl-slow","object":"chat.completion.chunk","created":1,"model":"slow","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":${CHUNKS},"total_tokens":${CHUNKS + 10}}}\n\n`)
chatFrames.push('data: [DONE]\n\n')

const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
const anthropicFrames = [
  ev('message_start', { message: { id: 'msg_slow', type: 'message', role: 'assistant', model: 'slow', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
]
for (let i = 0; i < CHUNKS; i++) anthropicFrames.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: `token${i} ` } }))
anthropicFrames.push(ev('content_block_stop', { index: 0 }))
anthropicFrames.push(ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: CHUNKS } }))
anthropicFrames.push(ev('message_stop', {}))

const text = Array.from({ length: CHUNKS }, (_, i) => `token${i} `).join('')
const chatCompletion = JSON.stringify({
  id: 'chatcmpl-slow', object: 'chat.completion', created: 1, model: 'slow',
  choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: CHUNKS, total_tokens: CHUNKS + 10 },
})
const anthropicMessage = JSON.stringify({
  id: 'msg_slow', type: 'message', role: 'assistant', model: 'slow', content: [{ type: 'text', text }],
  stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: CHUNKS },
})

let hold // { target, waiting: [resume…], timer }
const stats = { requests: 0, streams: 0, whole: 0, completed: 0, closedEarly: 0, open: 0, faults: {} }
const countFault = kind => { stats.faults[kind] = (stats.faults[kind] ?? 0) + 1 }

function parse (buffer) {
  try { return JSON.parse(buffer.toString('utf8')) } catch { return {} }
}

/** Writes `frames` one per DELAY ms; `stopAt` (index) and `onStop` inject a fault there. */
function stream (res, frames, stopAt, onStop) {
  let i = 0
  let timer
  const tick = () => {
    timer = undefined
    if (res.destroyed) return
    if (i === stopAt) { onStop(); return }
    res.write(frames[i++])
    if (i === 1 && hold !== undefined) { hold.waiting.push(() => { timer = setTimeout(tick, DELAY) }); checkHold(); return }
    if (i < frames.length) timer = setTimeout(tick, DELAY)
    else { res.end(); stats.completed++ }
  }
  res.on('close', () => { if (timer !== undefined) clearTimeout(timer) })
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  tick()
}

function releaseHold () {
  if (hold === undefined) return
  const { waiting, timer } = hold
  hold = undefined
  clearTimeout(timer)
  stats.held = waiting.length
  for (const resume of waiting) resume()
}
function checkHold () {
  if (hold !== undefined && hold.waiting.length >= hold.target) releaseHold()
}

function track (res) {
  stats.open++
  res.on('close', () => {
    stats.open--
    if (!res.writableFinished) stats.closedEarly++
  })
}

const server = createServer((req, res) => {
  const body = []
  req.on('data', c => body.push(c))
  req.on('end', () => {
    stats.requests++
    track(res)
    const json = parse(Buffer.concat(body))
    const model = typeof json.model === 'string' ? json.model : ''
    const anthropic = req.url.includes('/messages')
    const frames = anthropic ? anthropicFrames : chatFrames
    if (model === 'fault-500' || model === 'fault-429') {
      countFault(model)
      const status = model === 'fault-500' ? 500 : 429
      const error = anthropic
        ? JSON.stringify({ type: 'error', error: { type: status === 500 ? 'api_error' : 'rate_limit_error', message: 'injected fault' } })
        : JSON.stringify({ error: { message: 'injected fault', type: 'server_error', code: null } })
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '1' } : {}) })
      res.end(error)
      return
    }
    if (model === 'fault-hang') { countFault(model); return } // the proxy's timeout closes it
    if (json.stream !== true) {
      stats.whole++
      const reply = anthropic ? anthropicMessage : chatCompletion
      const timer = setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) })
        res.end(reply)
        stats.completed++
      }, DELAY)
      res.on('close', () => clearTimeout(timer))
      return
    }
    stats.streams++
    if (model === 'fault-drop') { countFault(model); stream(res, frames, FAULT_AFTER, () => res.socket?.destroy()); return }
    if (model === 'fault-stall') { countFault(model); stream(res, frames, FAULT_AFTER, () => {}); return }
    if (model === 'fault-garbage') {
      countFault(model)
      const bad = [...frames.slice(0, FAULT_AFTER), 'data: {"choices":[{"delta":{"content":"unterminated\n\n', ...frames.slice(FAULT_AFTER)]
      stream(res, bad, -1, () => {})
      return
    }
    stream(res, frames, -1, () => {})
  })
})
server.keepAliveTimeout = 60_000
server.headersTimeout = 0
server.requestTimeout = 0
// A deep accept queue: this process stands in for a fleet of upstreams and must not be the
// thing that drops SYNs when the proxy opens thousands of connections at once.
server.listen({ port: 0, host: '127.0.0.1', backlog: 65_535 }, () => process.send({ port: server.address().port }))
process.on('message', m => {
  if (m?.stats === true) process.send({ stats: { ...stats, faults: { ...stats.faults } } })
  // Ends the proxy's idle keep-alive connections, so what they hold can be told from a leak.
  if (m?.release === true) releaseHold()
  if (m?.closeIdle === true) { server.closeIdleConnections(); process.send({ closedIdle: true }) }
  if (typeof m?.hold === 'number') {
    hold = { target: m.hold, waiting: [], timer: setTimeout(releaseHold, m.maxMs ?? 60_000) }
    process.send({ holding: m.hold })
  }
})
process.on('disconnect', () => process.exit(0))
