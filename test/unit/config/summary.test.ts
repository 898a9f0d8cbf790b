import { fileURLToPath } from 'node:url'
import t from 'tap'
import { loadConfig } from '../../../src/config/load.js'
import { describeRoutes, redactConfig } from '../../../src/config/summary.js'
import { validateConfig } from '../../../src/config/validate.js'

const FULL = fileURLToPath(new URL('../../fixtures/configs/full.yaml', import.meta.url))
const SECRET_ENV = { TEAM_A_KEY: 'team-key-S3CRET-1', OPENAI_API_KEY: 'sk-S3CRET-openai', ANTHROPIC_API_KEY: 'sk-S3CRET-ant', REDIS_PASSWORD: 'S3CRET-redis' }

/** A config where every secret-bearing field holds something containing "S3CRET". */
const secretive = () => validateConfig({
  auth: { keys: [{ name: 'team', key: 'client-S3CRET-key' }] },
  redis: { url: 'rediss://default:S3CRET-pw@redis.internal:6380/2' },
  backends: [
    {
      name: 'gemini',
      protocol: 'gemini',
      url: 'https://user:S3CRET-pass@generativelanguage.googleapis.com/v1beta?key=S3CRET-query#S3CRET-frag',
      apiKey: 'sk-S3CRET-distinctive',
      headers: { Authorization: 'Bearer S3CRET-header' },
    },
    { name: 'token', protocol: 'openai-chat', url: 'https://S3CRET-token@example.com/v1' },
  ],
})

t.test('the route table for the SPEC example', async t => {
  const { config } = loadConfig({ path: FULL, env: SECRET_ENV, cwd: '/' })
  t.equal(describeRoutes(config), [
    '#  BACKEND  PROTOCOL     UPSTREAM                      MATCH                                                     OPTIONS',
    '1  openai   openai-chat  https://api.openai.com/v1     path=/openai headers=x-backend models=gpt-*,o* (default)  model=gpt-4.1-mini aliases=fast->gpt-4.1-mini retries=2 fallback=claude timeout=300000ms extra-headers=OpenAI-Organization',
    '2  claude   anthropic    https://api.anthropic.com/v1  path=/anthropic                                           -',
    '3  mock     mock         in process                    headers=x-backend                                         -',
    'unmatched requests: openai (default)',
  ].join('\n'))
})

t.test('the demo config: one catch-all row', async t => {
  const { config } = loadConfig({ env: {}, cwd: t.testdir({}) })
  t.equal(describeRoutes(config), [
    '#  BACKEND  PROTOCOL  UPSTREAM    MATCH                   OPTIONS',
    '1  mock     mock      in process  all requests (default)  -',
    'unmatched requests: mock (default)',
  ].join('\n'))
})

t.test('without a default backend the table says what happens to the rest', async t => {
  const config = validateConfig({ backends: [{ name: 'a', protocol: 'mock', match: { pathPrefix: '/a' } }] })
  t.match(describeRoutes(config), /\nunmatched requests: 404 \(no default backend\)$/)
})

t.test('the route table never shows a secret', async t => {
  const table = describeRoutes(secretive())
  t.notMatch(table, 'S3CRET')
  t.match(table, 'https://generativelanguage.googleapis.com/v1beta ')
  t.match(table, 'extra-headers=Authorization')
  t.match(table, 'https://example.com/v1')
})

t.test('redactConfig hides keys, header values and URL credentials, and copies', async t => {
  const config = secretive()
  const before = structuredClone(config)
  const redacted = redactConfig(config)
  t.notMatch(JSON.stringify(redacted), 'S3CRET')
  t.equal(redacted.backends[0]?.apiKey, '[REDACTED]')
  t.strictSame(redacted.backends[0]?.headers, { Authorization: '[REDACTED]' })
  t.equal(redacted.backends[0]?.url, 'https://user:[REDACTED]@generativelanguage.googleapis.com/v1beta?key=[REDACTED]')
  t.equal(redacted.backends[1]?.url, 'https://[REDACTED]@example.com/v1')
  t.equal(redacted.redis?.url, 'rediss://default:[REDACTED]@redis.internal:6380/2')
  t.strictSame(redacted.auth?.keys, [{ name: 'team', key: '[REDACTED]' }])
  t.strictSame(config, before, 'the original is untouched')
  t.not(redacted.server, config.server, 'a deep copy')
})

t.test('redactConfig leaves non-secrets and absent fields alone', async t => {
  const config = validateConfig({
    redis: { url: 'redis://127.0.0.1:6379' },
    backends: [
      { name: 'm', protocol: 'mock', match: { headers: { 'x-backend': 'm' } } },
      { name: 'o', protocol: 'openai-chat', url: 'http://127.0.0.1:8000/v1' },
    ],
  })
  t.strictSame(redactConfig(config), config)
  t.notOk('apiKey' in (redactConfig(config).backends[0] ?? {}))
})
