// Routing through the running app: which backend answers, with which path, and the 404.
import t from 'tap'
import { request } from 'undici'
import { json, startMockUpstream } from '../helpers/mock-upstream.js'
import { startApp } from '../helpers/start-app.js'

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

t.test('prefix, header and model rules in config order, then the default', async t => {
  const openai = await startMockUpstream(t, json({ from: 'openai' }))
  const team = await startMockUpstream(t, json({ from: 'team' }))
  const claude = await startMockUpstream(t, json({ from: 'claude' }))
  const fallback = await startMockUpstream(t, json({ from: 'fallback' }))
  const app = await startApp(t, { backends: [
    { name: 'openai', protocol: 'openai-chat', url: openai.url + '/v1', match: { pathPrefix: '/openai' } },
    { name: 'team', protocol: 'openai-chat', url: team.url + '/v1', match: { headers: { 'x-team': 'blue' } } },
    { name: 'claude', protocol: 'anthropic', url: claude.url + '/v1', match: { models: ['claude-*'] } },
    { name: 'fallback', protocol: 'openai-chat', url: fallback.url + '/v1', match: { default: true } },
  ] })
  const from = async (res: Awaited<ReturnType<typeof post>>) => ((await res.body.json()) as { from: string }).from

  t.equal(await from(await post(app.url + '/openai/v1/chat/completions', { model: 'claude-x' })), 'openai', 'prefix first in order wins over a later model rule')
  t.equal(openai.requests[0]!.url, '/v1/chat/completions', 'prefix stripped before dispatch')
  t.equal(await from(await post(app.url + '/openaix/v1/chat/completions', { model: 'm' })), 'fallback', 'no match across a segment boundary')
  t.equal(fallback.requests[0]!.url, '/v1/openaix/v1/chat/completions', 'the default gets the path as sent (its own base prepended)')
  t.equal(await from(await post(app.url + '/v1/chat/completions', { model: 'm' }, { 'x-team': 'blue' })), 'team')
  t.equal(await from(await post(app.url + '/v1/messages', { model: 'claude-sonnet-4', max_tokens: 1, messages: [] })), 'claude', 'model glob on the body')
  t.equal(await from(await post(app.url + '/v1/chat/completions', { model: 'gpt-4o' })), 'fallback')
})

t.test('no backend: 404 in the client\'s dialect naming the path and the model', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const app = await startApp(t, { backends: [
    { name: 'gpt', protocol: 'openai-chat', url: upstream.url, match: { models: ['gpt-*'] } },
    { name: 'p', protocol: 'anthropic', url: upstream.url, match: { pathPrefix: '/p' } },
  ] })
  const chat = await post(app.url + '/v1/chat/completions', { model: 'llama-3', messages: [] })
  t.equal(chat.statusCode, 404)
  t.match(await chat.body.json(), { error: { message: 'no backend matches POST /v1/chat/completions (model llama-3)', type: 'invalid_request_error', code: 'not_found' } })

  const anth = await post(app.url + '/x/v1/messages', { model: 'claude', max_tokens: 1, messages: [] })
  t.equal(anth.statusCode, 404)
  const body = await anth.body.json() as { type: string, error: { type: string, message: string } }
  t.equal(body.type, 'error')
  t.equal(body.error.type, 'not_found_error')
  t.equal(body.error.message, 'no backend matches POST /x/v1/messages (model claude)', 'anthropic envelope, guessed from the path')

  const gem = await post(app.url + '/v1beta/models/gemini-pro:generateContent', { contents: [] })
  t.equal(gem.statusCode, 404)
  t.match(await gem.body.json(), { error: { code: 404, status: 'NOT_FOUND', message: 'no backend matches POST /v1beta/models/gemini-pro:generateContent (model gemini-pro)' } })
  t.equal(upstream.requests.length, 0, 'nothing reached an upstream')
})

t.test('operational endpoints never reach a backend', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const app = await startApp(t, { backends: [{ name: 'all', protocol: 'openai-chat', url: upstream.url }] })
  const live = await request(app.url + '/health/live')
  t.equal(live.statusCode, 200)
  const ready = await request(app.url + '/health/ready')
  t.equal(ready.statusCode, 200)
  t.same(await ready.body.json(), { status: 'ready' })
  t.equal(upstream.requests.length, 0)
})
