// The metrics plugin over loopback: exact request counts and histogram counts after a known
// sequence of requests, cut streams (client abort, deadline, upstream death) counted once with
// their documented status, and `promtool check metrics` on a live instance's exposition.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import t from 'tap'
import { request } from 'undici'
import { chatChunk, chatSse, CHAT_REQUEST } from '../e2e/conformance/fixtures.js'
import { json, startMockUpstream, type MockUpstream, type Script } from '../helpers/mock-upstream.js'
import { startApp, type StartedApp } from '../helpers/start-app.js'

type Tap = Parameters<typeof startMockUpstream>[0]
type Labels = Record<string, string>

interface Sample { readonly name: string, readonly labels: Labels, readonly value: number }

/** Prometheus text exposition → samples (comments skipped). */
function parseExposition (text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (m === null) continue
    const labels: Labels = {}
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string
    out.push({ name: m[1] as string, labels, value: Number(m[3]) })
  }
  return out
}

/** One metric's series as `label=value,…` (sorted, `le` dropped with `without`) → value. */
function table (samples: readonly Sample[], name: string, without: readonly string[] = []): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of samples) {
    if (s.name !== name) continue
    const key = Object.keys(s.labels).filter(k => !without.includes(k)).sort().map(k => `${k}=${s.labels[k] as string}`).join(',')
    out[key] = s.value
  }
  return out
}

async function scrape (app: StartedApp): Promise<{ status: number, type: string, text: string }> {
  const res = await request(app.url + '/metrics')
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() }
}

/**
 * Resolves once `n` client responses (not scrapes) have closed on the server. The plugin records
 * on that same `close` event, in a listener registered earlier, so the series are final then.
 */
function responsesClosed (app: StartedApp): (n: number) => Promise<void> {
  let closed = 0
  const waiters: { n: number, resolve: () => void }[] = []
  app.app.server.on('request', (req, res) => {
    if (req.url === '/metrics') return
    res.once('close', () => {
      closed++
      for (const w of waiters.filter(w => w.n <= closed)) w.resolve()
    })
  })
  return n => closed >= n ? Promise.resolve() : new Promise(resolve => waiters.push({ n, resolve }))
}

const CHAT_REPLY = {
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'up-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
}

/** A chat upstream: SSE for `stream: true` bodies, a whole reply otherwise. */
async function chatUpstream (t: Tap, stream: Script = chatSse([chatChunk({ content: 'hi' }), chatChunk({}, 'stop')])): Promise<MockUpstream> {
  return startMockUpstream(t, req => (JSON.parse(req.body.toString()) as { stream?: boolean }).stream === true ? stream : json(CHAT_REPLY))
}

function config (upstream: MockUpstream, server: Record<string, unknown> = {}): unknown {
  return { logging: { level: 'info' }, server, backends: [{ name: 'chat', protocol: 'openai-chat', url: upstream.url, match: { pathPrefix: '/c' } }] }
}

const post = (app: StartedApp, path: string, body: unknown, signal?: AbortSignal) => request(app.url + path, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
  body: JSON.stringify(body),
  ...(signal === undefined ? {} : { signal }),
})

const CHAT_WHOLE = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }
const ANTH_WHOLE = { model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }

t.test('exact values after a known sequence of requests', async t => {
  const upstream = await chatUpstream(t)
  const app = await startApp(t, config(upstream))
  const settled = responsesClosed(app)
  await scrape(app)
  await (await request(app.url + '/health/live')).body.text()

  const passthrough = await post(app, '/c/v1/chat/completions', CHAT_WHOLE)
  t.equal(passthrough.statusCode, 200)
  await passthrough.body.text()
  const converted = await post(app, '/c/v1/messages', ANTH_WHOLE)
  t.equal(converted.statusCode, 200)
  t.equal(((await converted.body.json()) as { type: string }).type, 'message', 'an Anthropic reply from the chat backend')
  const noRoute = await post(app, '/elsewhere/v1/chat/completions', CHAT_WHOLE)
  t.equal(noRoute.statusCode, 404)
  await noRoute.body.text()
  const streamed = await post(app, '/c/v1/chat/completions', CHAT_REQUEST)
  t.match(await streamed.body.text(), /data: \[DONE\]/)
  await settled(5)

  const { status, type, text } = await scrape(app)
  t.equal(status, 200)
  t.equal(type, 'text/plain; version=0.0.4; charset=utf-8')
  const samples = parseExposition(text)
  t.same(table(samples, 'switchyard_requests_total'), {
    'backend=chat,backend_protocol=openai-chat,client_protocol=openai-chat,status=200': 2,
    'backend=chat,backend_protocol=openai-chat,client_protocol=anthropic,status=200': 1,
    'backend=none,backend_protocol=none,client_protocol=none,status=404': 1,
  }, 'scrapes and health probes are not counted')
  t.same(table(samples, 'switchyard_request_duration_seconds_count'), {
    'backend=chat,client_protocol=openai-chat,stream=false': 1,
    'backend=chat,client_protocol=openai-chat,stream=true': 1,
    'backend=chat,client_protocol=anthropic,stream=false': 1,
    'backend=none,client_protocol=none,stream=false': 1,
  })
  t.same(table(samples, 'switchyard_time_to_first_byte_seconds_count'), {
    'backend=chat,stream=false': 2,
    'backend=chat,stream=true': 1,
    'backend=none,stream=false': 1,
  })
  const inf = table(samples, 'switchyard_request_duration_seconds_bucket', [])
  t.equal(inf['backend=chat,client_protocol=anthropic,le=+Inf,stream=false'], 1, 'the +Inf bucket holds every observation')
  const sum = (name: string): number => Object.values(table(samples, name)).reduce((a, b) => a + b, 0)
  t.ok(sum('switchyard_time_to_first_byte_seconds_sum') <= sum('switchyard_request_duration_seconds_sum'), 'first byte never after the end')
  t.ok(sum('switchyard_request_duration_seconds_sum') < 5, 'durations in seconds, not milliseconds')
  t.same(table(samples, 'switchyard_tokens_total'), {
    'backend=chat,direction=input,model=up-model': 3 + 11,
    'backend=chat,direction=output,model=up-model': 1 + 7,
    'backend=chat,direction=input,model=m': 3,
    'backend=chat,direction=output,model=m': 1,
  }, 'passthrough (whole and streamed, read off the reply, model named by it) and converted (the model sent)')
})

t.test('a client that drops a stream is counted once, as 499, and no stream stays active', async t => {
  const upstream = await chatUpstream(t, { headers: { 'content-type': 'text/event-stream' }, frames: [chatChunk({ content: 'one' }), chatChunk({ content: 'two' })], holdAfter: 1 })
  const app = await startApp(t, config(upstream))
  const settled = responsesClosed(app)
  const ac = new AbortController()
  const res = await post(app, '/c/v1/chat/completions', CHAT_REQUEST, ac.signal)
  res.body.on('error', () => {})
  await once(res.body, 'data')
  t.same(table(parseExposition((await scrape(app)).text), 'switchyard_active_streams'), { 'backend=chat': 1 }, 'one stream active while it runs')
  ac.abort()
  t.equal(await upstream.closed(0), false, 'the upstream reply was cut')
  await settled(1)
  const samples = parseExposition((await scrape(app)).text)
  t.same(table(samples, 'switchyard_requests_total'), { 'backend=chat,backend_protocol=openai-chat,client_protocol=openai-chat,status=499': 1 })
  t.same(table(samples, 'switchyard_request_duration_seconds_count'), { 'backend=chat,client_protocol=openai-chat,stream=true': 1 })
  t.same(table(samples, 'switchyard_time_to_first_byte_seconds_count'), { 'backend=chat,stream=true': 1 }, 'the first byte had gone out')
  t.notOk(Object.values(table(samples, 'switchyard_active_streams')).some(v => v !== 0), 'active streams back to 0')
})

t.test('upstream failures: error status, death mid-stream, deadline', async t => {
  let mode = ''
  const frames = [chatChunk({ content: 'one' }), chatChunk({ content: 'two' })]
  const upstream = await startMockUpstream(t, (): Script => {
    if (mode === 'status') return json({ error: { message: 'boom', type: 'server_error', code: null } }, 500)
    if (mode === 'death') return { headers: { 'content-type': 'text/event-stream' }, frames, holdAfter: 1, destroyAfter: 2 }
    return { headers: { 'content-type': 'text/event-stream' }, frames, holdAfter: 1 }
  })
  const app = await startApp(t, config(upstream, { requestTimeoutMs: 300 }))
  const settled = responsesClosed(app)

  mode = 'status'
  const failed = await post(app, '/c/v1/chat/completions', CHAT_REQUEST)
  t.equal(failed.statusCode, 500)
  await failed.body.text()

  mode = 'death'
  const died = await post(app, '/c/v1/chat/completions', CHAT_REQUEST)
  t.equal(died.statusCode, 200, 'headers went out before the upstream died')
  died.body.on('error', () => {})
  await once(died.body, 'data')
  upstream.release()
  await new Promise(resolve => died.body.once('close', resolve))

  mode = 'deadline'
  const slow = await post(app, '/c/v1/chat/completions', CHAT_REQUEST)
  await slow.body.text().catch(() => '')
  await settled(3)

  const samples = parseExposition((await scrape(app)).text)
  t.same(table(samples, 'switchyard_requests_total'), {
    'backend=chat,backend_protocol=openai-chat,client_protocol=openai-chat,status=500': 1,
    'backend=chat,backend_protocol=openai-chat,client_protocol=openai-chat,status=502': 1,
    'backend=chat,backend_protocol=openai-chat,client_protocol=openai-chat,status=504': 1,
  }, 'the upstream status; 502 for a stream cut by the upstream; 504 for one cut by the deadline')
  t.same(table(samples, 'switchyard_upstream_errors_total'), {
    'backend=chat,kind=status': 1,
    'backend=chat,kind=protocol': 1,
    'backend=chat,kind=timeout': 1,
  }, 'one upstream error of each kind')
  t.notOk(Object.values(table(samples, 'switchyard_active_streams')).some(v => v !== 0), 'active streams back to 0')
})

t.test('promtool check metrics accepts the exposition of a live instance after traffic', async t => {
  const upstream = await chatUpstream(t)
  const app = await startApp(t, config(upstream))
  const settled = responsesClosed(app)
  await (await post(app, '/c/v1/chat/completions', CHAT_REQUEST)).body.text()
  await (await post(app, '/c/v1/messages', ANTH_WHOLE)).body.text()
  await (await post(app, '/nowhere', {})).body.text()
  await settled(3)
  const { text } = await scrape(app)
  t.match(text, /switchyard_requests_total\{/, 'series present')

  const promtool = spawn('/usr/bin/promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  promtool.stdout.on('data', (c: Buffer) => { output += c.toString() })
  promtool.stderr.on('data', (c: Buffer) => { output += c.toString() })
  promtool.stdin.end(text)
  const [code] = await once(promtool, 'close') as [number | null]
  t.equal(output, '', 'no lint problems printed')
  t.equal(code, 0, 'exit 0')
})

t.test('retries and refused connections are counted', async t => {
  const upstream = await startMockUpstream(t, json({ error: { message: 'boom', type: 'server_error', code: null } }, 500))
  const app = await startApp(t, {
    backends: [
      { name: 'chat', protocol: 'openai-chat', url: upstream.url, retries: 1, match: { pathPrefix: '/c' } },
      { name: 'gone', protocol: 'openai-chat', url: 'http://127.0.0.1:1', match: { pathPrefix: '/g' } },
    ],
  })
  const settled = responsesClosed(app)
  await (await post(app, '/c/v1/chat/completions', CHAT_WHOLE)).body.text()
  await (await post(app, '/g/v1/chat/completions', CHAT_WHOLE)).body.text()
  await settled(2)
  const samples = parseExposition((await scrape(app)).text)
  t.equal(upstream.requests.length, 2, 'the first attempt and one retry')
  t.same(table(samples, 'switchyard_retries_total'), { 'backend=chat': 1 })
  t.same(table(samples, 'switchyard_upstream_errors_total'), { 'backend=chat,kind=status': 2, 'backend=gone,kind=connect': 1 })
})
