// Issue 10 "Bad input" / "Abuse": request-targets written by hand on a raw socket (undici and
// node:http normalise or refuse them): `..` and `.` segments, raw and percent-encoded (`%2e%2e`,
// `%2F`, `%5C`), `//host` network-path references, absolute-form URIs naming another host
// (`POST http://evil.example/v1/chat/completions`), asterisk-form, and Gemini model segments
// that try to leave `/models/{model}:verb`. Against a live app per backend protocol (with a base
// path) and a Chat backend at the root, in front of one recording upstream. Asserted here: every
// target gets an answer (no hang), the upstream is never asked for another host (its Host header
// is always its own), targets that stay inside the backend's base path keep doing so once a
// normalising upstream (nginx, most frameworks) would resolve them, and the process keeps
// answering its health check; targets that would escape are refused with a 4xx before routing.
// `/v1//host/…` against a backend at the root is asserted in paths-fixed.test.ts.
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startMockUpstream, type MockUpstream, type Script } from '../helpers/mock-upstream.js'
import { oneBackend, startApp, type StartedApp } from '../helpers/start-app.js'

const TIMEOUT_MS = 10_000

interface Backend { readonly name: string, readonly protocol: string, readonly base: string }

const BACKENDS: readonly Backend[] = [
  { name: 'chat', protocol: 'openai-chat', base: '/v1' },
  { name: 'responses', protocol: 'openai-responses', base: '/v1' },
  { name: 'anthropic', protocol: 'anthropic', base: '/v1' },
  { name: 'gemini', protocol: 'gemini', base: '/v1beta' },
  { name: 'chat at the root', protocol: 'openai-chat', base: '' },
]

/** A whole, valid reply for the endpoint the upstream was called on (`{"ok":true}` for any other path). */
function replyFor (url: string): Script {
  const body = url.includes('/chat/completions')
    ? { id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }
    : url.includes('/responses')
      ? { id: 'resp_1', object: 'response', created_at: 1, model: 'm', status: 'completed', output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }] }
      : url.includes('/messages')
        ? { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }
        : url.includes(':generateContent')
          ? { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }] }
          : { ok: true }
  return { status: 200, headers: { 'content-type': 'application/json' }, frames: [JSON.stringify(body)] }
}

/**
 * What a normalising upstream would route a recorded request-target to: percent-encoded dots,
 * slashes and backslashes decoded, dot-segments removed, a leading `//` read as a host.
 * Returns why the target leaves `base` on the upstream's own host, or undefined.
 */
function escapes (target: string, base: string): string | undefined {
  const decoded = target.replace(/%2e/gi, '.').replace(/%2f/gi, '/').replace(/%5c/gi, '\\')
  let url: URL
  try {
    url = new URL(decoded, 'http://upstream.invalid')
  } catch {
    return `is not a path at all (${target})`
  }
  if (url.host !== 'upstream.invalid') return `names another host (${url.host})`
  if (base !== '' && url.pathname !== base && !url.pathname.startsWith(base + '/')) return `resolves to ${url.pathname}, outside ${base}`
  return undefined
}

/** Targets that stay inside the base path today; they must keep doing so. */
const INSIDE: readonly string[] = [
  '/v1/chat/completions',
  '/v1/./chat/completions',
  '/v1/chat%2Fcompletions',
  '/v1/chat%2fcompletions?alt=sse',
  '/v1/chat/completions/.',
  '/v1/files/%2e%2e-not-a-segment',
  '/v1/files/..a',
  '/v1beta/models/a%2Fb:generateContent',
  '/v1beta/models/m:generateContent:generateContent',
  '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=client',
  // `..:generateContent` is not a dot-segment: no normaliser resolves it.
  '/v1beta/models/..:generateContent',
  '/v1beta/models/%2e%2e:generateContent',
]

/** Targets that would leave the base path, name another host, or are not origin-form: refused before routing. */
const TRICKS: readonly string[] = [
  '/v1/../../admin',
  '/v1/chat/../../../admin',
  '/v1/%2e%2e/%2e%2e/admin',
  '/v1/%2E%2E/admin',
  '/v1/.%2e/admin',
  '/v1/..%2F..%2Fadmin',
  '/v1%2F..%2F..%2Fadmin',
  '/v1/..%5C..%5Cadmin',
  '//evil.example/v1/chat/completions',
  'http://evil.example/v1/chat/completions',
  'https://evil.example:8443/v1/messages',
  'http://127.0.0.1:1/v1/chat/completions',
  '*',
  '/v1beta/models/../../x:generateContent',
  '/v1beta/models/..%2F..%2Fx:generateContent',
  '/v1beta/models/m:generateContent/../../../x',
]

/** An empty segment after the version: `//host` for a backend at the root (paths-fixed.test.ts). */
const EMPTY_SEGMENT: readonly string[] = ['/v1//evil.example/v1/chat/completions', '/v1//chat/completions']

interface Answer { readonly status: number, readonly body: string }

function rawPost (app: StartedApp, target: string, body: string): Promise<Answer> {
  const { port, hostname } = new URL(app.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`${target}: no answer within ${TIMEOUT_MS} ms`)) }, TIMEOUT_MS)
    socket.on('data', c => chunks.push(c))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('utf8')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) })
    })
    socket.write(`POST ${target} HTTP/1.1\r\nHost: switchyard.local\r\nContent-Type: application/json\r\nanthropic-version: 2023-06-01\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  })
}

const bodyFor = (target: string): string => target.includes('/models/')
  ? '{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}'
  : '{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}'

async function rig (t: Test): Promise<{ upstream: MockUpstream, apps: Array<{ backend: Backend, app: StartedApp }> }> {
  const upstream = await startMockUpstream(t, r => replyFor(r.url))
  const apps: Array<{ backend: Backend, app: StartedApp }> = []
  for (const backend of BACKENDS) {
    apps.push({ backend, app: await startApp(t, oneBackend({ protocol: backend.protocol, url: upstream.url + backend.base, apiKey: 'upstream-key' }, { server: { maxEventLoopDelayMs: 0 } })) })
  }
  return { upstream, apps }
}

async function healthy (t: Test, app: StartedApp, what: string): Promise<void> {
  const res = await request(app.url + '/health/live', { signal: AbortSignal.timeout(TIMEOUT_MS) })
  await res.body.dump()
  t.equal(res.statusCode, 200, `${what}: still answers its health check`)
}

t.test('escapes(): the normalisation the assertions rely on', async t => {
  t.equal(escapes('/v1/chat/completions', '/v1'), undefined)
  t.equal(escapes('/v1/chat%2Fcompletions', '/v1'), undefined)
  t.match(escapes('/v1/../admin', '/v1'), /outside/)
  t.match(escapes('/v1/%2E%2e/admin', '/v1'), /outside/)
  t.match(escapes('/v1/..%5Cadmin', '/v1'), /outside/)
  t.match(escapes('//evil.example/x', ''), /another host/)
  t.match(escapes('/v1http://evil.example/v1/x', '/v1'), /outside/)
  t.equal(escapes('/anything', ''), undefined)
})

t.test('tricky request-targets: always answered, never another host, inside targets stay inside', async t => {
  const { upstream, apps } = await rig(t)
  const upstreamHost = new URL(upstream.url).host
  let sent = 0
  for (const { backend, app } of apps) {
    for (const target of [...INSIDE, ...TRICKS, ...EMPTY_SEGMENT]) {
      const before = upstream.requests.length
      const answer = await rawPost(app, target, bodyFor(target))
      sent++
      const what = `${backend.name}: POST ${target}`
      t.ok(answer.status >= 200 && answer.status < 600, `${what}: answered ${answer.status}`)
      t.ok(answer.status < 500, `${what}: no 5xx (${answer.status}): ${answer.body.slice(0, 120)}`)
      for (const seen of upstream.requests.slice(before)) {
        t.equal(seen.headers.host, upstreamHost, `${what}: the upstream was asked as itself (Host ${String(seen.headers.host)})`)
        if (INSIDE.includes(target)) t.equal(escapes(seen.url, backend.base), undefined, `${what}: the upstream saw ${seen.url}, inside ${backend.base || '/'}`)
      }
    }
    await healthy(t, app, backend.name)
  }
  t.comment(`${sent} request-targets sent`)
})

t.test('tricks: refused with a 4xx in the client\'s dialect (OpenAI for unknown paths), the upstream never asked', async t => {
  const { upstream, apps } = await rig(t)
  for (const { backend, app } of apps) {
    for (const target of TRICKS) {
      const before = upstream.requests.length
      const answer = await rawPost(app, target, bodyFor(target))
      const what = `${backend.name}: POST ${target}`
      t.equal(upstream.requests.length, before, `${what}: the upstream was not asked (saw ${upstream.requests.slice(before).map(r => r.url).join(', ')})`)
      t.ok(answer.status >= 400 && answer.status < 500, `${what}: a 4xx (${answer.status})`)
      let error: { message?: unknown } | undefined
      try { error = (JSON.parse(answer.body) as { error?: { message?: unknown } }).error } catch { error = undefined }
      t.equal(typeof error?.message, 'string', `${what}: an error object with a message: ${answer.body.slice(0, 160)}`)
    }
    await healthy(t, app, backend.name)
  }
})
