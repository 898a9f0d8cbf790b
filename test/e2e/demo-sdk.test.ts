// The built-in demo config end to end, driven by the official SDKs: the mock backend answers
// every client dialect, streaming and not, with the last user message echoed back.
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import t from 'tap'
import { DEMO_CONFIG } from '../../src/config/demo.js'
import { startApp } from '../helpers/start-app.js'

const PROMPT = 'The quick brown fox jumps'

t.test('demo config answers all four client dialects', async t => {
  const app = await startApp(t, DEMO_CONFIG)
  const openai = new OpenAI({ baseURL: app.url + '/v1', apiKey: 'demo', maxRetries: 0 })
  const anthropic = new Anthropic({ baseURL: app.url, apiKey: 'demo', maxRetries: 0 })
  const genai = new GoogleGenAI({ apiKey: 'demo', httpOptions: { baseUrl: app.url } })
  const messages = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: PROMPT }]

  t.test('chat completions, non-streaming', async t => {
    const res = await openai.chat.completions.create({ model: 'demo-model', messages })
    t.equal(res.choices[0]!.message.content, PROMPT)
    t.equal(res.choices[0]!.finish_reason, 'stop')
    t.equal(res.model, 'demo-model')
    t.same([res.usage?.prompt_tokens, res.usage?.completion_tokens], [7, 5])
  })

  t.test('chat completions, streaming with usage', async t => {
    const stream = openai.chat.completions.stream({ model: 'demo-model', messages, stream_options: { include_usage: true } })
    const deltas: string[] = []
    stream.on('content', delta => deltas.push(delta))
    const final = await stream.finalChatCompletion()
    t.ok(deltas.length > 1, 'the reply arrived in several deltas')
    t.equal(deltas.join(''), PROMPT)
    t.equal(final.choices[0]!.message.content, PROMPT)
    t.equal(final.usage?.completion_tokens, 5)
  })

  t.test('chat completions: max_tokens truncates with finish_reason length', async t => {
    const res = await openai.chat.completions.create({ model: 'm', messages, max_completion_tokens: 2 })
    t.equal(res.choices[0]!.message.content, 'The quick')
    t.equal(res.choices[0]!.finish_reason, 'length')
  })

  t.test('responses, streaming and not', async t => {
    const res = await openai.responses.create({ model: 'm', input: PROMPT, instructions: 'Be brief.' })
    t.equal(res.output_text, PROMPT)
    t.equal(res.status, 'completed')
    const stream = openai.responses.stream({ model: 'm', input: [{ role: 'user', content: PROMPT }] })
    const types = new Set<string>()
    stream.on('event', e => types.add(e.type))
    const final = await stream.finalResponse()
    t.equal(final.output_text, PROMPT)
    t.ok(types.has('response.output_text.delta'))
    t.ok(types.has('response.completed'))
  })

  t.test('anthropic messages, streaming and not', async t => {
    const msg = await anthropic.messages.create({ model: 'claude-demo', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: PROMPT }] })
    t.match(msg.content, [{ type: 'text', text: PROMPT }])
    t.equal(msg.stop_reason, 'end_turn')
    const stream = anthropic.messages.stream({ model: 'claude-demo', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }] })
    const texts: string[] = []
    stream.on('text', text => texts.push(text))
    const final = await stream.finalMessage()
    t.ok(texts.length > 1)
    t.match(final.content, [{ type: 'text', text: PROMPT }])
    t.equal(final.usage.output_tokens, 5)
  })

  t.test('gemini generateContent, streaming and not', async t => {
    const res = await genai.models.generateContent({ model: 'gemini-demo', contents: PROMPT })
    t.equal(res.text, PROMPT)
    t.equal(res.candidates?.[0]?.finishReason, 'STOP')
    const chunks: string[] = []
    for await (const chunk of await genai.models.generateContentStream({ model: 'gemini-demo', contents: PROMPT })) chunks.push(chunk.text ?? '')
    t.ok(chunks.length > 1)
    t.equal(chunks.join(''), PROMPT)
  })

  t.test('bad input is a 400 naming the field, in the client\'s dialect', async t => {
    const err = await anthropic.messages.create({ model: 'claude-demo', messages: [{ role: 'user', content: 'hi' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming).then(() => { throw new Error('expected a 400') }, (e: unknown) => e as InstanceType<typeof Anthropic.APIError>)
    t.equal(err.status, 400)
    t.match(err.message, /max_tokens/)
  })
})
