// Wholeness checks, so a fast proxy that answers wrongly cannot look good: before a target is
// measured, a few requests go through it and each reply must be 200 with every content delta
// and the terminal event (a JSON reply: parseable, with content). The same requests, made
// sequentially, sample Switchyard's `x-switchyard-overhead-ms` header when it sends one.
import { request } from 'undici'
import { DELTA, TERMINAL } from './fixtures.js'
import { headersFor } from './scenarios.js'

const OVERHEAD = 'x-switchyard-overhead-ms'

function count (text, needle) {
  let n = 0
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++
  return n
}

/** Why a reply is not whole ('' when it is). */
export function whyNotWhole (status, text, client, chunks) {
  if (status !== 200) return `status ${status}: ${text.slice(0, 200)}`
  if (chunks === 0) {
    try {
      const reply = JSON.parse(text)
      return reply.choices?.[0]?.message?.content?.length > 0 ? '' : `no content in ${text.slice(0, 200)}`
    } catch { return `not JSON: ${text.slice(0, 200)}` }
  }
  const deltas = count(text, DELTA[client])
  if (deltas !== chunks) return `${deltas} of ${chunks} deltas`
  if (!text.trimEnd().includes(TERMINAL[client])) return `no terminal event (${TERMINAL[client]})`
  return ''
}

/**
 * Sends `n` requests of `scenario` to `target` one after another; throws on the first reply that
 * is not whole. Returns the overhead header's values (empty when absent).
 */
export async function verify (scenario, target, n) {
  const overhead = []
  for (let i = 0; i < n; i++) {
    const res = await request(target.url + scenario.paths[target.key], {
      method: 'POST', headers: headersFor(scenario, target), body: scenario.body,
      headersTimeout: 10_000, bodyTimeout: 10_000,
    })
    const text = await res.body.text()
    const why = whyNotWhole(res.statusCode, text, scenario.client, scenario.chunks)
    if (why !== '') throw new Error(`${target.label}, scenario ${scenario.id} (${scenario.name}): reply not whole: ${why}`)
    const h = res.headers[OVERHEAD]
    if (h !== undefined) overhead.push(Number(h))
  }
  return overhead
}
