// Coze bots and workflows behind OpenAI SDK clients (issue 6 §3): chat, conversation and
// workflow modes, streaming and not, header overrides under the key allowlist, Coze's HTTP-200
// errors, and the management endpoints — against a loopback server speaking Coze's wire format.
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import t from 'tap'
import { request } from 'undici'
import { COZE_TOKEN, startCozeUpstream } from '../helpers/coze-upstream.js'
import { startApp, type StartedApp } from '../helpers/start-app.js'

type Json = Record<string, unknown>

async function cozeApp (t: Parameters<typeof startCozeUpstream>[0], opts: Parameters<typeof startCozeUpstream>[1] = {}, extra: Json = {}) {
  const coze = await startCozeUpstream(t, opts)
  const app = await startApp(t, {
    ...extra,
    backends: [{ name: 'bot', protocol: 'coze', url: coze.url, apiKey: COZE_TOKEN, coze: { botId: '7350000000000000001', workflowId: '7360000000000000001' }, match: { default: true } }],
  })
  return { coze, app }
}

const openai = (app: StartedApp, headers: Record<string, string> = {}, apiKey = 'client-key') =>
  new OpenAI({ baseURL: app.url + '/v1', apiKey, maxRetries: 0, defaultHeaders: headers })

const MESSAGES = [{ role: 'user' as const, content: 'Hi bot' }]

t.test('chat mode: whole and streamed, the whole history sent to the default bot', async t => {
  const { coze, app } = await cozeApp(t, { chat: () => ({ answer: ['Hello', ' there'], usage: { input: 9, output: 2 } }) })
  const whole = await openai(app).chat.completions.create({ model: 'bot', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'Hi bot' }] })
  t.equal(whole.choices[0]?.message.content, 'Hello there')
  t.equal(whole.choices[0]?.finish_reason, 'stop')
  t.match(whole.usage, { prompt_tokens: 9, completion_tokens: 2 })
  const chat = coze.received.find(r => r.path === '/v3/chat')!
  t.equal(chat.headers.authorization, 'Bearer ' + COZE_TOKEN)
  t.match(chat.body, { bot_id: '7350000000000000001', stream: true, additional_messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'Hi bot' }] })
  t.notOk(JSON.stringify(chat.headers).includes('client-key'), 'the client key is not forwarded')

  const stream = openai(app).chat.completions.stream({ model: 'bot', messages: MESSAGES })
  const final = await stream.finalChatCompletion()
  t.equal(final.choices[0]?.message.content, 'Hello there')

  const anth = new Anthropic({ baseURL: app.url, apiKey: 'k', maxRetries: 0 })
  const msg = await anth.messages.stream({ model: 'bot', max_tokens: 64, messages: MESSAGES }).finalMessage()
  t.same(msg.content.map(b => b.type === 'text' ? b.text : ''), ['Hello there'], 'any client dialect')
})

t.test('conversation mode: created, its id returned, continued with only the new turn', async t => {
  const { coze, app } = await cozeApp(t, { chat: () => ({ answer: ['ok'] }) })
  const client = openai(app, { 'x-model-type': 'conversation' })
  const first = await client.chat.completions.create({ model: 'bot', messages: MESSAGES }).withResponse()
  const id = first.response.headers.get('x-conversation-id')
  t.ok(id !== null && coze.conversations.has(id), 'a Coze conversation was created and named in the header')
  const again = openai(app, { 'x-model-type': 'conversation', 'x-conversation-id': id! })
  const second = await again.chat.completions.stream({ model: 'bot', messages: [...MESSAGES, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'And now?' }] }).finalChatCompletion()
  t.equal(second.choices[0]?.message.content, 'ok')
  const chats = coze.received.filter(r => r.path === '/v3/chat')
  t.equal(chats[1]?.query.get('conversation_id'), id, 'the conversation continues')
  t.same((chats[1]?.body as { additional_messages: Json[] }).additional_messages.map(m => m.content), ['And now?'], 'only the new turn: Coze keeps the history')
})

t.test('workflow mode: the last user message as input, output streamed', async t => {
  const { coze, app } = await cozeApp(t, { workflow: () => ({ messages: ['Result: ', '42'], usage: { input: 5, output: 3 } }) })
  const client = openai(app, { 'x-model-type': 'workflow' })
  const streamed = await client.chat.completions.stream({ model: 'wf', messages: [{ role: 'user', content: 'compute' }] }).finalChatCompletion()
  t.equal(streamed.choices[0]?.message.content, 'Result: 42')
  const whole = await client.chat.completions.create({ model: 'wf', messages: [{ role: 'user', content: 'compute' }] })
  t.equal(whole.choices[0]?.message.content, 'Result: 42')
  const run = coze.received.find(r => r.path === '/v1/workflow/stream_run')!
  t.match(run.body, { workflow_id: '7360000000000000001', parameters: { input: 'compute' } })
})

t.test('header overrides only for keys allowed to use the backend', async t => {
  const { coze, app } = await cozeApp(t, { chat: () => ({ answer: ['ok'] }) }, {
    auth: { keys: [{ name: 'owner', key: 'owner-secret-1', backends: ['bot'] }, { name: 'guest', key: 'guest-secret-1' }] },
  })
  await openai(app, { 'x-bot-id': '7350000000000000999' }, 'owner-secret-1').chat.completions.create({ model: 'bot', messages: MESSAGES })
  t.match(coze.received.at(-1)?.body, { bot_id: '7350000000000000999' }, 'a key that names the backend may pick the bot')
  const refused = await openai(app, { 'x-bot-id': '7350000000000000999' }, 'guest-secret-1').chat.completions.create({ model: 'bot', messages: MESSAGES }).catch((e: unknown) => e)
  t.type(refused, OpenAI.PermissionDeniedError, 'another key may not')
  t.match((refused as Error).message, /x-bot-id/)
})

t.test('Coze errors: HTTP-200 {code≠0}, a failed chat mid-stream', async t => {
  let mode = 'json'
  const { app } = await cozeApp(t, { chat: () => mode === 'json' ? { jsonError: { code: 4015, msg: 'The bot_id has not been published' } } : { answer: ['Hel'], fail: { code: 5000, msg: 'model overloaded' } } })
  const err = await openai(app).chat.completions.create({ model: 'bot', messages: MESSAGES }).catch((e: unknown) => e)
  t.type(err, OpenAI.APIError)
  t.match((err as Error).message, /not been published/, 'Coze message carried, not a 502 about JSON')
  mode = 'fail'
  await t.rejects(openai(app).chat.completions.stream({ model: 'bot', messages: MESSAGES }).finalChatCompletion(), /model overloaded/, 'in-stream failure reaches the SDK')
})

t.test('management: list conversations, their messages, delete one', async t => {
  const { coze, app } = await cozeApp(t, { chat: () => ({ answer: ['fine'] }) })
  const first = await openai(app, { 'x-model-type': 'conversation' }).chat.completions.create({ model: 'bot', messages: MESSAGES }).withResponse()
  const id = first.response.headers.get('x-conversation-id')!
  const list = await (await request(app.url + '/v1/conversations')).body.json() as { object: string, data: Json[] }
  t.equal(list.object, 'list')
  t.ok(list.data.some(c => c.id === id), 'the conversation is listed')
  const history = await (await request(app.url + `/v1/conversations/${id}/messages`)).body.json() as { data: Json[] }
  t.same(history.data.map(m => [m.role, m.content]), [['user', 'Hi bot'], ['assistant', 'fine']])
  const deleted = await request(app.url + `/v1/conversations/${id}`, { method: 'DELETE' })
  t.match(await deleted.body.json(), { id, deleted: true })
  t.notOk(coze.conversations.has(id), 'gone upstream')
  const bad = await request(app.url + '/v1/conversations/..%2Fx/messages')
  t.equal(bad.statusCode, 400, 'a malformed id is refused, never forwarded')
  await bad.body.text()
})
