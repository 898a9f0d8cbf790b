// Bench upstream, in its own process, never the bottleneck: precomputed replies. A JSON chat
// completion; a Chat Completions SSE stream and an Anthropic Messages SSE stream of
// BENCH_CHUNKS content deltas each (default 100).
import { createServer } from 'node:http'

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100)
const completion = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1, model: 'bench',
  choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(400) }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 100, total_tokens: 110 },
})

function chatStream () {
  const chunk = delta => `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":${delta},"finish_reason":null}]}\n\n`
  const frames = [chunk('{"role":"assistant","content":""}')]
  for (let i = 0; i < CHUNKS; i++) frames.push(chunk(`{"content":"token${i} "}`))
  frames.push('data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n')
  frames.push('data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":100,"total_tokens":110}}\n\n')
  frames.push('data: [DONE]\n\n')
  return Buffer.from(frames.join(''))
}

function anthropicStream () {
  const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
  const frames = [
    ev('message_start', { message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ]
  for (let i = 0; i < CHUNKS; i++) frames.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: `token${i} ` } }))
  frames.push(ev('content_block_stop', { index: 0 }))
  frames.push(ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 100 } }))
  frames.push(ev('message_stop', {}))
  return Buffer.from(frames.join(''))
}

// Written as one write per ~4 frames, as real upstreams batch small events into TCP segments.
function split (buffer, parts) {
  const out = []
  const size = Math.ceil(buffer.length / parts)
  for (let i = 0; i < buffer.length; i += size) out.push(buffer.subarray(i, i + size))
  return out
}
const chatFrames = split(chatStream(), Math.ceil(CHUNKS / 4))
const anthropicFrames = split(anthropicStream(), Math.ceil(CHUNKS / 4))

const server = createServer((req, res) => {
  const body = []
  req.on('data', c => body.push(c))
  req.on('end', () => {
    const streaming = req.url.includes('stream') || Buffer.concat(body).includes('"stream":true')
    if (!streaming) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) })
      res.end(completion)
      return
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    for (const f of req.url.includes('/messages') ? anthropicFrames : chatFrames) res.write(f)
    res.end()
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('disconnect', () => process.exit(0))
