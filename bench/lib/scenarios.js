// The fast scenarios (a–d) of bench/run.js: what each sends, where, and what a whole reply
// looks like. The upstream's write mode is chosen by the model name (bench/upstream.js).
// Targets: `direct` (the mock upstream itself), `replyFrom` (the Fastify + reply-from floor),
// `switchyard`, and `portkey` (only with BENCH_PORTKEY). A scenario lists the path per target;
// a target missing from `paths` does not run it (reply-from and direct cannot translate).

const messages = [{ role: 'user', content: 'hello' }]
const chatBody = model => JSON.stringify({ model, messages })
const chatStream = model => JSON.stringify({ model, messages, stream: true })
const anthropicStream = model => JSON.stringify({ model, max_tokens: 256, messages, stream: true })
const responsesStream = model => JSON.stringify({ model, input: 'hello', stream: true })

export const JSON_HEADERS = { 'content-type': 'application/json' }
// Sent on every Anthropic-dialect request, as the SDK does.
export const ANTHROPIC_HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }

const passthrough = { direct: '/v1/chat/completions', replyFrom: '/v1/chat/completions', switchyard: '/chat/v1/chat/completions', portkey: '/v1/chat/completions' }

/** chunks = content deltas per reply (0: a whole JSON reply); client = the client's dialect. */
export function scenarios (chunks, paceMs = 2) {
  const all = [
    { id: 'a', name: 'non-streaming small JSON (chat -> chat)', kind: 'passthrough', client: 'chat', chunks: 0, body: chatBody('bench-event'), headers: JSON_HEADERS, paths: passthrough, portkeyProvider: 'openai' },
    { id: 'b', name: `streaming passthrough, one write per event (chat -> chat, ${chunks} chunks)`, kind: 'passthrough', client: 'chat', chunks, body: chatStream('bench-event'), headers: JSON_HEADERS, paths: passthrough, portkeyProvider: 'openai' },
    { id: 'c', name: `streaming passthrough, whole body in one write (chat -> chat, ${chunks} chunks)`, kind: 'passthrough', client: 'chat', chunks, body: chatStream('bench-whole'), headers: JSON_HEADERS, paths: passthrough, portkeyProvider: 'openai' },
    { id: 'd1', name: `translation anthropic client -> chat backend (${chunks} chunks)`, kind: 'translation', client: 'anthropic', chunks, body: anthropicStream('bench-event'), headers: ANTHROPIC_HEADERS, paths: { switchyard: '/chat/v1/messages' } },
    { id: 'd2', name: `translation chat client -> anthropic backend (${chunks} chunks)`, kind: 'translation', client: 'chat', chunks, body: chatStream('bench-event'), headers: JSON_HEADERS, paths: { switchyard: '/anth/v1/chat/completions', portkey: '/v1/chat/completions' }, portkeyProvider: 'anthropic' },
    { id: 'd3', name: `translation responses client -> chat backend (${chunks} chunks)`, kind: 'translation', client: 'responses', chunks, body: responsesStream('bench-event'), headers: JSON_HEADERS, paths: { switchyard: '/chat/v1/responses' } },
  ]
  return [...all, ...PACED.map(id => paced(all.find(s => s.id === id), paceMs))]
}

/** The streamed scenarios also run paced: b and d with the mock writing one event every `paceMs`. */
const PACED = ['b', 'd1', 'd2', 'd3']

/**
 * `id` + `p`: the same requests with the model `bench-paced`, so every event reaches the proxy in
 * a read of its own (see bench/README.md, "Two regimes").
 */
function paced (s, paceMs) {
  return { ...s, id: s.id + 'p', paced: true, name: `${s.name.replace(', one write per event', '')}, paced ${paceMs} ms`, body: s.body.replace('"bench-event"', '"bench-paced"') }
}

/** Headers for one request of `scenario` to `target` (Portkey is told the provider and host). */
export function headersFor (scenario, target) {
  if (target.key !== 'portkey') return scenario.headers
  return {
    ...scenario.headers,
    authorization: 'Bearer bench',
    'x-api-key': 'bench',
    'x-portkey-provider': scenario.portkeyProvider,
    'x-portkey-custom-host': target.upstream + '/v1',
  }
}

/** The slow-stream scenario (e): Anthropic client -> Chat backend, or Chat passthrough. */
export const slowRequests = {
  passthrough: { client: 'chat', body: chatStream('bench-slow'), headers: JSON_HEADERS, paths: passthrough },
  translation: { client: 'anthropic', body: anthropicStream('bench-slow'), headers: ANTHROPIC_HEADERS, paths: { switchyard: '/chat/v1/messages' } },
}
