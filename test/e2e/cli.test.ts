// The command line as users run it: a real child process, exit codes and what it prints.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const ROOT = join(import.meta.dirname, '..', '..')

async function run (args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<{ code: number | null, out: string, err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd, env: { ...process.env, SWITCHYARD_CONFIG: '', PORT: '', HOST: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => { out += c.toString() })
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  return { code, out, err }
}

t.test('a bad config exits 1 with one line per problem and no stack trace', async t => {
  const dir = t.testdir({
    'bad.yaml': 'backends:\n  - name: a\n    protocol: openai-chat\n    url: not-a-url\n    mach: {}\n  - name: b\n    protocol: nope\n',
  })
  const { code, out, err } = await run(['--config', join(dir, 'bad.yaml'), '--check'])
  t.equal(code, 1)
  t.equal(out, '')
  t.match(err, 'backends[0].mach: unknown key')
  t.match(err, 'backends[0].url: must be an absolute http(s) URL')
  t.match(err, /backends\[1\]\.protocol: must be one of openai-chat, openai-responses, anthropic, gemini, coze, mock/)
  t.notMatch(err, /\n\s+at /, 'no stack trace')
})

t.test('a missing environment variable names the field and the variable', async t => {
  const dir = t.testdir({ 'c.yaml': 'backends:\n  - { name: a, protocol: anthropic, url: "https://x/v1", apiKey: "${SWY_TEST_MISSING_KEY}" }\n' })
  const { code, err } = await run(['--check'], { SWITCHYARD_CONFIG: join(dir, 'c.yaml') })
  t.equal(code, 1)
  t.match(err, 'backends[0].apiKey: environment variable SWY_TEST_MISSING_KEY is not set')
})

t.test('--check prints the route table and never the key; ./switchyard.yaml is the default file', async t => {
  const dir = t.testdir({ 'switchyard.yaml': 'backends:\n  - { name: claude, protocol: anthropic, url: "https://api.anthropic.com/v1", apiKey: "${K}", match: { pathPrefix: /claude } }\n  - { name: rest, protocol: mock, match: { default: true } }\n' })
  const { code, out } = await run(['--check'], { K: 'sk-ant-very-secret-123' }, dir)
  t.equal(code, 0)
  t.match(out, `config OK: ${join(dir, 'switchyard.yaml')}`)
  t.match(out, /claude\s+anthropic\s+https:\/\/api\.anthropic\.com\/v1\s+path=\/claude/)
  t.notMatch(out, 'sk-ant-very-secret-123')
})

t.test('bad flags and ports exit 1 with usage', async t => {
  const flag = await run(['--nope'])
  t.equal(flag.code, 1)
  t.match(flag.err, 'usage: switchyard')
  const port = await run(['--check', '--port', '99999'])
  t.equal(port.code, 1)
  t.match(port.err, '--port: must be an integer between 0 and 65535')
  const envPort = await run(['--check'], { PORT: 'abc' })
  t.match(envPort.err, 'PORT: must be an integer between 0 and 65535')
})
