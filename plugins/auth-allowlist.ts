// STUB (issue 7, auth helper): after routing, a key used outside its `backends`/`models`
// allowlist is a 403 naming what was refused.
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

const allowlist: FastifyPluginAsync = async () => {}

export default fp(allowlist, { name: 'switchyard-auth-allowlist', fastify: '5.x', dependencies: ['switchyard-router'] })
