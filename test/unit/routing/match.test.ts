import fc from 'fast-check'
import t from 'tap'
import type { BackendConfig } from '../../../src/config/schema.js'
import { compileRoutes } from '../../../src/routing/compile.js'
import { compileGlob } from '../../../src/routing/glob.js'
import { planRoute, resolveRoute, type RoutePlan } from '../../../src/routing/match.js'
import { stripPrefix } from '../../../src/routing/prefix.js'

const b = (name: string, match?: BackendConfig['match']): BackendConfig =>
  ({ name, protocol: 'openai-chat', url: 'http://x', ...(match === undefined ? {} : { match }) })

const decided = (plan: RoutePlan) => plan.kind === 'decided' ? { name: plan.candidate.route.backend.name, path: plan.candidate.path } : plan.kind

t.test('stripPrefix matches on segment boundaries only', async t => {
  t.equal(stripPrefix('/openai/v1/chat', '/openai'), '/v1/chat')
  t.equal(stripPrefix('/openai', '/openai'), '/')
  t.equal(stripPrefix('/openai/', '/openai'), '/')
  t.equal(stripPrefix('/openaix/v1', '/openai'), undefined)
  t.equal(stripPrefix('/open', '/openai'), undefined)
  t.equal(stripPrefix('/team/a/v1', '/team/a'), '/v1')
})

t.test('stripPrefix property: never matches a longer first segment', async t => {
  const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/)
  fc.assert(fc.property(segment, segment, fc.array(segment, { maxLength: 3 }), (prefix, extra, rest) => {
    const path = '/' + prefix + extra + (rest.length > 0 ? '/' + rest.join('/') : '')
    return stripPrefix(path, '/' + prefix) === undefined
  }))
  fc.assert(fc.property(segment, fc.array(segment, { maxLength: 3 }), (prefix, rest) => {
    const tail = '/' + rest.join('/')
    return stripPrefix('/' + prefix + tail, '/' + prefix) === (tail === '/' ? '/' : tail)
  }))
})

t.test('globs: * spans anything, ? one character, the rest is literal', async t => {
  t.ok(compileGlob('gpt-*').test('gpt-4.1-mini'))
  t.notOk(compileGlob('gpt-*').test('xgpt-4'))
  t.ok(compileGlob('o*').test('o3'))
  t.ok(compileGlob('meta-llama/*').test('meta-llama/Llama-3-8B'))
  t.ok(compileGlob('claude-?-opus').test('claude-3-opus'))
  t.notOk(compileGlob('claude-?-opus').test('claude-35-opus'))
  t.notOk(compileGlob('gpt-4.1').test('gpt-401'), 'a dot is literal')
  t.ok(compileGlob('a+b(c)').test('a+b(c)'), 'regex metacharacters are literal')
})

t.test('first backend in config order whose rules all hold wins', async t => {
  const table = compileRoutes([
    b('a', { pathPrefix: '/openai' }),
    b('h', { headers: { 'X-Backend': 'special' } }),
    b('hp', { pathPrefix: '/both', headers: { 'x-team': 'a', 'x-env': 'prod' } }),
    b('d', { default: true }),
  ])
  t.same(decided(planRoute(table, '/openai/v1/chat/completions', {})), { name: 'a', path: '/v1/chat/completions' })
  t.same(decided(planRoute(table, '/openaix/v1', {})), { name: 'd', path: '/openaix/v1' }, 'prefix boundary: falls to default')
  t.same(decided(planRoute(table, '/v1/chat/completions', { 'x-backend': 'special' })), { name: 'h', path: '/v1/chat/completions' }, 'header names compare case-insensitively')
  t.same(decided(planRoute(table, '/v1/chat/completions', { 'x-backend': 'Special' })), { name: 'd', path: '/v1/chat/completions' }, 'header values are exact')
  t.same(decided(planRoute(table, '/both/v1', { 'x-team': 'a' })), { name: 'd', path: '/both/v1' }, 'all headers are required')
  t.same(decided(planRoute(table, '/both/v1', { 'x-team': 'a', 'x-env': 'prod' })), { name: 'hp', path: '/v1' })
  t.same(decided(planRoute(table, '/openai/v1', { 'x-backend': 'special' })), { name: 'a', path: '/v1' }, 'config order decides')
})

t.test('no default and nothing matches: none', async t => {
  const table = compileRoutes([b('a', { pathPrefix: '/a' })])
  t.equal(planRoute(table, '/b/v1', {}).kind, 'none')
})

t.test('a backend without rules matches everything', async t => {
  const table = compileRoutes([b('only')])
  t.same(decided(planRoute(table, '/anything', {})), { name: 'only', path: '/anything' })
})

t.test('model rules: resolved after the body is read, in config order, default last', async t => {
  const table = compileRoutes([
    b('gpt', { models: ['gpt-*', 'o*'] }),
    b('claude', { pathPrefix: '/p', models: ['claude-*'] }),
    b('d', { pathPrefix: '/p', default: true }),
  ])
  const plan = planRoute(table, '/p/v1/messages', {})
  if (plan.kind !== 'needs-model') throw new Error('expected needs-model')
  t.same(plan.candidates.map(c => [c.route.backend.name, c.path]), [['gpt', '/p/v1/messages'], ['claude', '/v1/messages']])
  const pick = (model: string | undefined) => resolveRoute(plan, () => model)?.route.backend.name
  t.equal(pick('gpt-4o'), 'gpt')
  t.equal(pick('o3'), 'gpt')
  t.equal(pick('claude-sonnet-4'), 'claude')
  t.equal(pick('llama'), 'd', 'no model rule holds: the default')
  t.equal(resolveRoute(plan, () => 'llama')?.path, '/v1/messages', 'default strips its own prefix')
  t.equal(pick(undefined), 'd', 'no model in the body: the default')
})

t.test('a rule-free backend after model candidates ends the search', async t => {
  const table = compileRoutes([b('gpt', { models: ['gpt-*'] }), b('catch'), b('never', { models: ['x'] })])
  const plan = planRoute(table, '/v1/chat/completions', {})
  if (plan.kind !== 'needs-model') throw new Error('expected needs-model')
  t.equal(plan.candidates.length, 1)
  t.equal(resolveRoute(plan, () => 'x')?.route.backend.name, 'catch')
})

t.test('the model reader sees each candidate\'s own stripped path', async t => {
  const table = compileRoutes([b('g', { pathPrefix: '/g', models: ['gem*'] }), b('o', { models: ['gpt*'] })])
  const plan = planRoute(table, '/g/v1beta/models/gemini-pro:generateContent', {})
  if (plan.kind !== 'needs-model') throw new Error('expected needs-model')
  const seen: string[] = []
  resolveRoute(plan, path => { seen.push(path); return undefined })
  t.same(seen, ['/v1beta/models/gemini-pro:generateContent', '/g/v1beta/models/gemini-pro:generateContent'])
})

t.test('a default backend listed first does not shadow the backends after it (SPEC: used when no other matches)', async t => {
  const table = compileRoutes([b('fallback', { default: true }), b('claude', { pathPrefix: '/claude' }), b('teams', { headers: { 'x-team': 'a' } })])
  t.same(decided(planRoute(table, '/claude/v1/messages', {})), { name: 'claude', path: '/v1/messages' })
  t.same(decided(planRoute(table, '/v1/messages', { 'x-team': 'a' })), { name: 'teams', path: '/v1/messages' })
  t.same(decided(planRoute(table, '/v1/messages', {})), { name: 'fallback', path: '/v1/messages' }, 'the rest still goes to the default')
  const prefixed = compileRoutes([b('chat', { pathPrefix: '/chat', default: true }), b('claude', { pathPrefix: '/claude' })])
  t.same(decided(planRoute(prefixed, '/chat/v1/x', {})), { name: 'chat', path: '/v1/x' }, 'a default with its own prefix still matches it in its place')
  t.same(decided(planRoute(prefixed, '/claude/v1/x', {})), { name: 'claude', path: '/v1/x' })
})

t.test('with a default backend, a backend without rules is reached only as a fallback target', async t => {
  const table = compileRoutes([b('chat', { default: true }), b('claude'), b('anth', { pathPrefix: '/anth' })])
  t.same(decided(planRoute(table, '/v1/messages', {})), { name: 'chat', path: '/v1/messages' })
  t.same(decided(planRoute(table, '/anth/v1/messages', {})), { name: 'anth', path: '/v1/messages' })
  const noDefault = compileRoutes([b('first'), b('second')])
  t.same(decided(planRoute(noDefault, '/v1/x', {})), { name: 'first', path: '/v1/x' }, 'without a default, the first rule-less backend takes all, as before')
})
