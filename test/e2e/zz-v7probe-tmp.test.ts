import t from 'tap'
import { respEvents, respFrame } from '/work/main/test/helpers/responses-sse.js'
import { EVENT_STREAM, post, rig } from '/work/main/test/e2e/conformance/fixtures.js'
t.test('probe', async t => {
  const events = respEvents([{ type: 'message', pieces: ['Hel', 'lo'] }], { status: 'failed', error: { code: 'server_error', message: 'The model crashed' } })
  const open = events.filter(e => !['response.output_item.done', 'response.output_text.done', 'response.content_part.done'].includes(e.type as string))
  const { app } = await rig(t, 'openai-responses', { headers: EVENT_STREAM, frames: open.map(respFrame) })
  const raw = await post(app, '/v1/responses', { model: 'client-model', stream: true, input: 'hi' })
  console.log(raw.text)
  const { default: OpenAI } = await import('openai-v7')
  const c = new OpenAI({ baseURL: app.url + '/v1', apiKey: 'k', maxRetries: 0 })
  const r = await c.responses.stream({ model: 'client-model', input: 'hi' }).finalResponse()
  console.log(JSON.stringify({ status: r.status, error: r.error, output: r.output, text: r.output_text }))
})
