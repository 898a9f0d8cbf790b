// The response store shared by a fleet (issue 6 §1): two Switchyard instances on one real
// redis-server. A conversation started on one continues on the other, GET/DELETE see the same
// store, snapshots carry Redis' TTL; when Redis stops, stateful requests get a 503 in the
// Responses error form and stateless ones still get their answer.
import OpenAI, { InternalServerError, NotFoundError } from 'openai'
import t, { type Test } from 'tap'
import { Redis } from 'ioredis'
import { request } from 'undici'
import type { RecordedRequest, Script } from '../helpers/mock-upstream.js'
import { json, startMockUpstream } from '../helpers/mock-upstream.js'
import { startRedis } from '../helpers/redis.js'
import { startApp, type StartedApp } from '../helpers/start-app.js'
import { chatChunk, chatSse, chatToolArgs, chatToolStart, CREATED } from './conformance/fixtures.js'

type Json = Record<string, unknown>
const TTL_SECONDS = 120
const TOOLS = [{ type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }]

/** Turn 1 is a tool call; later turns answer. Streamed or JSON, as asked. */
function upstreamReply (r: RecordedRequest, n: number): Script {
  const stream = (JSON.parse(r.body.toString()) as Json).stream === true
  if (n === 0) return chatSse([chatToolStart(0, 'call_f1', 'get_weather'), chatToolArgs(0, '{"city":"Oslo"}'), chatChunk({}, 'tool_calls')])
  if (stream) return chatSse([chatChunk({ content: 'Cold.' }), chatChunk({}, 'stop')])
  return json({
    id: 'chatcmpl-x', object: 'chat.completion', created: CREATED, model: 'up',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Cold.' }, finish_reason: 'stop' }],
  })
}

/** Ready once Redis answers (the client connects at boot; commands before that are refused). */
async function whenReady (t: Test, app: StartedApp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await request(app.url + '/health/ready')
    await res.body.dump()
    if (res.statusCode === 200) return
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  t.fail('instance never became ready')
}

const client = (app: StartedApp): OpenAI => new OpenAI({ baseURL: app.url + '/v1', apiKey: 'client-key', maxRetries: 0 })

async function caught (promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(() => undefined, (e: unknown) => e)
}

t.test('two instances, one redis-server: continue, GET and DELETE across the fleet; 503 when Redis is gone', async t => {
  const redis = await startRedis(t)
  let n = 0
  const upstream = await startMockUpstream(t, r => upstreamReply(r, n++))
  const config = {
    logging: { level: 'info' },
    redis: { url: redis.url },
    responses: { ttlSeconds: TTL_SECONDS },
    backends: [{ name: 'chat', protocol: 'openai-chat', url: upstream.url + '/v1' }],
  }
  const [appA, appB] = [await startApp(t, config), await startApp(t, config)]
  await whenReady(t, appA)
  await whenReady(t, appB)
  const [a, b] = [client(appA), client(appB)]

  const first = await a.responses.stream({ model: 'm', input: 'Weather in Oslo?', tools: TOOLS }).finalResponse()
  const call = first.output.find(i => i.type === 'function_call')
  t.equal(call?.call_id, 'call_f1', 'turn 1 on A: a tool call')
  const second = await b.responses.create({
    model: 'm', previous_response_id: first.id, tools: TOOLS,
    input: [{ type: 'function_call_output', call_id: 'call_f1', output: '-3C' }],
  })
  t.equal(second.output_text, 'Cold.', 'turn 2 on B continues the conversation A started')
  const sent = (JSON.parse(upstream.requests[1]!.body.toString()) as { messages: Json[] }).messages
  t.match(sent, [
    { role: 'user', content: 'Weather in Oslo?' },
    { role: 'assistant', tool_calls: [{ id: 'call_f1', function: { name: 'get_weather' } }] },
    { role: 'tool', tool_call_id: 'call_f1', content: '-3C' },
  ], 'B sent the whole conversation upstream')

  t.equal((await b.responses.retrieve(first.id)).id, first.id, 'GET on B finds what A stored')
  t.equal((await a.responses.retrieve(second.id)).output_text, 'Cold.', 'GET on A finds what B stored')
  const direct = new Redis(redis.url)
  t.teardown(() => direct.disconnect())
  const ttl = await direct.ttl('switchyard:response:' + first.id)
  t.ok(ttl > 0 && ttl <= TTL_SECONDS, `stored as JSON under switchyard:response:<id> with the configured TTL (${ttl}s)`)
  t.match(JSON.parse(await direct.get('switchyard:response:' + first.id) ?? '{}'), { v: 1, id: first.id })

  await a.responses.delete(second.id)
  t.ok(await caught(b.responses.retrieve(second.id)) instanceof NotFoundError, 'DELETE on A, then GET on B: 404')
  t.ok(await caught(b.responses.create({ model: 'm', previous_response_id: second.id, input: 'and?' })) instanceof NotFoundError, 'nor can it be continued')

  await redis.stop()
  const err = await caught(b.responses.create({ model: 'm', previous_response_id: first.id, input: 'and tomorrow?' }))
  t.ok(err instanceof InternalServerError, 'stateful request with Redis down: an error the SDK sees as a 5xx')
  t.match(err, { status: 503, type: 'server_error', code: 'response_store_unavailable', message: /response store is unavailable/ })
  const raw = await request(appA.url + '/v1/responses/' + first.id)
  t.equal(raw.statusCode, 503, 'GET is 503 too')
  t.match(await raw.body.json(), { error: { code: 'response_store_unavailable', type: 'server_error' } })
  const before = upstream.requests.length
  const stateless = await a.responses.create({ model: 'm', input: 'Weather in Bergen?' })
  t.equal(stateless.output_text, 'Cold.', 'a stateless request still gets its answer')
  t.equal(upstream.requests.length, before + 1)
  // The write is not awaited by the reply: wait (bounded) for its failure to be logged.
  const logged = (): boolean => appA.logs.some(l => l.level === 40 && l.msg === 'response not stored: the response store failed')
  for (let i = 0; i < 50 && !logged(); i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.ok(logged(), 'the failed write is logged at warn')
})
