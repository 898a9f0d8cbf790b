// The proxy under test, in its own process so the load generator does not share its loop. Two
// backends: /chat speaks Chat Completions (the default), /anth speaks Anthropic Messages. Answers
// `cpu` messages with its process CPU time, so the runner can charge CPU per request and chunk.
import { buildApp } from '../dist/src/app.js'
import { validateConfig } from '../dist/src/config/validate.js'

const app = await buildApp(validateConfig({
  logging: { level: process.env.BENCH_LOG_LEVEL ?? 'warn' },
  backends: [
    { name: 'anth', protocol: 'anthropic', url: process.env.UPSTREAM + '/v1', match: { pathPrefix: '/anth' } },
    { name: 'chat', protocol: 'openai-chat', url: process.env.UPSTREAM + '/v1', match: { pathPrefix: '/chat', default: true } },
  ],
}))
const url = await app.listen({ host: '127.0.0.1', port: 0 })
process.send({ url })
process.on('message', m => { if (m === 'cpu') process.send({ cpu: process.cpuUsage() }) })
process.on('disconnect', () => { app.close().then(() => process.exit(0)) })
