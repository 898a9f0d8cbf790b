// Bench upstream, in its own process: a JSON chat completion and a 20-frame SSE stream.
import { createServer } from 'node:http'

const completion = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1, model: 'bench',
  choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(400) }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 100, total_tokens: 110 },
})
const frames = []
for (let i = 0; i < 20; i++) {
  frames.push(`data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":{"content":"token${i} "},"finish_reason":null}]}\n\n`)
}
frames.push('data: [DONE]\n\n')

const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    if (req.url.includes('stream')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const f of frames) res.write(f)
      res.end()
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) })
      res.end(completion)
    }
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('disconnect', () => process.exit(0))
