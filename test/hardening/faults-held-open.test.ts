// Issue 10, "Faults" (fixed: the translator ends the client stream when the reply is over and
// the upstream is let go, src/upstream/converted-reply.ts; the Gemini decoder ends at the finish chunk): a converted stream is over once the upstream's reply is — at its
// end-of-message, at its in-band error event, or at the first event that cannot be read — even if
// the upstream then keeps the connection open (a stuck server, a proxy that never sends the last
// chunk, a runaway stream). The client must get its terminal event and a clean end at once, and
// the upstream request must be let go (drained for at most RELEASE_MS, 20 ms, then aborted), not
// read until the backend's `timeoutMs`.
//
// Before the fix, the translator stops translating but keeps reading the upstream body
// until the upstream ends it: with the default timeoutMs (300 s) a client — and the SDKs, which
// read to the end of the body after `[DONE]`/`message_stop` — waits five minutes for a reply
// that was complete, and one upstream connection stays busy for as long.
import OpenAI from 'openai'
import t, { type Test } from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import {
  clientRequest, completeStreamProblems, errorStreamProblems, faultConfig, faultModel, MOUNT, startFaultUpstream, WIRES,
  type ClientReply, type Fault,
} from '../helpers/fault-upstream.js'
import { startApp } from '../helpers/start-app.js'

/** The backend never times out within the test; the stream must end on its own. */
const BACKEND_TIMEOUT_MS = 10_000
/** How long the client waits for the end before giving up (a failing case costs this much). */
const WAIT_MS = 1000

const CASES: readonly Fault[] = ['none-open', 'error-event-open', 'bad-json-open']

t.test('converted streams end when the upstream reply is over, not when its connection is', async t => {
  const upstream = await startFaultUpstream(t)
  const app = await startApp(t, faultConfig(upstream.url, { timeoutMs: BACKEND_TIMEOUT_MS }))
  let n = 0
  for (const fault of CASES) {
    await t.test(fault, async (t: Test) => {
      for (const client of WIRES) {
        // One backend of another dialect per client, one request at a time (upstream.closed(n) is by arrival).
        const backend = WIRES[(WIRES.indexOf(client) + 1) % WIRES.length]!
        const call = clientRequest(client, backend, fault, true)
        const index = n++
        const giveUp = new AbortController()
        const timer = setTimeout(() => giveUp.abort(), WAIT_MS)
        const started = performance.now()
        let text = ''
        let ended = false
        let status = 0
        let headers: Record<string, string | string[] | undefined> = {}
        try {
          const res = await request(app.url + call.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.body), signal: giveUp.signal })
          status = res.statusCode
          headers = res.headers
          for await (const c of res.body) text += (c as Buffer).toString()
          ended = true
        } catch { /* gave up */ }
        clearTimeout(timer)
        const ms = performance.now() - started
        // The request reached the upstream by now; was its response let go while the client was there?
        const letGo = await Promise.race([upstream.closed(index).then(() => true), sleep(50).then(() => false)])
        giveUp.abort()
        const reply: ClientReply = { status, headers, bytes: Buffer.from(text), text, transportError: ended ? undefined : 'no end within ' + WAIT_MS + ' ms', ms }
        const problems = fault.startsWith('none') ? completeStreamProblems(client, reply) : errorStreamProblems(client, reply)
        if (!letGo) problems.push('the upstream request was still open when the client stream should have ended')
        t.same(problems, [], `${client} client ← ${backend} backend (${Math.round(ms)} ms)`)
      }
    })
  }

  await t.test('the openai SDK finishes a complete Chat stream from an Anthropic backend that holds its connection', async t => {
    const sdk = new OpenAI({ baseURL: app.url + MOUNT.anthropic + '/v1', apiKey: 'client-key', maxRetries: 0, timeout: WAIT_MS * 3 })
    const started = performance.now()
    const giveUp = new AbortController()
    let text = ''
    const done = (async () => {
      const stream = await sdk.chat.completions.create({ model: faultModel('none-open'), stream: true, messages: [{ role: 'user', content: 'hi' }] }, { signal: giveUp.signal })
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
      return 'finished'
    })().catch(() => 'failed')
    const outcome = await Promise.race([done, sleep(WAIT_MS).then(() => 'still waiting')])
    t.equal(outcome, 'finished', `the SDK's loop ended (${Math.round(performance.now() - started)} ms)`)
    t.equal(text, 'Hello')
    giveUp.abort()
    await done
  })
})
