import fc from 'fast-check'
import t from 'tap'
import { substituteEnv } from '../../../src/config/env.js'
import { ConfigError } from '../../../src/config/errors.js'

function problemsOf (value: unknown, env: NodeJS.ProcessEnv): string[] {
  try {
    substituteEnv(value, env)
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
}

t.test('replaces ${VAR} anywhere in string values, at any depth', async t => {
  const env = { KEY: 'sk-123', HOST: 'api.example.com' }
  t.strictSame(substituteEnv({
    backends: [{ apiKey: '${KEY}', url: 'https://${HOST}/v1', headers: { 'x-a': 'a-${KEY}-b' }, retries: 2, fallback: ['${HOST}'] }],
    logging: { requestBodies: false },
    nothing: null,
  }, env), {
    backends: [{ apiKey: 'sk-123', url: 'https://api.example.com/v1', headers: { 'x-a': 'a-sk-123-b' }, retries: 2, fallback: ['api.example.com'] }],
    logging: { requestBodies: false },
    nothing: null,
  })
})

t.test('keys are never substituted', async t => {
  t.strictSame(substituteEnv({ headers: { '${KEY}': '${KEY}' } }, { KEY: 'v' }), { headers: { '${KEY}': 'v' } })
})

t.test('a missing variable names the field and the variable', async t => {
  t.strictSame(problemsOf({ backends: [{ apiKey: '${OPENAI_API_KEY}' }] }, {}),
    ['backends[0].apiKey: environment variable OPENAI_API_KEY is not set'])
})

t.test('every missing variable is reported, in document order', async t => {
  const err = t.throws(() => substituteEnv({ a: '${A}', b: ['x', '${B}${C}'] }, { C: 'c' }))
  t.ok(err instanceof ConfigError)
  if (err instanceof ConfigError) {
    t.equal(err.code, 'SWY_ERR_CONFIG_INVALID')
    t.strictSame(err.problems, ['a: environment variable A is not set', 'b[1]: environment variable B is not set'])
  }
})

t.test('${VAR:-default}', async t => {
  t.equal(substituteEnv('${PORT:-8080}', {}), '8080', 'default when unset')
  t.equal(substituteEnv('${PORT:-8080}', { PORT: '9090' }), '9090', 'value when set')
  t.equal(substituteEnv('${PORT:-8080}', { PORT: '' }), '8080', 'default when set but empty, as in the shell')
  t.equal(substituteEnv('a${X:-}b', {}), 'ab', 'empty default')
  t.equal(substituteEnv('${X:-http://h:1/p?q=$1}', {}), 'http://h:1/p?q=$1', 'default may hold ":", "$"')
})

t.test('a variable set to the empty string is used as is without a default', async t => {
  t.equal(substituteEnv('[${EMPTY}]', { EMPTY: '' }), '[]')
})

t.test('$${ is a literal ${', async t => {
  t.equal(substituteEnv('cost: $${X} and ${X}', { X: '1' }), 'cost: ${X} and 1')
})

t.test('malformed references are errors, not kept silently', async t => {
  const message = 'malformed ${...}: write ${NAME} or ${NAME:-default}, or $${ for a literal "${"'
  t.strictSame(problemsOf({ apiKey: '${OPENAI_API_KEY' }, {}), [`apiKey: ${message}`])
  t.strictSame(problemsOf({ apiKey: '${1X}' }, {}), [`apiKey: ${message}`])
  t.strictSame(problemsOf({ apiKey: '${A:-${B}}' }, {}), [`apiKey: ${message}`], 'nested references are not supported')
})

t.test('non-string values pass through; the input is not mutated', async t => {
  const input = { a: 1, b: true, c: null, d: ['${X}'] }
  const out = substituteEnv(input, { X: 'x' })
  t.strictSame(out, { a: 1, b: true, c: null, d: ['x'] })
  t.strictSame(input, { a: 1, b: true, c: null, d: ['${X}'] })
})

t.test('a __proto__ key stays an own key', async t => {
  const out = substituteEnv(JSON.parse('{"__proto__": {"x": "${X}"}}'), { X: 'y' })
  t.equal(Object.getPrototypeOf(out), Object.prototype)
  t.strictSame(Object.keys(out as object), ['__proto__'])
})

t.test('property: substituted values are never expanded again; strings without $ are untouched', async t => {
  fc.assert(fc.property(fc.string(), value => substituteEnv('${V}', { V: value }) === value))
  fc.assert(fc.property(fc.string().filter(s => !s.includes('$')), s => substituteEnv(s, {}) === s))
})
