// Upstream replies of the bench mock (bench/upstream.js), built once: for each dialect a whole
// JSON reply and an SSE stream of `chunks` content deltas, the stream as an array of events
// (one string per SSE event, so the mock can write one event per write, all at once, or one per
// tick). Wire shapes follow the real APIs closely enough for Switchyard's decoders: Chat
// Completions chunks with a usage chunk and [DONE]; Anthropic Messages events; Responses events
// in the real order with sequence numbers; Gemini `alt=sse` data-only chunks.

const TEXT = 'x'.repeat(400)
const deltaText = i => `token${i} `

export function chat (chunks) {
  const json = JSON.stringify({
    id: 'chatcmpl-bench', object: 'chat.completion', created: 1, model: 'bench',
    choices: [{ index: 0, message: { role: 'assistant', content: TEXT }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 100, total_tokens: 110 },
  })
  const chunk = (delta, finish = null) => `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":${delta},"finish_reason":${finish}}]}\n\n`
  const events = [chunk('{"role":"assistant","content":""}')]
  for (let i = 0; i < chunks; i++) events.push(chunk(JSON.stringify({ content: deltaText(i) })))
  events.push(chunk('{}', '"stop"'))
  // The usage chunk and [DONE] leave together, as OpenAI's and vLLM's do (a 20 ms gap raced the
  // translator's RELEASE_MS for the rest of the body in the slow streams).
  events.push(`data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":${chunks},"total_tokens":${chunks + 10}}}\n\n` +
    'data: [DONE]\n\n')
  return { json, events }
}

export function anthropic (chunks) {
  const json = JSON.stringify({
    id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench', content: [{ type: 'text', text: TEXT }],
    stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: 100 },
  })
  const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
  const events = [
    ev('message_start', { message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ]
  for (let i = 0; i < chunks; i++) events.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: deltaText(i) } }))
  events.push(ev('content_block_stop', { index: 0 }))
  // Together, as Anthropic sends them.
  events.push(ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: chunks } }) + ev('message_stop', {}))
  return { json, events }
}

export function responses (chunks) {
  const text = Array.from({ length: chunks }, (_, i) => deltaText(i)).join('')
  const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: chunks, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: chunks + 10 }
  const base = { id: 'resp_bench', object: 'response', created_at: 1, model: 'bench', output: [], usage: null }
  const item = { id: 'msg_bench', type: 'message', role: 'assistant', status: 'in_progress', content: [] }
  const part = { type: 'output_text', text: '', annotations: [] }
  const doneItem = { ...item, status: 'completed', content: [{ ...part, text }] }
  const json = JSON.stringify({ ...base, status: 'completed', output: [{ ...doneItem, content: [{ ...part, text: TEXT }] }], usage: { ...usage, output_tokens: 100, total_tokens: 110 } })
  let seq = 0
  const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`
  const at = { item_id: 'msg_bench', output_index: 0, content_index: 0 }
  const events = [
    ev('response.created', { response: { ...base, status: 'in_progress' } }),
    ev('response.in_progress', { response: { ...base, status: 'in_progress' } }),
    ev('response.output_item.added', { output_index: 0, item }),
    ev('response.content_part.added', { ...at, part }),
  ]
  for (let i = 0; i < chunks; i++) events.push(ev('response.output_text.delta', { ...at, delta: deltaText(i) }))
  events.push(ev('response.output_text.done', { ...at, text }))
  events.push(ev('response.content_part.done', { ...at, part: { ...part, text } }))
  events.push(ev('response.output_item.done', { output_index: 0, item: doneItem }))
  events.push(ev('response.completed', { response: { ...base, status: 'completed', output: [doneItem], usage } }))
  return { json, events }
}

export function gemini (chunks) {
  const candidate = (text, finish) => ({ content: { role: 'model', parts: [{ text }] }, index: 0, ...(finish ? { finishReason: 'STOP' } : {}) })
  const usage = n => ({ promptTokenCount: 10, candidatesTokenCount: n, totalTokenCount: n + 10 })
  const head = { modelVersion: 'bench', responseId: 'gem-bench' }
  const json = JSON.stringify({ candidates: [candidate(TEXT, true)], usageMetadata: usage(100), ...head })
  const events = []
  for (let i = 0; i < chunks; i++) {
    const last = i === chunks - 1
    events.push(`data: ${JSON.stringify({ candidates: [candidate(deltaText(i), last)], usageMetadata: usage(last ? chunks : i + 1), ...head })}\r\n\r\n`)
  }
  return { json, events }
}

/** What a client must see at the end of a whole stream, by client dialect. */
export const TERMINAL = {
  chat: 'data: [DONE]',
  anthropic: 'event: message_stop',
  responses: 'event: response.completed',
  gemini: '"finishReason":"STOP"',
}
/** Marks one content delta in a client's stream, by client dialect (counted to check wholeness). */
export const DELTA = {
  chat: '"content":"token',
  anthropic: '"text_delta"',
  responses: '"type":"response.output_text.delta"',
  gemini: '"text":"token',
}
