// Converted streams over time (PROTOCOLS.md §6.12, §10 cases 42-43): keep-alives while the
// upstream is silent, and a client that goes away aborts the upstream request.
import { once } from 'node:events'
import t from 'tap'
import { request } from 'undici'
import { startMockUpstream } from '../helpers/mock-upstream.js'
import { oneBackend, startApp } from '../helpers/start-app.js'

const chatChunk = (delta: object, finish: string | null = null) =>
  'data: ' + JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] }) + '\n\n'
const anthEvent = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`

const ANTH_BODY = JSON.stringify({ model: 'm', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] })
const CHAT_BODY = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] })

t.test('keepalive', async t => {
  t.test('anthropic client, silent chat upstream: event ping', async t => {
    const upstream = await startMockUpstream(t, {
      headers: { 'content-type': 'text/event-stream' },
      frames: [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'late' }), chatChunk({}, 'stop'), 'data: [DONE]\n\n'],
      holdAfter: 1,
    })
    const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }), { keepaliveMs: 50 })
    const res = await request(app.url + '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ANTH_BODY })
    let text = ''
    res.body.setEncoding('utf8')
    res.body.on('data', (c: string) => { text += c })
    while (!text.includes('event: ping')) await once(res.body, 'data')
    upstream.release()
    await once(res.body, 'end')
    t.match(text, /event: ping\ndata: \{"type":"ping"\}\n\n/, 'an Anthropic ping frame')
    t.ok(text.indexOf('event: ping') < text.indexOf('late'), 'sent while the upstream was silent')
    t.match(text, /event: message_stop/, 'the reply still completes')
  })

  t.test('chat client, silent anthropic upstream: SSE comment', async t => {
    const upstream = await startMockUpstream(t, {
      headers: { 'content-type': 'text/event-stream' },
      frames: [
        anthEvent('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }),
        anthEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        anthEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'late' } }),
        anthEvent('content_block_stop', { index: 0 }),
        anthEvent('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }),
        anthEvent('message_stop', {}),
      ],
      holdAfter: 1,
    })
    const app = await startApp(t, oneBackend({ protocol: 'anthropic', url: upstream.url }), { keepaliveMs: 50 })
    const res = await request(app.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: CHAT_BODY })
    let text = ''
    res.body.setEncoding('utf8')
    res.body.on('data', (c: string) => { text += c })
    while (!text.includes(': keepalive')) await once(res.body, 'data')
    upstream.release()
    await once(res.body, 'end')
    t.match(text, /^: keepalive\n\n/m, 'a comment line every parser ignores')
    t.notMatch(text, /data: :/, 'never a comment wrapped as data (§7.33)')
    t.match(text, /data: \[DONE\]\n\n$/, 'the reply still completes')
  })
})

t.test('client-abort', async t => {
  const upstream = await startMockUpstream(t, {
    headers: { 'content-type': 'text/event-stream' },
    frames: [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'one' }), chatChunk({ content: 'two' })],
    holdAfter: 2,
  })
  const app = await startApp(t, oneBackend({ protocol: 'openai-chat', url: upstream.url }))
  const ac = new AbortController()
  const res = await request(app.url + '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ANTH_BODY, signal: ac.signal })
  let text = ''
  res.body.on('data', (c: Buffer) => { text += c.toString() })
  while (!text.includes('one')) await once(res.body, 'data')
  const started = Date.now()
  ac.abort()
  const finished = await upstream.closed(0)
  t.equal(finished, false, 'the upstream response was cut, not completed')
  t.ok(Date.now() - started < 1000, 'within 1 s')
})
