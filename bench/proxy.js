// The proxy under test, in its own process so the load generator does not share its loop.
import { buildApp } from '../dist/src/app.js'
import { validateConfig } from '../dist/src/config/validate.js'

const app = await buildApp(validateConfig({
  logging: { level: process.env.BENCH_LOG_LEVEL ?? 'warn' },
  backends: [{ name: 'up', protocol: 'openai-chat', url: process.env.UPSTREAM + '/v1' }],
}))
const url = await app.listen({ host: '127.0.0.1', port: 0 })
process.send({ url })
process.on('disconnect', () => { app.close().then(() => process.exit(0)) })
