// Issue 10 "Bad input": fast-check against the request converters. For every client operation
// (Chat, Responses, Anthropic messages + count_tokens, Gemini generate/stream/countTokens, as
// matchOperation names them) a generated body goes through the client dialect's decodeRequest,
// and whatever decodes goes through every backend's encodeRequest (countTokens where the backend
// counts) and JSON.stringify, as plugins/handlers/convert.ts does before sending. Property: each
// step returns, or throws an error with a 4xx statusCode and a `SWY_ERR_` code — never a
// TypeError/RangeError (which the error handler would turn into a 500), never slow.
// Inputs: mutations of rich valid requests (fields dropped, replaced by hostile values, wrong
// types, unknown keys, huge arrays and strings, forged `swy1.`/`swyg_` envelopes), plus
// fc.jsonValue and fc.anything. Also: every backend's decodeResponse on arbitrary upstream JSON
// throws only the upstream-invalid-data error. Bounded by time per property; the seed is printed
// (set FC_SEED to replay one run).
import fc from 'fast-check'
import t from 'tap'
import { checkWithFloor, MIN_RUNS } from '../helpers/fuzz.js'
import { backendSide, clientSide, detectOperation } from '../../src/dialects/registry.js'
import type { BackendOptions, ClientOperation } from '../../src/dialects/types.js'
import { sealEnvelope } from '../../src/canonical/signature.js'
import { mintCallId } from '../../src/dialects/gemini/call-ids.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const BACKENDS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const
const TIME_LIMIT_MS = Number(process.env.FC_TIME_MS ?? 4000)
const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED)
/** One case slower than this is a super-linear path, not a busy machine. */
const SLOW_CASE_MS = 3000

function op (method: string, path: string): ClientOperation {
  const found = detectOperation(method, path)
  if (found === undefined) throw new Error('no operation for ' + path)
  return found
}

const PNG = 'data:image/png;base64,iVBORw0KGgo='
const SCHEMA: Json = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
const ANTH_SIG = sealEnvelope({ family: 'anthropic', value: 'EqQBCkYIARgCIkB' }, 'thought', false)
const GEM_CALL = mintCallId('g-1', 'c2lnbmF0dXJl')

const CHAT: Json = {
  model: 'gpt-x', stream: true, stream_options: { include_usage: true }, max_completion_tokens: 100, temperature: 0.5,
  top_p: 0.9, parallel_tool_calls: true,
  reasoning_effort: 'high', user: 'u',
  tools: [{ type: 'function', function: { name: 'get_weather', description: 'd', parameters: SCHEMA, strict: true } }],
  tool_choice: { type: 'function', function: { name: 'get_weather' } },
  response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'developer', content: [{ type: 'text', text: 'dev' }] },
    { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: PNG, detail: 'auto' } }] },
    {
      role: 'assistant',
      content: 'Checking.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: GEM_CALL, type: 'function', function: { name: 'get_weather', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    { role: 'tool', tool_call_id: GEM_CALL, content: [{ type: 'text', text: 'rain' }] },
    { role: 'user', content: 'thanks' },
  ],
}

const RESPONSES: Json = {
  model: 'gpt-5', instructions: 'You are Codex.', stream: true, max_output_tokens: 200, temperature: 1, top_p: 1,
  parallel_tool_calls: true, store: false, include: ['reasoning.encrypted_content'], reasoning: { effort: 'medium', summary: 'auto' },
  text: { verbosity: 'low', format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: false } },
  tools: [
    { type: 'function', name: 'shell', parameters: SCHEMA, strict: false },
    { type: 'custom', name: 'apply_patch', description: 'patch' },
    { type: 'web_search' },
  ],
  tool_choice: 'auto',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix it' }, { type: 'input_image', image_url: PNG, detail: 'auto' }] },
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Plan.' }], encrypted_content: ANTH_SIG },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
    { type: 'function_call', id: 'fc_1', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
    { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch', call_id: 'call_2' },
    { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
    { type: 'custom_tool_call_output', call_id: 'call_2', output: 'Done' },
    { role: 'user', content: 'thanks' },
  ],
}

const ANTHROPIC: Json = {
  model: 'claude-x', max_tokens: 1024, stream: true, temperature: 0.5, top_k: 40,
  system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
  thinking: { type: 'enabled', budget_tokens: 2048 }, metadata: { user_id: 'u' },
  tools: [{ name: 'get_weather', description: 'd', input_schema: SCHEMA }],
  tool_choice: { type: 'auto' },
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'redacted_thinking', data: 'xx' },
        { type: 'text', text: 'Checking' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'sunny' }], is_error: false }, { type: 'text', text: 'thanks' }] },
  ],
}

const GEMINI_CONTENTS: Json = [
  { role: 'user', parts: [{ text: 'look' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }, { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } }] },
  { role: 'model', parts: [{ text: 'hmm', thought: true, thoughtSignature: 'c2ln' }, { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' }] },
  { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: 'sunny' } } }, { text: 'thanks' }] },
]
const GEMINI: Json = {
  contents: GEMINI_CONTENTS,
  systemInstruction: { parts: [{ text: 'sys' }] },
  tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'd', parametersJsonSchema: SCHEMA }] }],
  toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
  generationConfig: {
    maxOutputTokens: 100, temperature: 0.5, topP: 0.9, topK: 40, responseMimeType: 'application/json',
    responseJsonSchema: { type: 'object' }, thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
  },
}

interface Target { readonly name: string, readonly op: ClientOperation, readonly seeds: readonly Json[] }

const TARGETS: readonly Target[] = [
  { name: 'chat', op: op('POST', '/v1/chat/completions'), seeds: [CHAT, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }] },
  { name: 'responses', op: op('POST', '/v1/responses'), seeds: [RESPONSES, { model: 'm', input: 'hi' }] },
  { name: 'messages', op: op('POST', '/v1/messages'), seeds: [ANTHROPIC, { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }] },
  { name: 'count_tokens', op: op('POST', '/v1/messages/count_tokens'), seeds: [{ ...(ANTHROPIC as Record<string, Json>), max_tokens: null }] },
  { name: 'generateContent', op: op('POST', '/v1beta/models/gemini-2.5-pro:generateContent'), seeds: [GEMINI, { contents: [{ parts: [{ text: 'hi' }] }] }] },
  { name: 'streamGenerateContent', op: op('POST', '/v1/models/gemini-3-pro:streamGenerateContent'), seeds: [GEMINI] },
  { name: 'countTokens', op: op('POST', '/v1beta/models/m:countTokens'), seeds: [{ contents: GEMINI_CONTENTS }, { generateContentRequest: { model: 'models/m', ...(GEMINI as Record<string, Json>) } }] },
]

const OPTIONS: readonly BackendOptions[] = [
  { model: 'up-model', defaultMaxTokens: 4096 },
  { model: 'gemini-3-pro-preview', defaultMaxTokens: 1, maxOutputTokens: 64, instructions: 'codex', forceStream: true, include: ['reasoning.encrypted_content'] },
]

// ---- the property ----------------------------------------------------------------------------

/** Why `err` is not an acceptable refusal, or undefined when it is one. */
function badThrow (err: unknown): string | undefined {
  if (!(err instanceof Error)) return 'threw a non-Error: ' + String(err)
  const { statusCode, code } = err as { statusCode?: unknown, code?: unknown }
  if (typeof code !== 'string' || !code.startsWith('SWY_ERR_')) return `threw ${err.name}: ${err.message}`
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return `threw ${code} with status ${String(statusCode)}`
  return undefined
}

function guarded (step: string, fn: () => unknown): boolean {
  try {
    fn()
    return true
  } catch (err) {
    const why = badThrow(err)
    if (why !== undefined) throw new Error(`${step}: ${why}`, { cause: err })
    return false
  }
}

let slowest = 0

/** The converter chain the proxy runs on a client body; throws on any unacceptable failure. */
function convertAll (target: Target, body: unknown): void {
  const started = performance.now()
  const client = clientSide(target.op.dialect)
  let decoded: ReturnType<typeof client.decodeRequest> | undefined
  if (guarded('decodeRequest', () => { decoded = client.decodeRequest(body, target.op) }) && decoded !== undefined) {
    const req = decoded
    for (const backend of BACKENDS) {
      const side = backendSide(backend)
      if (side === undefined) continue
      for (const options of OPTIONS) {
        guarded(`${backend}.encodeRequest`, () => JSON.stringify(side.encodeRequest(req, options).body))
        if (target.op.operation === 'count-tokens' && side.countTokens !== undefined) {
          const count = side.countTokens
          guarded(`${backend}.countTokens`, () => JSON.stringify(count(req, options).body))
        }
      }
    }
  }
  // Same-dialect passthrough restores envelopes on the raw body (plugins/handlers/passthrough.ts).
  const restore = client.restoreSignatures
  if (restore !== undefined) guarded('restoreSignatures', () => restore(body))
  guarded('modelOf', () => client.modelOf(body, target.op))
  const ms = performance.now() - started
  if (ms > slowest) slowest = ms
  if (ms > SLOW_CASE_MS) throw new Error(`one case took ${Math.round(ms)} ms`)
}

// ---- arbitraries ----------------------------------------------------------------------------

const TRICKY_STRINGS = [
  '', ' ', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype', 'user', 'assistant', 'model',
  'system', 'developer', 'tool', 'function', 'custom', 'text', 'image', 'image_url', 'input_text', 'output_text', 'tool_use',
  'tool_result', 'thinking', 'redacted_thinking', 'function_call', 'function_call_output', 'reasoning', 'message', 'auto',
  'none', 'required', 'any', 'ANY', 'NONE', 'json_schema', 'json_object', 'base64', 'url', 'data:', 'data:,', PNG,
  'data:image/png;base64,', 'data:;base64,@@', 'https://', 'swy1.', 'swy1.!!!', 'swyg_', 'swyg_e30', 'swyg_bnVsbA', 'swy1.bnVsbA',
  'null', '{', '{"a":', '[]', '\u0000', '\ud800', '🌍', 'a'.repeat(70), 'high', 'enabled', 'disabled', 'adaptive', 'STOP',
  'models/', 'models/../x', '../../x', 'a/b', 'x'.repeat(100_000),
]

/** A forged Switchyard envelope or Gemini call id with arbitrary JSON inside. */
const forged = fc.tuple(fc.constantFrom('swy1.', 'swyg_'), fc.jsonValue({ maxDepth: 2 }))
  .map(([prefix, inner]) => prefix + Buffer.from(JSON.stringify(inner) ?? 'null').toString('base64url'))

const hostile: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1, 1.5, -0.5, 1e308, -1e308, 2 ** 53, 2 ** 31, [], {}, [null], [{}], ['']) },
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
  { weight: 2, arbitrary: forged },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
)

type Mutation = { readonly pick: number, readonly kind: MutationKind, readonly value: Json, readonly key: string, readonly times: number }
type MutationKind = 'delete' | 'replace' | 'add-key' | 'wrap-array' | 'unwrap' | 'repeat' | 'empty' | 'stringify'
const KINDS: readonly MutationKind[] = ['delete', 'replace', 'replace', 'replace', 'add-key', 'wrap-array', 'unwrap', 'repeat', 'empty', 'stringify']

const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom(...KINDS),
  value: hostile,
  key: fc.oneof(fc.constantFrom('type', 'role', 'content', 'text', 'name', 'id', 'constructor', 'toString', 'extra_field', 'cache_control', 'thought'), fc.string({ maxLength: 8 })),
  times: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 2, max: 20 }) }, { weight: 1, arbitrary: fc.constant(2000) }),
})

/** Every container in the tree with the key or index leading to each child. */
function slots (root: Json): Array<{ parent: Json[] | Record<string, Json>, key: string | number }> {
  const out: Array<{ parent: Json[] | Record<string, Json>, key: string | number }> = []
  const walk = (node: Json): void => {
    if (Array.isArray(node)) node.forEach((child, i) => { out.push({ parent: node, key: i }); walk(child) })
    else if (node !== null && typeof node === 'object') for (const k of Object.keys(node)) { out.push({ parent: node, key: k }); walk(node[k] as Json) }
  }
  walk(root)
  return out
}

function apply (root: Json, m: Mutation): Json {
  const all = slots(root)
  if (all.length === 0) return m.kind === 'replace' ? m.value : root
  const { parent, key } = all[m.pick % all.length] as { parent: Json[] | Record<string, Json>, key: string | number }
  // Generated values may be shared between runs: insert copies only.
  const value = JSON.parse(JSON.stringify(m.value)) as Json
  const get = (): Json => (parent as Record<string | number, Json>)[key] as Json
  const set = (v: Json): void => { (parent as Record<string | number, Json>)[key] = v }
  const current = get()
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else delete parent[key as string]
      break
    case 'replace': set(value); break
    case 'add-key':
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) Object.defineProperty(current, m.key, { value, enumerable: true, writable: true, configurable: true })
      else set(value)
      break
    case 'wrap-array': set([current]); break
    case 'unwrap': set(Array.isArray(current) ? (current[0] ?? null) : (current !== null && typeof current === 'object' ? (Object.values(current)[0] ?? null) : current)); break
    case 'repeat': set(Array.isArray(current) ? Array.from({ length: m.times }, (_, i) => current[i % Math.max(current.length, 1)] ?? null) : Array.from({ length: m.times }, () => current)); break
    case 'empty': set(Array.isArray(current) ? [] : typeof current === 'string' ? '' : typeof current === 'object' && current !== null ? {} : 0); break
    case 'stringify': set(JSON.stringify(current)); break
  }
  return root
}

/** Bodies stay under this many bytes of JSON: far below `server.bodyLimit`, enough for huge arrays and strings. */
const MAX_BODY_CHARS = 1_000_000

/** A valid request, cloned as the wire would deliver it, then mutated 1–4 times (a step that would outgrow MAX_BODY_CHARS is skipped). */
function mutated (seeds: readonly Json[]): fc.Arbitrary<Json> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([seed, ms]) => ms.reduce<Json>((body, m) => {
      const before = JSON.stringify(body)
      const after = apply(body, m)
      let size: number
      try {
        size = JSON.stringify(after).length
      } catch {
        // Past V8's string limit: far past MAX_BODY_CHARS too.
        size = Infinity
      }
      return size > MAX_BODY_CHARS ? JSON.parse(before) as Json : after
    }, JSON.parse(JSON.stringify(seed)) as Json))
}

/** fast-check's report, with the counterexample cut short (huge arrays make it megabytes). */
function report<T> (details: fc.RunDetails<[T]>): string {
  if (!details.failed) return 'passed'
  const example = JSON.stringify(details.counterexample?.[0]) ?? String(details.counterexample?.[0])
  const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
  return `${why} | seed ${details.seed} path ${details.counterexamplePath ?? ''} | counterexample (${example.length} chars): ${example.slice(0, 1500)}`
}

function bodies (target: Target): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: mutated(target.seeds) },
    { weight: 1, arbitrary: fc.jsonValue() },
    { weight: 1, arbitrary: fc.anything() },
  )
}

// ---- tests ------------------------------------------------------------------------------------

t.comment(`fast-check seed ${SEED} (replay with FC_SEED=${SEED})`)

t.test('every seed decodes and encodes for every backend (the mutations start from valid requests)', async t => {
  for (const target of TARGETS) {
    for (const seed of target.seeds) {
      const req = clientSide(target.op.dialect).decodeRequest(JSON.parse(JSON.stringify(seed)), target.op)
      for (const backend of BACKENDS) {
        const side = backendSide(backend)
        t.doesNotThrow(() => side?.encodeRequest(req, OPTIONS[0] as BackendOptions), `${target.name} seed → ${backend}`)
      }
    }
  }
})

for (const target of TARGETS) {
  t.test(`${target.name}: decode → encode for every backend refuses with a 4xx SWY_ERR_ or succeeds`, async t => {
    let tried = 0
    const details = checkWithFloor(fc.property(bodies(target), body => { tried++; convertAll(target, body) }), {
      seed: SEED, numRuns: 20_000, timeLimitMs: TIME_LIMIT_MS,
    })
    t.comment(`${target.name}: ${tried} inputs (${details.interrupted ? 'stopped by the time limit' : 'every run'}), slowest case so far ${slowest.toFixed(1)} ms`)
    t.ok(tried >= MIN_RUNS, 'thousands of cases per run')
    t.notOk(details.failed, report(details))
  })
}

/** Upstream replies: arbitrary JSON never gets a non-upstream error out of decodeResponse. */
const REPLY_SEEDS: Readonly<Record<(typeof BACKENDS)[number], Json>> = {
  'openai-chat': { id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
  'openai-responses': { id: 'resp_1', object: 'response', created_at: 1, model: 'm', status: 'completed', output: [{ type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: 'e' }, { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }, { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'f', arguments: '{}' }], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } },
  anthropic: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'thinking', thinking: 't', signature: 's' }, { type: 'text', text: 'ok' }, { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }], stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } },
  gemini: { candidates: [{ content: { role: 'model', parts: [{ text: 't', thought: true }, { text: 'ok' }, { functionCall: { name: 'f', args: {} }, thoughtSignature: 'c2ln' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 }, modelVersion: 'm' },
}

t.test('backend decodeResponse: arbitrary upstream JSON is decoded or refused as upstream-invalid-data', async t => {
  const req = clientSide('openai-chat').decodeRequest(CHAT, TARGETS[0]?.op as ClientOperation)
  for (const backend of BACKENDS) {
    const side = backendSide(backend)
    if (side === undefined) continue
    let tried = 0
    const reply = fc.oneof({ weight: 6, arbitrary: mutated([REPLY_SEEDS[backend]]) }, { weight: 1, arbitrary: fc.jsonValue() })
    const details = fc.check(fc.property(reply, body => {
      tried++
      try {
        side.decodeResponse(body, req)
      } catch (err) {
        const code = (err as { code?: unknown }).code
        if (typeof code !== 'string' || !code.startsWith('SWY_ERR_UPSTREAM')) throw new Error(`decodeResponse threw ${(err as Error).name}: ${(err as Error).message}`, { cause: err })
      }
    }), { seed: SEED, numRuns: 10_000, interruptAfterTimeLimit: TIME_LIMIT_MS / 2 })
    t.comment(`${backend} decodeResponse: ${tried} inputs`)
    t.notOk(details.failed, report(details))
  }
})
