// A live Switchyard process (the real CLI, as operators run it) scraped over HTTP: /metrics is
// reachable without a client key even with auth configured, names every SPEC metric with its
// HELP and TYPE, counts the traffic it served, and never shows a key.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { freePort } from '../helpers/free-port.js'

const ROOT = join(import.meta.dirname, '..', '..')
const CLIENT_KEY = 'sk-live-metrics-secret-4711'

/** SPEC.md "Metrics": name → type. */
const SPEC_METRICS = {
  switchyard_requests_total: 'counter',
  switchyard_request_duration_seconds: 'histogram',
  switchyard_time_to_first_byte_seconds: 'histogram',
  switchyard_upstream_errors_total: 'counter',
  switchyard_tokens_total: 'counter',
  switchyard_active_streams: 'gauge',
  switchyard_retries_total: 'counter',
  switchyard_rate_limited_total: 'counter',
}

t.test('scraping a live instance', async t => {
  const dir = t.testdir({
    'switchyard.yaml': [
      'auth:',
      '  keys:',
      `    - { name: team-a, key: "${CLIENT_KEY}" }`,
      'backends:',
      '  - { name: demo, protocol: mock, match: { default: true } }',
      '',
    ].join('\n'),
  })
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), '--config', join(dir, 'switchyard.yaml'), '--port', String(port), '--host', '127.0.0.1'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '', HOST: '', SWITCHYARD_CONFIG: '' },
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let out = ''
  child.stdout.on('data', (c: Buffer) => { out += c.toString() })
  child.stderr.on('data', (c: Buffer) => { out += c.toString() })
  while (!out.includes('switchyard ready')) {
    if (child.exitCode !== null) throw new Error('switchyard exited early: ' + out)
    await once(child.stdout, 'data')
  }
  const url = `http://127.0.0.1:${port}`

  for (const stream of [false, true]) {
    const res = await request(url + '/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: 'demo-model', stream, messages: [{ role: 'user', content: 'hi' }] }),
    })
    t.equal(res.statusCode, 200, `a ${stream ? 'streamed' : 'whole'} reply from the mock backend`)
    await res.body.text()
  }

  // The process records a request when its response closes, a moment after the client has read
  // it: scrape until both are in (each try is a full HTTP round trip; bounded).
  let text = ''
  let status = 0
  let contentType = ''
  for (let i = 0; i < 50 && !/switchyard_requests_total\{backend="demo",[^}]*status="200"\} 2$/m.test(text); i++) {
    const res = await request(url + '/metrics')
    status = res.statusCode
    contentType = String(res.headers['content-type'])
    text = await res.body.text()
  }
  t.equal(status, 200, 'no client key needed for /metrics')
  t.match(contentType, /^text\/plain; version=0\.0\.4/)
  for (const [name, type] of Object.entries(SPEC_METRICS)) {
    t.match(text, new RegExp(`^# HELP ${name} \\S`, 'm'), `${name} has HELP`)
    t.match(text, new RegExp(`^# TYPE ${name} ${type}$`, 'm'), `${name} is a ${type}`)
  }
  t.match(text, /^switchyard_requests_total\{backend="demo",client_protocol="openai-chat",backend_protocol="mock",status="200"\} 2$/m, 'the traffic was counted')
  t.match(text, /^switchyard_request_duration_seconds_count\{backend="demo",client_protocol="openai-chat",stream="true"\} 1$/m)
  t.match(text, /^process_cpu_user_seconds_total /m, 'default process metrics')
  t.notMatch(text, CLIENT_KEY, 'never a key')
})
