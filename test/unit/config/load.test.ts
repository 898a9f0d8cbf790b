import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import t from 'tap'
import { DEMO_CONFIG } from '../../../src/config/demo.js'
import { ConfigError } from '../../../src/config/errors.js'
import { loadConfig, type LoadConfigOptions } from '../../../src/config/load.js'
import { DEFAULTS } from '../../../src/config/schema.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/configs/', import.meta.url))
const SECRETS = { TEAM_A_KEY: 'team-a-key-0001', OPENAI_API_KEY: 'sk-openai', ANTHROPIC_API_KEY: 'sk-ant', REDIS_PASSWORD: 'pw' }

/** The ConfigError loadConfig throws; anything else fails the test. */
function loadError (options: LoadConfigOptions): ConfigError {
  try {
    loadConfig(options)
  } catch (err) {
    if (err instanceof ConfigError) return err
    throw err
  }
  throw new Error('expected a ConfigError, the config loaded')
}

const MINIMAL_YAML = 'backends:\n  - name: only\n    protocol: mock\n'

t.test('the SPEC example loads, with secrets from the environment', async t => {
  const { config, source } = loadConfig({ path: join(FIXTURES, 'full.yaml'), env: SECRETS, cwd: '/' })
  t.equal(source, join(FIXTURES, 'full.yaml'))
  t.strictSame(config.backends.map(b => b.name), ['openai', 'claude', 'mock'])
  t.equal(config.backends[0]?.apiKey, 'sk-openai')
  t.equal(config.auth?.keys[0]?.key, 'team-a-key-0001')
  t.equal(config.redis?.url, 'redis://:pw@127.0.0.1:6379')
  t.equal(config.server.trustProxy, true)
  t.strictSame(config.rateLimit, { max: 600, timeWindow: '1 minute' })
})

t.test('a missing variable in a file names the field; the error names the file', async t => {
  const file = join(FIXTURES, 'full.yaml')
  const err = loadError({ path: file, env: { ...SECRETS, OPENAI_API_KEY: undefined }, cwd: '/' })
  t.strictSame(err.problems, ['backends[0].apiKey: environment variable OPENAI_API_KEY is not set'])
  t.equal(err.source, file)
})

t.test('no path and no ./switchyard.yaml: the built-in demo config', async t => {
  const cwd = t.testdir({ 'other.yaml': MINIMAL_YAML })
  const { config, source } = loadConfig({ env: {}, cwd })
  t.equal(source, 'built-in demo config')
  t.strictSame(config.backends, [{ name: 'mock', protocol: 'mock', match: { default: true } }])
  t.strictSame(config.server, DEFAULTS.server)
  t.not(config.backends, DEMO_CONFIG.backends, 'the demo constant is copied, never handed out')
})

t.test('./switchyard.yaml is used when present', async t => {
  const cwd = t.testdir({ 'switchyard.yaml': MINIMAL_YAML })
  const { config, source } = loadConfig({ env: {}, cwd })
  t.equal(source, join(cwd, 'switchyard.yaml'))
  t.strictSame(config.backends.map(b => b.name), ['only'])
})

t.test('an explicit path wins over ./switchyard.yaml and resolves against cwd', async t => {
  const cwd = t.testdir({
    'switchyard.yaml': MINIMAL_YAML,
    conf: { 'prod.yaml': 'backends:\n  - name: prod\n    protocol: mock\n' },
  })
  const { config, source } = loadConfig({ path: 'conf/prod.yaml', env: {}, cwd })
  t.equal(source, join(cwd, 'conf', 'prod.yaml'))
  t.strictSame(config.backends.map(b => b.name), ['prod'])
})

t.test('a .json file is parsed as JSON', async t => {
  const cwd = t.testdir({ 'c.json': JSON.stringify({ server: { port: 9999 }, backends: [{ name: 'j', protocol: 'mock' }] }) })
  const { config } = loadConfig({ path: 'c.json', env: {}, cwd })
  t.equal(config.server.port, 9999)
  t.strictSame(config.backends.map(b => b.name), ['j'])
})

t.test('JSON syntax errors name the file, line and column', async t => {
  const cwd = t.testdir({ 'c.json': '{\n  "backends": [],\n}\n', 'cut.json': '{"backends": [' })
  t.strictSame(loadError({ path: 'c.json', env: {}, cwd }).problems,
    [`${join(cwd, 'c.json')}:3:1: invalid JSON: Expected double-quoted property name`])
  t.strictSame(loadError({ path: 'cut.json', env: {}, cwd }).problems,
    [`${join(cwd, 'cut.json')}:1:15: invalid JSON: Unexpected end of JSON input`])
})

t.test('YAML is YAML even when it says so in JSON syntax; .yml and no extension too', async t => {
  const cwd = t.testdir({ 'c.yml': '{"backends": [{"name": "y", "protocol": "mock"}]}', config: MINIMAL_YAML })
  t.strictSame(loadConfig({ path: 'c.yml', env: {}, cwd }).config.backends.map(b => b.name), ['y'])
  t.strictSame(loadConfig({ path: 'config', env: {}, cwd }).config.backends.map(b => b.name), ['only'])
})

t.test('YAML syntax errors name the file, line and column', async t => {
  const cwd = t.testdir({
    'bad.yaml': 'backends:\n  - name: a\n    protocol: [mock\nserver: {}\n',
    'dup.yaml': 'backends: []\nserver: {}\nbackends: []\n',
  })
  const bad = loadError({ path: 'bad.yaml', env: {}, cwd })
  t.equal(bad.problems.length, 1)
  t.match(bad.problems[0], `${join(cwd, 'bad.yaml')}:4:1: invalid YAML: `)
  t.equal(bad.source, join(cwd, 'bad.yaml'))
  t.strictSame(loadError({ path: 'dup.yaml', env: {}, cwd }).problems,
    [`${join(cwd, 'dup.yaml')}:3:1: invalid YAML: Map keys must be unique`])
})

t.test('YAML merge keys let backends share settings', async t => {
  const cwd = t.testdir({
    'c.yaml': [
      'x-common: &common { protocol: openai-chat, retries: 3 }',
      'backends:',
      '  - { <<: *common, name: a, url: "http://a" }',
    ].join('\n'),
  })
  // The anchor holder is an unknown key: configs put anchors inside a list instead.
  t.strictSame(loadError({ path: 'c.yaml', env: {}, cwd }).problems, ['x-common: unknown key'])
  const ok = t.testdir({
    'c.yaml': [
      'backends:',
      '  - &common { name: a, protocol: openai-chat, url: "http://a", retries: 3 }',
      '  - { <<: *common, name: b, url: "http://b" }',
    ].join('\n'),
  })
  const { config } = loadConfig({ path: 'c.yaml', env: {}, cwd: ok })
  t.strictSame(config.backends[1], { name: 'b', protocol: 'openai-chat', url: 'http://b', retries: 3 })
})

t.test('empty files are a clear error', async t => {
  const cwd = t.testdir({ 'empty.yaml': '', 'blank.yaml': '  \n\n', 'comments.yaml': '# nothing yet\n', 'empty.json': '' })
  for (const name of ['empty.yaml', 'blank.yaml', 'comments.yaml', 'empty.json']) {
    t.strictSame(loadError({ path: name, env: {}, cwd }).problems, [`${join(cwd, name)}: file is empty`], name)
  }
})

t.test('a missing or unreadable file is a ConfigError naming it', async t => {
  const cwd = t.testdir({ dir: {} })
  const missing = loadError({ path: 'nope.yaml', env: {}, cwd })
  t.equal(missing.code, 'SWY_ERR_CONFIG_INVALID')
  t.strictSame(missing.problems, [`${join(cwd, 'nope.yaml')}: file not found`])
  t.strictSame(loadError({ path: 'dir', env: {}, cwd }).problems, [`${join(cwd, 'dir')}: is a directory, not a config file`])
})

t.test('a ./switchyard.yaml that cannot be read fails instead of falling back to the demo', async t => {
  const cwd = t.testdir({ 'switchyard.yaml': {} })
  t.strictSame(loadError({ env: {}, cwd }).problems, [`${join(cwd, 'switchyard.yaml')}: is a directory, not a config file`])
})

t.test('validation problems from a file come back as field lines, with the source set', async t => {
  const cwd = t.testdir({ 'switchyard.yaml': 'backends:\n  - name: a\n    protocol: openai\n    mach: {}\n' })
  const err = loadError({ env: {}, cwd })
  t.strictSame(err.problems, [
    'backends[0].protocol: must be one of openai-chat, openai-responses, anthropic, gemini, coze, mock',
    'backends[0].mach: unknown key',
  ])
  t.equal(err.source, join(cwd, 'switchyard.yaml'))
})

t.test('a YAML document that is not a mapping', async t => {
  const cwd = t.testdir({ 'list.yaml': '- a\n- b\n' })
  t.strictSame(loadError({ path: 'list.yaml', env: {}, cwd }).problems, ['config: must be object'])
})
