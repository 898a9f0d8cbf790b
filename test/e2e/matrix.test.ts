// Every client dialect against every backend dialect (issue 3): plain text, a tool round trip
// with two parallel calls, and reasoning, streaming and not — asserting on what the official
// SDK's accumulator returns and on what the upstream received. Same-dialect pairs take the
// passthrough path and must give the same answers.
import t, { type Test } from 'tap'
import { startMockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js'
import { oneBackend, startApp } from '../helpers/start-app.js'
import { BACKENDS, CLIENTS } from './matrix/registry.js'
import { AFTER_TOOLS, ANSWER, REASONING, TEXT, TOOL_CALLS, USAGE, type ScenarioId } from './matrix/scenarios.js'
import type { BackendFixture, ClientDriver } from './matrix/types.js'

async function pair (t: Test, client: ClientDriver, backend: BackendFixture, stream: boolean): Promise<void> {
  let current: ScenarioId = 'text'
  const upstream = await startMockUpstream(t, (req: RecordedRequest) => backend.reply(current, stream, req))
  const app = await startApp(t, oneBackend({ protocol: backend.protocol, url: upstream.url + '/v1', apiKey: 'upstream-key' }))

  t.test('text', async t => {
    current = 'text'
    const got = await client.run('text', { url: app.url, stream })
    t.equal(got.text, TEXT, 'text arrives intact')
    t.equal(got.finish, 'stop')
    t.same(got.usage, USAGE, 'usage carried')
    backend.check(t, 'text', upstream.requests.at(-1)!, undefined)
  })

  t.test('tool round trip with two parallel calls', async t => {
    current = 'tools'
    const first = await client.run('tools', { url: app.url, stream })
    t.equal(first.finish, 'tool-calls', 'the tool reason')
    t.same(first.toolCalls.map(c => [c.name, c.args]), TOOL_CALLS.map(c => [c.name, c.args]), 'both calls with their arguments')
    t.equal(new Set(first.toolCalls.map(c => c.id)).size, 2, 'distinct call ids')
    backend.check(t, 'tools', upstream.requests.at(-1)!, undefined)
    const second = await client.run('tools', { url: app.url, stream, toolTurn: { calls: first.toolCalls } })
    t.equal(second.text, AFTER_TOOLS)
    t.equal(second.finish, 'stop')
    backend.check(t, 'tools', upstream.requests.at(-1)!, { calls: first.toolCalls })
  })

  t.test('reasoning', async t => {
    current = 'reasoning'
    const got = await client.run('reasoning', { url: app.url, stream })
    t.equal(got.text, ANSWER)
    // Chat Completions has no official reasoning field; the other two show it with a proof to replay.
    if (client.dialect !== 'openai-chat') {
      t.equal(got.reasoning, REASONING, 'reasoning text shown')
      t.ok((got.reasoningSignature ?? '') !== '', 'reasoning carries a signature to replay')
    }
    backend.check(t, 'reasoning', upstream.requests.at(-1)!, undefined)
    // Turn 2 replays the reasoning: the backend that minted the proof must get it back exactly.
    await client.run('reasoning', { url: app.url, stream, replay: got })
    backend.checkReplay(t, upstream.requests.at(-1)!, client.dialect !== 'openai-chat')
  })

  t.test('no client credential reaches the upstream', async t => {
    for (const r of upstream.requests) {
      t.notOk(JSON.stringify(r.headers).includes('client-key'), 'client key not forwarded')
    }
  })
}

for (const client of CLIENTS) {
  for (const backend of BACKENDS) {
    for (const stream of [false, true]) {
      t.test(`${client.dialect} client, ${backend.protocol} backend, ${stream ? 'streaming' : 'whole'}`, t => pair(t, client, backend, stream))
    }
  }
}
