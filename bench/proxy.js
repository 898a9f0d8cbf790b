// Switchyard under test, from dist/ (`npm run build` first), in its own process so the load
// generator does not share its loop. Four backends, all at the mock upstream: /anth Anthropic
// Messages, /chat Chat Completions (the default), /resp Responses, /gem Gemini. Logging at
// BENCH_LOG_LEVEL (default `info`, the shipped default: one access line per request, which the
// runner sends to a file); metrics on (the default). CPU and memory are read by the
// runner from /proc, so nothing here answers IPC beyond the listening URL.
import { buildApp } from '../dist/src/app.js'
import { validateConfig } from '../dist/src/config/validate.js'

const up = process.env.UPSTREAM
const app = await buildApp(validateConfig({
  logging: { level: process.env.BENCH_LOG_LEVEL ?? 'info' },
  backends: [
    { name: 'anth', protocol: 'anthropic', url: up + '/v1', match: { pathPrefix: '/anth' } },
    { name: 'chat', protocol: 'openai-chat', url: up + '/v1', match: { pathPrefix: '/chat', default: true } },
    { name: 'resp', protocol: 'openai-responses', url: up + '/v1', match: { pathPrefix: '/resp' } },
    { name: 'gem', protocol: 'gemini', url: up + '/v1beta', match: { pathPrefix: '/gem' } },
  ],
}))
const url = await app.listen({ host: '127.0.0.1', port: 0 })
process.send({ url })
process.on('disconnect', () => { app.close().then(() => process.exit(0)) })
