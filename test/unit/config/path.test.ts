import t from 'tap'
import { formatPath, sortByDocumentOrder, type Problem } from '../../../src/config/path.js'

t.test('formatPath writes JS notation', async t => {
  t.equal(formatPath([]), 'config')
  t.equal(formatPath(['server', 'port']), 'server.port')
  t.equal(formatPath(['backends', 2, 'url']), 'backends[2].url')
  t.equal(formatPath(['auth', 'keys', 0, 'key']), 'auth.keys[0].key')
  t.equal(formatPath(['backends', 0, 'headers', 'OpenAI-Organization']), 'backends[0].headers["OpenAI-Organization"]')
  t.equal(formatPath(['backends', 0, 'models', 'gpt-4.1']), 'backends[0].models["gpt-4.1"]')
  t.equal(formatPath(['x-common']), 'x-common')
})

t.test('problems sort by where their field sits in the document', async t => {
  const root = {
    server: { port: 1 },
    backends: Array.from({ length: 11 }, (_, i) => ({ name: `b${i}`, url: 'u' })),
  }
  const problems: Problem[] = [
    { path: ['backends', 10, 'name'], message: 'ten' },
    { path: ['backends', 2, 'protocol'], message: 'missing key, after the present ones' },
    { path: ['backends', 2, 'url'], message: 'two url' },
    { path: ['backends', 2, 'name'], message: 'two name' },
    { path: ['server', 'port'], message: 'port' },
    { path: ['backends'], message: 'whole list, before its items' },
  ]
  t.strictSame(sortByDocumentOrder(problems, root).map(p => p.message), [
    'port',
    'whole list, before its items',
    'two name',
    'two url',
    'missing key, after the present ones',
    'ten',
  ])
})
