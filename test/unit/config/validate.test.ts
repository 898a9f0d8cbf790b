import t from 'tap'
import { ConfigError } from '../../../src/config/errors.js'
import { DEFAULTS } from '../../../src/config/schema.js'
import { validateConfig } from '../../../src/config/validate.js'

/** The problem lines validateConfig reports for `raw` (empty when it is valid). */
function problemsOf (raw: unknown): string[] {
  try {
    validateConfig(raw)
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
}

const openai = { name: 'openai', protocol: 'openai-chat', url: 'https://api.openai.com/v1' }
const mock = { name: 'mock', protocol: 'mock' }

t.test('a minimal config is valid and gets every default', async t => {
  const config = validateConfig({ backends: [mock] })
  t.strictSame(config.server, DEFAULTS.server)
  t.strictSame(config.logging, DEFAULTS.logging)
  t.strictSame(config.responses, DEFAULTS.responses)
  t.strictSame(config.backends, [mock])
  t.notOk('auth' in config, 'absent sections stay absent')
})

t.test('given values win over defaults, per field', async t => {
  const config = validateConfig({
    server: { port: 9000, trustProxy: true },
    logging: { level: 'debug' },
    responses: { maxEntries: 5 },
    backends: [mock],
  })
  t.strictSame(config.server, { ...DEFAULTS.server, port: 9000, trustProxy: true })
  t.strictSame(config.logging, { level: 'debug', requestBodies: false })
  t.strictSame(config.responses, { ttlSeconds: DEFAULTS.responses.ttlSeconds, maxEntries: 5 })
})

t.test('an explicit undefined (from code) keeps the default', async t => {
  t.equal(validateConfig({ server: { port: undefined }, backends: [mock] }).server.port, 8080)
})

t.test('the error carries a code, every problem, and a message of one line each', async t => {
  const err = t.throws(() => validateConfig({ bogus: 1, backends: [{ ...mock, extra: 2 }] }))
  t.ok(err instanceof ConfigError)
  if (!(err instanceof ConfigError)) return
  t.equal(err.code, 'SWY_ERR_CONFIG_INVALID')
  t.strictSame(err.problems, ['bogus: unknown key', 'backends[0].extra: unknown key'])
  t.equal(err.message, 'bogus: unknown key\nbackends[0].extra: unknown key')
})

t.test('unknown keys, top level and nested', async t => {
  t.strictSame(problemsOf({ backend: [], backends: [mock] }), ['backend: unknown key'])
  t.strictSame(problemsOf({ backends: [{ ...mock, mach: { default: true } }] }), ['backends[0].mach: unknown key'])
  t.strictSame(problemsOf({ server: { prot: 1 }, backends: [mock] }), ['server.prot: unknown key'])
  t.strictSame(problemsOf({ backends: [{ ...mock, match: { prefix: '/x' } }] }), ['backends[0].match.prefix: unknown key'])
})

t.test('wrong types', async t => {
  t.strictSame(problemsOf({ server: { port: '8080' }, backends: [mock] }), ['server.port: must be integer'])
  t.strictSame(problemsOf({ server: { port: 70000 }, backends: [mock] }), ['server.port: must be <= 65535'])
  t.strictSame(problemsOf({ backends: [{ ...openai, retries: -1 }] }), ['backends[0].retries: must be >= 0'])
  t.strictSame(problemsOf({ backends: {} }), ['backends: must be array'])
  t.strictSame(problemsOf({ backends: [{ ...openai, headers: { 'OpenAI-Organization': 1 } }] }),
    ['backends[0].headers["OpenAI-Organization"]: must be string'])
  t.strictSame(problemsOf(null), ['config: must be object'])
  t.strictSame(problemsOf([]), ['config: must be object'])
})

t.test('unions collapse to one line', async t => {
  t.strictSame(problemsOf({ backends: [{ ...openai, protocol: 'openai' }] }),
    ['backends[0].protocol: must be one of openai-chat, openai-responses, anthropic, gemini, coze, mock'])
  t.strictSame(problemsOf({ logging: { level: 'loud' }, backends: [mock] }),
    ['logging.level: must be one of fatal, error, warn, info, debug, trace, silent'])
  t.strictSame(problemsOf({ server: { trustProxy: 1 }, backends: [mock] }), ['server.trustProxy: must be boolean or string'])
})

t.test('a union whose one branch fits the value reports that branch', async t => {
  t.strictSame(problemsOf({ rateLimit: { max: 1, timeWindow: '1 fortnight' }, backends: [mock] }),
    ['rateLimit.timeWindow: must be a duration such as "1 minute", "30s" or "500ms"'])
  t.strictSame(problemsOf({ rateLimit: { max: 1, timeWindow: 0 }, backends: [mock] }),
    ['rateLimit.timeWindow: must be >= 1'])
  t.strictSame(problemsOf({ rateLimit: { max: 1, timeWindow: true }, backends: [mock] }),
    ['rateLimit.timeWindow: must be milliseconds (integer >= 1) or a duration such as "1 minute"'])
  t.strictSame(problemsOf({ rateLimit: { max: 1, timeWindow: '1 minute' }, backends: [mock] }), [])
})

t.test('missing required fields', async t => {
  t.strictSame(problemsOf({}), ['backends: is required'])
  t.strictSame(problemsOf({ backends: [] }), ['backends: must not be empty'])
  t.strictSame(problemsOf({ backends: [{ protocol: 'mock' }] }), ['backends[0].name: is required'])
  t.strictSame(problemsOf({ backends: [{ name: 'x' }] }), ['backends[0].protocol: is required'])
  t.strictSame(problemsOf({ auth: { keys: [{ name: 'a' }] }, backends: [mock] }), ['auth.keys[0].key: is required'])
})

t.test('patterns are explained in words', async t => {
  t.strictSame(problemsOf({ backends: [{ ...mock, name: 'my backend' }] }),
    ['backends[0].name: must be 1-64 characters from A-Z a-z 0-9 _ . -'])
  t.strictSame(problemsOf({ redis: { url: 'localhost:6379' }, backends: [mock] }),
    ['redis.url: must be a redis:// or rediss:// URL'])
  t.strictSame(problemsOf({ auth: { keys: [{ name: 'a', key: 'short' }] }, backends: [mock] }),
    ['auth.keys[0].key: must be at least 8 characters'])
})

t.test('backend url', async t => {
  t.strictSame(problemsOf({ backends: [{ name: 'a', protocol: 'anthropic' }] }),
    ['backends[0].url: is required for protocol "anthropic"'])
  t.strictSame(problemsOf({ backends: [mock] }), [], 'mock needs no url')
  for (const url of ['api.openai.com/v1', 'ftp://host/x', 'https:host', '/v1', 'http://']) {
    t.strictSame(problemsOf({ backends: [mock, mock, { ...openai, name: 'c', url }].map((b, i) => ({ ...b, name: `b${i}` })) }),
      ['backends[2].url: must be an absolute http(s) URL'], url)
  }
  t.strictSame(problemsOf({ backends: [{ ...openai, url: 'HTTP://127.0.0.1:8000/v1' }] }), [])
  t.strictSame(problemsOf({ backends: [{ name: 'x', protocol: 'nope' }] }),
    ['backends[0].protocol: must be one of openai-chat, openai-responses, anthropic, gemini, coze, mock'],
    'no url complaint for a protocol that is itself wrong')
})

t.test('backend names are unique', async t => {
  t.strictSame(problemsOf({ backends: [mock, openai, { ...openai, url: 'http://b' }, { ...openai, name: 'mock' }] }), [
    'backends[2].name: duplicate backend name "openai"',
    'backends[3].name: duplicate backend name "mock"',
  ])
})

t.test('fallback names other existing backends', async t => {
  t.strictSame(problemsOf({ backends: [{ ...openai, fallback: ['claude', 'openai', 'mock', 'mock'] }, mock] }), [
    'backends[0].fallback[0]: unknown backend "claude"',
    'backends[0].fallback[1]: a backend cannot fall back to itself',
    'backends[0].fallback[3]: "mock" is listed twice',
  ])
})

t.test('at most one default backend', async t => {
  const d = { match: { default: true } }
  t.strictSame(problemsOf({ backends: [{ ...openai, ...d }, { ...mock, ...d }, { ...mock, name: 'm2', ...d }] }), [
    'backends[1].match.default: backend "openai" is already the default',
    'backends[2].match.default: backend "openai" is already the default',
  ])
  t.strictSame(problemsOf({ backends: [{ ...openai, match: { default: false } }, { ...mock, ...d }] }), [])
})

t.test('pathPrefix shape', async t => {
  const withPrefix = (pathPrefix: string) => problemsOf({ backends: [{ ...mock, match: { pathPrefix } }] })
  t.strictSame(withPrefix('openai'), ['backends[0].match.pathPrefix: must be a path starting with "/"'])
  t.strictSame(withPrefix('/openai/'), ['backends[0].match.pathPrefix: must not end with "/"'])
  t.strictSame(withPrefix('/'), ['backends[0].match.pathPrefix: must not be "/" (leave pathPrefix out to match every path)'])
  t.strictSame(withPrefix('/a?b=1'), ['backends[0].match.pathPrefix: must not contain "?" or "#"'])
  t.strictSame(withPrefix('/a#b'), ['backends[0].match.pathPrefix: must not contain "?" or "#"'])
  t.strictSame(withPrefix('/team/a'), [])
})

t.test('model globs are non-empty', async t => {
  t.strictSame(problemsOf({ backends: [{ ...mock, match: { models: [] } }] }), ['backends[0].match.models: must not be empty'])
  t.strictSame(problemsOf({ backends: [{ ...mock, match: { models: ['gpt-*', ''] } }] }), ['backends[0].match.models[1]: must not be empty'])
  t.strictSame(problemsOf({ backends: [{ ...mock, models: { fast: '' } }] }), ['backends[0].models.fast: must not be empty'])
})

t.test('header names must be HTTP tokens; upstream header values carry no line breaks', async t => {
  t.strictSame(problemsOf({ backends: [{ ...openai, headers: { 'x-a': 'a\r\nx-injected: 1' }, match: { headers: { 'x backend': 'a' } } }] }), [
    'backends[0].headers["x-a"]: must not contain CR, LF or NUL',
    'backends[0].match.headers["x backend"]: is not a valid HTTP header name',
  ])
})

t.test('client keys', async t => {
  const key = (name: string, value: string, extra: Record<string, unknown> = {}) => ({ name, key: value, ...extra })
  t.strictSame(problemsOf({
    auth: { keys: [key('a', 'key-aaaa-1'), key('a', 'key-bbbb-2'), key('c', 'key-aaaa-1', { backends: ['openai', 'nope'] })] },
    backends: [openai],
  }), [
    'auth.keys[1].name: duplicate key name "a"',
    'auth.keys[2].key: same key as auth.keys[0]',
    'auth.keys[2].backends[1]: unknown backend "nope"',
  ])
  t.strictSame(problemsOf({ auth: { keys: [] }, backends: [mock] }),
    ['auth.keys: must not be empty (leave auth out to turn client auth off)'])
})

t.test('schema and cross-field problems together, in document order', async t => {
  const raw = {
    backends: [
      { name: 'a', protocol: 'openai-chat', url: 'nope', fallback: ['ghost'] },
      { name: 'a', protocol: 'mock', timeoutMs: 0 },
    ],
    server: { port: -1 },
  }
  const expected = [
    'backends[0].url: must be an absolute http(s) URL',
    'backends[0].fallback[0]: unknown backend "ghost"',
    'backends[1].name: duplicate backend name "a"',
    'backends[1].timeoutMs: must be >= 1',
    'server.port: must be >= 0',
  ]
  t.strictSame(problemsOf(raw), expected)
  t.strictSame(problemsOf(raw), expected, 'stable across runs')
})

t.test('a field the schema rejected gets no second message', async t => {
  t.strictSame(problemsOf({ backends: [{ ...openai, url: 42 }] }), ['backends[0].url: must be string'])
  t.strictSame(problemsOf({ backends: [{ ...mock, match: { pathPrefix: 'openai/' } }] }),
    ['backends[0].match.pathPrefix: must be a path starting with "/"'])
})
