// Issue 10, found by bad-input.test.ts and the fuzzers: bad input that did not get "a clear 4xx
// in the client's dialect naming the problem" until the fixes named below (plugins/body.ts:
// strict UTF-8 and a nesting limit; src/app.ts: the HTTP parser's refusals answered in the
// OpenAI shape). Each test asserts the right behaviour.
//
// 1. Invalid UTF-8 in a converted request's body is silently replaced by U+FFFD and forwarded:
//    plugins/body.ts:44 decodes with `buffer.toString('utf8')` (lossy) before secureJson.parse.
//    JSON exchanged between systems must be UTF-8 (RFC 8259 §8.1); OpenAI answers such a body
//    400. Fix: decode with `new TextDecoder('utf-8', { fatal: true })` and turn its TypeError
//    into BodyInvalidJson('the body is not valid UTF-8').
// 2. Deep nesting inside an opaque field (a tool's JSON schema, a response schema) makes
//    JSON.stringify throw RangeError at plugins/handlers/convert.ts:79 (`JSON.stringify(call.body)`,
//    ~4,100 levels) and src/tokens/estimate.ts promptText (count_tokens): a 500 "internal error"
//    for every converted pair. Fix: bound nesting where bodies are parsed (plugins/body.ts: one
//    pass over the bytes counting `[`/`{` outside strings, refuse deeper than e.g. 256 levels with
//    BodyInvalidJson naming the limit), which also protects logging and the response store.
// 3. A request Node's HTTP parser refuses (a CR or LF inside a header value, Content-Length with
//    Transfer-Encoding) gets Fastify's default `{"error":"Bad Request","message":"Client
//    Error","statusCode":400}`: not any dialect's shape, naming nothing. Fix: a
//    `clientErrorHandler` in src/app.ts writing the fallback dialect's (OpenAI) 400 body with
//    the parser's reason (err.code: HPE_INVALID_HEADER_TOKEN, HPE_UNEXPECTED_CONTENT_LENGTH…).
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startMockUpstream, type MockUpstream, type Script } from '../helpers/mock-upstream.js'
import { oneBackend, startApp, type StartedApp } from '../helpers/start-app.js'

type Protocol = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini'
const PROTOCOLS: readonly Protocol[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini']
const BASE: Readonly<Record<Protocol, string>> = { 'openai-chat': '/v1', 'openai-responses': '/v1', anthropic: '/v1', gemini: '/v1beta' }
const ENDPOINT: Readonly<Record<Protocol, string>> = {
  'openai-chat': '/v1/chat/completions',
  'openai-responses': '/v1/responses',
  anthropic: '/v1/messages',
  gemini: '/v1beta/models/gemini-2.5-flash:generateContent',
}
/** A whole, valid reply for the endpoint called, so a forwarded request shows as a 200. */
function replyFor (url: string): Script {
  const body = url.includes('/chat/completions')
    ? { id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }
    : url.includes('/responses')
      ? { id: 'resp_1', object: 'response', created_at: 1, model: 'm', status: 'completed', output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }] }
      : url.includes('/messages')
        ? { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }
        : { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }] }
  return { status: 200, headers: { 'content-type': 'application/json' }, frames: [JSON.stringify(body)] }
}

async function rig (t: Test): Promise<{ upstream: MockUpstream, apps: Record<Protocol, StartedApp> }> {
  const upstream = await startMockUpstream(t, r => replyFor(r.url))
  const apps: Partial<Record<Protocol, StartedApp>> = {}
  for (const p of PROTOCOLS) apps[p] = await startApp(t, oneBackend({ protocol: p, url: upstream.url + BASE[p], apiKey: 'upstream-key' }, { server: { maxEventLoopDelayMs: 0 } }))
  return { upstream, apps: apps as Record<Protocol, StartedApp> }
}

async function post (app: StartedApp, path: string, body: string | Buffer): Promise<{ status: number, message: string }> {
  const res = await request(app.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body,
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.body.text()
  let message = text
  try {
    const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message
    if (typeof m === 'string') message = m
  } catch {}
  return { status: res.statusCode, message }
}

t.test('invalid UTF-8 in a converted body: a 400 naming UTF-8, nothing forwarded', async t => {
  const { upstream, apps } = await rig(t)
  const invalid = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80])
  const bodies: Readonly<Record<Protocol, Buffer>> = {
    'openai-chat': Buffer.concat([Buffer.from('{"model":"m","messages":[{"role":"user","content":"hi '), invalid, Buffer.from('"}]}')]),
    'openai-responses': Buffer.concat([Buffer.from('{"model":"m","input":"hi '), invalid, Buffer.from('"}')]),
    anthropic: Buffer.concat([Buffer.from('{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi '), invalid, Buffer.from('"}]}')]),
    gemini: Buffer.concat([Buffer.from('{"contents":[{"role":"user","parts":[{"text":"hi '), invalid, Buffer.from('"}]}]}')]),
  }
  for (const backend of PROTOCOLS) {
    for (const client of PROTOCOLS) {
      if (client === backend) continue
      const before = upstream.requests.length
      const reply = await post(apps[backend], ENDPOINT[client], bodies[client])
      t.equal(reply.status, 400, `${client} → ${backend}: 400, got ${reply.status} (${reply.message.slice(0, 80)})`)
      t.match(reply.message, /utf-?8/i, `${client} → ${backend}: the message names UTF-8`)
      t.equal(upstream.requests.length, before, `${client} → ${backend}: nothing forwarded (the upstream got ${upstream.requests.at(-1)?.body.toString('latin1').slice(0, 80) ?? ''})`)
    }
  }
})

t.test('10,000 levels of nesting in a tool schema or a response schema: a 400, not a 500', async t => {
  const { upstream, apps } = await rig(t)
  const depth = 10_000
  const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
  const inSchema: Readonly<Record<Protocol, readonly string[]>> = {
    'openai-chat': [
      `{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${deep}}}]}`,
      `{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":${deep}}}}`,
    ],
    'openai-responses': [
      `{"model":"m","input":"hi","tools":[{"type":"function","name":"f","parameters":${deep}}]}`,
      `{"model":"m","input":"hi","text":{"format":{"type":"json_schema","name":"n","schema":${deep}}}}`,
    ],
    anthropic: [
      `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":${deep}}]}`,
    ],
    gemini: [
      `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"tools":[{"functionDeclarations":[{"name":"f","parametersJsonSchema":${deep}}]}]}`,
      `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"responseMimeType":"application/json","responseJsonSchema":${deep}}}`,
    ],
  }
  for (const backend of PROTOCOLS) {
    for (const client of PROTOCOLS) {
      if (client === backend) continue
      for (const body of inSchema[client]) {
        const reply = await post(apps[backend], ENDPOINT[client], body)
        t.equal(reply.status, 400, `${client} → ${backend}: 400, not ${reply.status} (${reply.message.slice(0, 60)})`)
        t.match(reply.message, /nest|deep|depth/i, `${client} → ${backend}: the message says the body nests too deep`)
      }
    }
  }
  t.equal(upstream.requests.length, 0, 'nothing forwarded')
})

t.test('requests the HTTP parser refuses: a 400 in the fallback (OpenAI) dialect naming the problem', async t => {
  const { upstream, apps } = await rig(t)
  const body = '{"model":"m","messages":[{"role":"user","content":"hi"}]}'
  const heads = [
    ['a bare CR in a header value', `X-Evil: a\rb\r\nContent-Length: ${body.length}`],
    ['a bare LF splitting a header', `X-Evil: a\nInjected: 1\r\nContent-Length: ${body.length}`],
    ['Content-Length and Transfer-Encoding together', `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked`],
  ] as const
  const { port, hostname } = new URL(apps['openai-chat'].url)
  for (const [what, header] of heads) {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname)
      const chunks: Buffer[] = []
      const timer = setTimeout(() => { socket.destroy(); reject(new Error('no answer')) }, 10_000)
      socket.on('data', c => chunks.push(c))
      socket.on('error', () => {})
      socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString()) })
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${header}\r\n\r\n${body}`)
    })
    t.match(raw, /^HTTP\/1\.1 400 /, `${what}: 400`)
    let error: unknown
    try { error = (JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { error?: unknown }).error } catch { error = undefined }
    const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined
    t.equal(typeof message, 'string', `${what}: an OpenAI error object, got ${raw.slice(raw.indexOf('\r\n\r\n') + 4, raw.indexOf('\r\n\r\n') + 120)}`)
    t.match(String(message), /header|content-length|transfer-encoding|character/i, `${what}: the message names the problem`)
  }
  t.equal(upstream.requests.length, 0, 'nothing forwarded')
})
