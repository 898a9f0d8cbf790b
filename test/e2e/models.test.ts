// `GET /v1/models` (SPEC.md): answered from the config in the client's dialect, never proxied.
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import t from 'tap'
import { startMockUpstream, json } from '../helpers/mock-upstream.js'
import { startApp } from '../helpers/start-app.js'

t.test('lists the declared models of every backend, in the client dialect', async t => {
  const upstream = await startMockUpstream(t, json({ data: [{ id: 'should-not-be-listed' }] }))
  const app = await startApp(t, {
    backends: [
      { name: 'oa', protocol: 'openai-chat', url: upstream.url, models: { fast: 'gpt-4.1-mini' }, match: { models: ['gpt-4.1', 'gpt-*'] } },
      { name: 'cl', protocol: 'anthropic', url: upstream.url, model: 'claude-sonnet-4-5', match: { default: true } },
    ],
  })
  const openai = new OpenAI({ baseURL: app.url + '/v1', apiKey: 'k', maxRetries: 0 })
  const list = []
  for await (const m of openai.models.list()) list.push([m.id, m.owned_by])
  t.same(list, [['fast', 'oa'], ['gpt-4.1', 'oa'], ['claude-sonnet-4-5', 'cl']], 'aliases and literal match names; globs are not models')
  const anthropic = new Anthropic({ baseURL: app.url, apiKey: 'k', maxRetries: 0 })
  const ids = []
  for await (const m of anthropic.models.list()) ids.push([m.type, m.id])
  t.same(ids, [['model', 'fast'], ['model', 'gpt-4.1'], ['model', 'claude-sonnet-4-5']], 'Anthropic list shape')
  t.equal(upstream.requests.length, 0, 'no upstream was asked')
})

t.test('a key sees only the models of backends it may use and that its globs allow', async t => {
  const upstream = await startMockUpstream(t, json({}))
  const app = await startApp(t, {
    auth: { keys: [{ name: 'team-a', key: 'team-a-secret', backends: ['oa'], models: ['gpt-*'] }, { name: 'admin', key: 'admin-secret-key' }] },
    backends: [
      { name: 'oa', protocol: 'openai-chat', url: upstream.url, models: { fast: 'gpt-4.1-mini' }, match: { models: ['gpt-4.1', 'gpt-*'] } },
      { name: 'cl', protocol: 'anthropic', url: upstream.url, model: 'claude-sonnet-4-5', match: { default: true } },
    ],
  })
  const ids = async (apiKey: string) => {
    const out = []
    for await (const m of new OpenAI({ baseURL: app.url + '/v1', apiKey, maxRetries: 0 }).models.list()) out.push(m.id)
    return out
  }
  t.same(await ids('team-a-secret'), ['gpt-4.1'], 'not the other backend, not the alias outside its globs')
  t.same(await ids('admin-secret-key'), ['fast', 'gpt-4.1', 'claude-sonnet-4-5'], 'a key without lists sees all')
})
