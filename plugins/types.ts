// Every decorator Switchyard adds to Fastify, typed in one place.
import type { RequestContext } from './request-context.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Filled in the first onRequest hook; `null` only before it runs. */
    switchyard: RequestContext | null
  }
}
