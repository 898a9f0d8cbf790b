// Issue 10, "Faults" — the official SDKs as clients. Whatever the upstream does, each SDK must
// raise its own error type (with the status the gateway chose) within the timeout, never hang and
// never return a made-up success: openai (Chat and Responses), @anthropic-ai/sdk and
// @google/genai, each streaming (a failure after the stream began) and not (an error status or a
// timeout before it), converted from another backend dialect, plus two passthrough cases.
import Anthropic from '@anthropic-ai/sdk'
import { ApiError, GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import t, { type Test } from 'tap'
import { checkAfterwards, faultConfig, faultModel, MOUNT, startFaultUpstream, type Wire, UNDICI_SLACK_MS } from '../helpers/fault-upstream.js'
import { startApp, type StartedApp } from '../helpers/start-app.js'

const TIMEOUT_MS = 300
/** Timeout + 1 s, plus undici's timer ticks (see UNDICI_SLACK_MS). */
const BOUND_MS = TIMEOUT_MS + 1000 + UNDICI_SLACK_MS

const openai = (app: StartedApp, backend: Wire) => new OpenAI({ baseURL: app.url + MOUNT[backend] + '/v1', apiKey: 'client-key', maxRetries: 0 })
const anthropic = (app: StartedApp, backend: Wire) => new Anthropic({ baseURL: app.url + MOUNT[backend], apiKey: 'client-key', maxRetries: 0 })
const gemini = (app: StartedApp, backend: Wire) => new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: app.url + MOUNT[backend], retryOptions: { attempts: 1 } } })

/** Run `fn`; return what it threw (or `undefined` if it returned), failing if it outlives the bound. */
async function failure (t: Test, fn: () => Promise<unknown>): Promise<unknown> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>(resolve => { timer = setTimeout(() => resolve('hung'), BOUND_MS + 2000) })
  const outcome = await Promise.race([fn().then(() => undefined, (err: unknown) => err), hung])
  clearTimeout(timer)
  const ms = performance.now() - started
  t.ok(outcome !== 'hung' && ms <= BOUND_MS, `settled in ${Math.round(ms)} ms (bound ${BOUND_MS})`)
  return outcome
}

t.test('official SDKs raise their own errors', async t => {
  const upstream = await startFaultUpstream(t)
  const app = await startApp(t, faultConfig(upstream.url, { timeoutMs: TIMEOUT_MS }))

  await t.test('openai chat stream, Anthropic backend drops mid-stream: APIError after the first text', async t => {
    const seen: string[] = []
    const err = await failure(t, async () => {
      const stream = await openai(app, 'anthropic').chat.completions.create({ model: faultModel('drop'), stream: true, messages: [{ role: 'user', content: 'hi' }] })
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '')
    })
    t.ok(err instanceof OpenAI.APIError, `OpenAI.APIError (got ${String(err)})`)
    t.match((err as Error).message, /backend anthropic closed the stream/)
    t.equal(seen.join(''), 'Hel', 'the text before the failure arrived')
  })

  await t.test('openai chat, Gemini backend answers 429: RateLimitError with retry-after', async t => {
    const err = await failure(t, () => openai(app, 'gemini').chat.completions.create({ model: faultModel('status-429'), messages: [{ role: 'user', content: 'hi' }] }))
    t.ok(err instanceof OpenAI.RateLimitError, `OpenAI.RateLimitError (got ${String(err)})`)
    t.equal((err as InstanceType<typeof OpenAI.APIError>).status, 429)
    t.equal((err as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after'), '7')
  })

  await t.test('openai chat stream, passthrough drop: the SDK raises, never completes', async t => {
    const err = await failure(t, async () => {
      const stream = await openai(app, 'openai-chat').chat.completions.create({ model: faultModel('drop'), stream: true, messages: [{ role: 'user', content: 'hi' }] })
      for await (const chunk of stream) void chunk
    })
    t.ok(err instanceof Error, `an Error (got ${String(err)})`)
  })

  await t.test('anthropic stream, Chat backend sends an error event: APIError', async t => {
    const err = await failure(t, () => anthropic(app, 'openai-chat').messages.stream({ model: faultModel('error-event'), max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage())
    t.ok(err instanceof Anthropic.APIError, `Anthropic.APIError (got ${String(err)})`)
    t.match((err as Error).message, /upstream overloaded mid-stream/)
  })

  await t.test('anthropic stream, Gemini backend stalls: APIError naming the timeout', async t => {
    const err = await failure(t, () => anthropic(app, 'gemini').messages.stream({ model: faultModel('stall'), max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage())
    t.ok(err instanceof Anthropic.APIError, `Anthropic.APIError (got ${String(err)})`)
    t.match((err as Error).message, /did not finish in time/)
  })

  await t.test('anthropic, Responses backend answers 529: APIError with status 529', async t => {
    const err = await failure(t, () => anthropic(app, 'openai-responses').messages.create({ model: faultModel('status-529'), max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }))
    t.ok(err instanceof Anthropic.APIError, `Anthropic.APIError (got ${String(err)})`)
    t.equal((err as InstanceType<typeof Anthropic.APIError>).status, 529)
  })

  await t.test('anthropic stream, passthrough error event: the upstream\'s APIError', async t => {
    const err = await failure(t, () => anthropic(app, 'anthropic').messages.stream({ model: faultModel('error-event'), max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage())
    t.ok(err instanceof Anthropic.APIError, `Anthropic.APIError (got ${String(err)})`)
  })

  await t.test('openai responses stream, Gemini backend sends invalid JSON: APIError', async t => {
    const err = await failure(t, () => openai(app, 'gemini').responses.stream({ model: faultModel('bad-json'), input: 'hi' }).finalResponse())
    t.ok(err instanceof OpenAI.APIError, `OpenAI.APIError (got ${String(err)})`)
    t.match((err as Error).message, /backend gemini sent an invalid stream/)
  })

  await t.test('openai responses, Chat backend never answers: a 504 APIError', async t => {
    const err = await failure(t, () => openai(app, 'openai-chat').responses.create({ model: faultModel('silent'), input: 'hi' }))
    t.ok(err instanceof OpenAI.APIError, `OpenAI.APIError (got ${String(err)})`)
    t.equal((err as InstanceType<typeof OpenAI.APIError>).status, 504)
  })

  await t.test('genai stream, Anthropic backend drops mid-stream: ApiError 502', async t => {
    const seen: string[] = []
    const err = await failure(t, async () => {
      const stream = await gemini(app, 'anthropic').models.generateContentStream({ model: faultModel('drop'), contents: 'hi' })
      for await (const chunk of stream) seen.push(chunk.text ?? '')
    })
    t.ok(err instanceof ApiError, `ApiError (got ${String(err)})`)
    t.equal((err as ApiError).status, 502)
    t.equal(seen.join(''), 'Hel', 'the text before the failure arrived')
  })

  await t.test('genai, Chat backend answers 500: ApiError 500', async t => {
    const err = await failure(t, () => gemini(app, 'openai-chat').models.generateContent({ model: faultModel('status-500'), contents: 'hi' }))
    t.ok(err instanceof ApiError, `ApiError (got ${String(err)})`)
    t.equal((err as ApiError).status, 500)
  })

  await t.test('afterwards: no stream open, every upstream response closed', async t => {
    await checkAfterwards(t, app, upstream)
  })
})
