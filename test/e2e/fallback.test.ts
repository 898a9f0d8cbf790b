// Fallback chains through the whole app and the official SDKs: the routed backend fails (5xx,
// 429, connect refused) and the next backend of its `fallback` list answers — converted when it
// speaks another dialect, passed through when it speaks the client's. The client sees one answer.
import t from 'tap'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { request } from 'undici'
import { closedPort, json, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js'
import { respSse } from '../helpers/responses-sse.js'
import { startApp } from '../helpers/start-app.js'

const CLAUDE_MSG = {
  id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-real',
  content: [{ type: 'text', text: 'from claude' }], stop_reason: 'end_turn', stop_sequence: null,
  usage: { input_tokens: 3, output_tokens: 2 },
}
const CHAT_OK = {
  id: 'c1', object: 'chat.completion', created: 1, model: 'gpt-real',
  choices: [{ index: 0, message: { role: 'assistant', content: 'from chat' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
}
const chatFails = (status: number) => json({ error: { message: `chat says ${status}`, type: 'server_error' } }, status)
const claudeFails = (status: number) => json({ type: 'error', error: { type: 'api_error', message: `claude says ${status}` } }, status)


function anthropicClient (url: string, apiKey = 'client-key-0001'): Anthropic {
  return new Anthropic({ baseURL: url, apiKey, maxRetries: 0 })
}

const ASK = { model: 'claude-x', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] }

/** Backends: `chat` is routed (default) and falls back in the given order. */
function config (chat: MockUpstream | string, fallback: string[], others: Record<string, unknown>[], rest: Record<string, unknown> = {}): unknown {
  const url = typeof chat === 'string' ? chat : chat.url
  return {
    logging: { level: 'info' },
    ...rest,
    backends: [{ name: 'chat', protocol: 'openai-chat', url, apiKey: 'sk-chat-0001', fallback, match: { default: true } }, ...others],
  }
}

t.test('anthropic client, chat backend 503: the anthropic fallback answers, passed through with its own model mapping', async t => {
  const chat = await startMockUpstream(t, chatFails(503))
  const claude = await startMockUpstream(t, json(CLAUDE_MSG))
  const app = await startApp(t, config(chat, ['claude'], [{ name: 'claude', protocol: 'anthropic', url: claude.url + '/v1', apiKey: 'sk-claude-0001', model: 'claude-real' }]))
  const msg = await anthropicClient(app.url).messages.create(ASK)
  t.match(msg.content, [{ type: 'text', text: 'from claude' }])
  t.equal(chat.requests.length, 1)
  t.equal(claude.requests.length, 1)
  const got = claude.requests[0]!
  t.equal(got.url, '/v1/messages')
  t.equal(got.headers['x-api-key'], 'sk-claude-0001', 'the fallback\'s own key')
  t.match(JSON.parse(got.body.toString()), { model: 'claude-real', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
  t.ok(app.logs.some(l => l.msg === 'backend failed, trying its fallback' && l.backend === 'chat' && l.fallback === 'claude'))
})

t.test('anthropic client streaming, chat backend unreachable: a Responses fallback answers, converted', async t => {
  const resp = await startMockUpstream(t, respSse([{ type: 'message', pieces: ['from ', 'responses'] }], { usage: { input: 3, output: 2 } }))
  const app = await startApp(t, config(`http://127.0.0.1:${await closedPort()}`, ['resp'], [{ name: 'resp', protocol: 'openai-responses', url: resp.url + '/v1' }]))
  const stream = anthropicClient(app.url).messages.stream(ASK)
  const final = await stream.finalMessage()
  t.match(final.content, [{ type: 'text', text: 'from responses' }])
  t.equal(resp.requests.length, 1)
  t.match(JSON.parse(resp.requests[0]!.body.toString()), { model: 'claude-x', stream: true })
})

t.test('a chain of two: 503, then 429, then the third backend answers', async t => {
  const chat = await startMockUpstream(t, chatFails(503))
  const resp = await startMockUpstream(t, json({ error: { message: 'slow down', type: 'rate_limit' } }, 429))
  const claude = await startMockUpstream(t, json(CLAUDE_MSG))
  const app = await startApp(t, config(chat, ['resp', 'claude'], [
    { name: 'resp', protocol: 'openai-responses', url: resp.url },
    { name: 'claude', protocol: 'anthropic', url: claude.url },
  ]))
  const msg = await anthropicClient(app.url).messages.create(ASK)
  t.match(msg.content, [{ type: 'text', text: 'from claude' }])
  t.same([chat.requests.length, resp.requests.length, claude.requests.length], [1, 1, 1])
})

t.test('every backend fails: the client gets the last failure, in its dialect', async t => {
  const chat = await startMockUpstream(t, chatFails(503))
  const claude = await startMockUpstream(t, claudeFails(500))
  const app = await startApp(t, config(chat, ['claude'], [{ name: 'claude', protocol: 'anthropic', url: claude.url }]))
  const err = await anthropicClient(app.url).messages.create(ASK).catch((e: unknown) => e)
  t.ok(err instanceof Anthropic.APIError)
  t.equal((err as InstanceType<typeof Anthropic.APIError>).status, 500)
  t.match((err as Error).message, /claude says 500/)
})

t.test('a 4xx is the request\'s fault: no fallback', async t => {
  const chat = await startMockUpstream(t, json({ error: { message: 'bad', type: 'invalid_request_error' } }, 400))
  const claude = await startMockUpstream(t, json(CLAUDE_MSG))
  const app = await startApp(t, config(chat, ['claude'], [{ name: 'claude', protocol: 'anthropic', url: claude.url }]))
  const err = await anthropicClient(app.url).messages.create(ASK).catch((e: unknown) => e)
  t.equal((err as InstanceType<typeof Anthropic.APIError>).status, 400)
  t.equal(claude.requests.length, 0)
})

t.test('fallbacks the client key may not use are skipped', async t => {
  const chat = await startMockUpstream(t, chatFails(500))
  const claude = await startMockUpstream(t, json(CLAUDE_MSG))
  const auth = { keys: [{ name: 'team', key: 'team-key-0001', backends: ['chat'] }, { name: 'admin', key: 'admin-key-0001' }] }
  const app = await startApp(t, config(chat, ['claude'], [{ name: 'claude', protocol: 'anthropic', url: claude.url }], { auth }))
  const err = await anthropicClient(app.url, 'team-key-0001').messages.create(ASK).catch((e: unknown) => e)
  t.equal((err as InstanceType<typeof Anthropic.APIError>).status, 500, 'the routed backend\'s failure')
  t.equal(claude.requests.length, 0, 'never reached')
  const msg = await anthropicClient(app.url, 'admin-key-0001').messages.create(ASK)
  t.match(msg.content, [{ type: 'text', text: 'from claude' }], 'a key without a backends list may use it')
})

t.test('openai client, same-dialect backend 502: the body was read, and converted for the anthropic fallback', async t => {
  const chat = await startMockUpstream(t, chatFails(502))
  const claude = await startMockUpstream(t, json(CLAUDE_MSG))
  const app = await startApp(t, config(chat, ['claude'], [{ name: 'claude', protocol: 'anthropic', url: claude.url + '/v1', models: { 'gpt-x': 'claude-mapped' } }]))
  const openai = new OpenAI({ baseURL: app.url + '/v1', apiKey: 'k', maxRetries: 0 })
  const done = await openai.chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: 'hi' }] })
  t.equal(done.choices[0]?.message.content, 'from claude')
  t.match(JSON.parse(chat.requests[0]!.body.toString()), { model: 'gpt-x' }, 'passed through to the routed backend first')
  t.match(JSON.parse(claude.requests[0]!.body.toString()), { model: 'claude-mapped', messages: [{ role: 'user' }] }, 'the fallback\'s alias applies')
})

t.test('a non-dialect path falls back only to backends of the same protocol', async t => {
  const chat = await startMockUpstream(t, chatFails(503))
  const claude = await startMockUpstream(t, json(CLAUDE_MSG))
  const chat2 = await startMockUpstream(t, json({ object: 'list', data: [] }))
  const app = await startApp(t, config(chat, ['claude', 'chat2'], [
    { name: 'claude', protocol: 'anthropic', url: claude.url },
    { name: 'chat2', protocol: 'openai-chat', url: chat2.url + '/v1', apiKey: 'sk-chat2-0001' },
  ]))
  const res = await request(app.url + '/v1/embeddings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":"x","model":"e"}' })
  t.equal(res.statusCode, 200)
  t.same(await res.body.json(), { object: 'list', data: [] })
  t.equal(claude.requests.length, 0, 'another protocol cannot take an unknown path')
  t.equal(chat2.requests[0]?.url, '/v1/embeddings')
  t.equal(chat2.requests[0]?.body.toString(), '{"input":"x","model":"e"}')
  t.equal(chat2.requests[0]?.headers.authorization, 'Bearer sk-chat2-0001')
})

t.test('fallbacks are tried after the routed backend\'s own retries', async t => {
  const chat = await startMockUpstream(t, chatFails(500))
  const claude = await startMockUpstream(t, json(CLAUDE_MSG))
  const raw = config(chat, ['claude'], [{ name: 'claude', protocol: 'anthropic', url: claude.url }]) as { backends: Record<string, unknown>[] }
  raw.backends[0]!.retries = 1
  const app = await startApp(t, raw)
  const msg = await anthropicClient(app.url).messages.create(ASK)
  t.match(msg.content, [{ type: 'text', text: 'from claude' }])
  t.equal(chat.requests.length, 2, 'one retry first')
  t.equal(claude.requests.length, 1)
})

