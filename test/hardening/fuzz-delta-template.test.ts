// The stream decoders' delta template (src/dialects/shared/delta-template.ts) must never change
// what a decoder emits. fast-check generates upstream streams the template is built for and the
// edges it must refuse: runs of text, reasoning, refusal and tool deltas whose strings carry
// quotes, backslashes, line breaks, `","content":"` and non-ASCII (raw or `\uXXXX`-escaped, as
// Python's json.dumps writes it); compact and spaced layouts; a field that changes on every
// chunk (OpenAI's `obfuscation`); an id that changes mid-stream; text on the finish or usage
// chunk; finish, usage and error chunks; garbage. Each stream goes through two decoders of the same dialect: one as sent, one with every
// event given one more leading space than the last (still the same JSON, but no event can
// match a learnt prefix, so that decoder parses every event in full). Their events, and where
// and how they fail, must be identical — and the template must have taken part.
import fc from 'fast-check'
import t, { type Test } from 'tap'
import type { CanonicalEvent } from '../../src/canonical/events.js'
import { backendSide } from '../../src/dialects/registry.js'
import { DeltaTemplate } from '../../src/dialects/shared/delta-template.js'
import type { StreamDecoder } from '../../src/dialects/types.js'
import type { SseFrame } from '../../src/sse/frame.js'
import { checkWithFloor, FUZZ_REQUEST, MIN_RUNS } from '../helpers/fuzz.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const TIME_LIMIT_MS = Number(process.env.FC_TIME_MS ?? 3000)
const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED)
t.comment(`fast-check seed ${SEED} (replay with FC_SEED=${SEED})`)


// Count the template's hits, to show the property exercised it.
let hits = 0
const match = DeltaTemplate.prototype.match
DeltaTemplate.prototype.match = function (this: DeltaTemplate, data: string) {
  const text = match.call(this, data)
  if (text !== undefined) hits++
  return text
}

interface Layout { readonly spaced: boolean, readonly ascii: boolean }

/** JSON as upstreams write it: compact or with Python's `", "` / `": "`, non-ASCII raw or escaped. */
function serialise (value: Json, layout: Layout): string {
  const text = layout.spaced ? spacedJson(value) : JSON.stringify(value)
  return layout.ascii ? text.replace(/[\u0080-\uffff]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : text
}

function spacedJson (value: Json): string {
  if (Array.isArray(value)) return '[' + value.map(spacedJson).join(', ') + ']'
  if (value !== null && typeof value === 'object') return '{' + Object.entries(value).map(([k, v]) => JSON.stringify(k) + ': ' + spacedJson(v)).join(', ') + '}'
  return JSON.stringify(value)
}

const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Hel', 'lo', ' world', 'x', '🌍', 'é你', '"', '\\', '\n', '\t', '","content":"', '"},"finish_reason":"stop"}]}', '\u2028', '') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
)
/** Deltas of one kind in a row, as upstreams stream them. */
const run = fc.array(text, { minLength: 1, maxLength: 8 })

/** Each decoder gets the frames; the reference's events each start with one more space. */
function compare (make: () => StreamDecoder, frames: readonly SseFrame[]): void {
  const run = (decoder: StreamDecoder, spaced: boolean): { events: CanonicalEvent[], failure?: string } => {
    const events: CanonicalEvent[] = []
    const sink = (e: CanonicalEvent): void => { events.push(e) }
    try {
      frames.forEach((f, i) => {
        const data = spaced && f.data !== '' && f.data !== '[DONE]' ? ' '.repeat(i + 1) + f.data : f.data
        decoder.push({ ...f, data }, sink)
      })
      decoder.end(sink)
      return { events }
    } catch (err) {
      return { events, failure: `${(err as { code?: string }).code ?? ''} ${(err as Error).message}` }
    }
  }
  // The Anthropic decoder stamps message-start with the clock: the two runs may straddle a second.
  const same = (key: string, value: unknown): unknown => key === 'created' ? 0 : value
  const fast = run(make(), false)
  const full = run(make(), true)
  if (JSON.stringify(fast, same) !== JSON.stringify(full, same)) {
    throw new Error(`templated ${JSON.stringify(fast).slice(0, 1500)} | parsed ${JSON.stringify(full).slice(0, 1500)}`)
  }
}

function property (t: Test, name: string, make: () => StreamDecoder, frames: fc.Arbitrary<SseFrame[]>): void {
  let tried = 0
  const before = hits
  const details = checkWithFloor(fc.property(frames, f => { tried++; compare(make, f) }), { seed: SEED, numRuns: 100_000, timeLimitMs: TIME_LIMIT_MS })
  t.comment(`${name}: ${tried} streams, ${hits - before} templated events`)
  t.ok(tried >= MIN_RUNS, `${name}: thousands of streams`)
  t.ok(hits - before > tried, `${name}: the template took part (more than one templated event per stream on average)`)
  if (!details.failed) { t.pass(name); return }
  const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
  t.fail(`${name}: ${why} | seed ${details.seed} path ${details.counterexamplePath ?? ''} | counterexample: ${JSON.stringify(details.counterexample).slice(0, 3000)}`)
}

const decoderOf = (protocol: 'openai-chat' | 'anthropic'): (() => StreamDecoder) => {
  const side = backendSide(protocol)
  if (side === undefined) throw new Error('no backend side for ' + protocol)
  return () => side.createStreamDecoder(FUZZ_REQUEST)
}

// ---- Chat Completions ------------------------------------------------------------------------

type ChatStep =
  | { readonly kind: 'content' | 'reasoning_content' | 'reasoning' | 'refusal', readonly texts: readonly string[], readonly logprobs: boolean }
  | { readonly kind: 'both', readonly reasoning: string, readonly text: string }
  | { readonly kind: 'with-usage' | 'with-finish' | 'with-role', readonly texts: readonly string[] }
  | { readonly kind: 'tool', readonly id?: string, readonly name?: string, readonly args: string }
  | { readonly kind: 'finish' | 'usage' | 'error' | 'done' | 'garbage' | 'comment' | 'new-id' }

const chatStep: fc.Arbitrary<ChatStep> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constantFrom('content' as const, 'reasoning_content' as const, 'reasoning' as const, 'refusal' as const), texts: run, logprobs: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('both' as const), reasoning: text, text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('with-usage' as const, 'with-finish' as const, 'with-role' as const), texts: run }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tool' as const), id: fc.option(fc.constantFrom('call_1', 'call_2'), { nil: undefined }), name: fc.option(fc.constantFrom('get_weather', 'apply_patch'), { nil: undefined }), args: text }, { requiredKeys: ['kind', 'args'] }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('finish' as const, 'usage' as const, 'error' as const, 'done' as const, 'garbage' as const, 'comment' as const, 'new-id' as const) }) },
)

function chatFrames (steps: readonly ChatStep[], layout: Layout, obfuscated: boolean, seedText: string): SseFrame[] {
  let id = 'chatcmpl-1'
  let n = 0
  const chunk = (choice: Json, extra: Record<string, Json> = {}): SseFrame => {
    const body: Record<string, Json> = { id, object: 'chat.completion.chunk', created: 1, model: 'up', choices: choice === null ? [] : [choice], ...extra }
    if (obfuscated) body.obfuscation = seedText.slice(0, n++ % 5)
    return { data: serialise(body, layout) }
  }
  const frames: SseFrame[] = [chunk({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null })]
  for (const step of steps) {
    switch (step.kind) {
      case 'content': case 'reasoning_content': case 'reasoning': case 'refusal':
        for (const piece of step.texts) {
          const choice: Record<string, Json> = { index: 0, delta: { [step.kind]: piece }, finish_reason: null }
          if (step.logprobs) choice.logprobs = null
          frames.push(chunk(choice))
        }
        break
      case 'both': frames.push(chunk({ index: 0, delta: { reasoning_content: step.reasoning, content: step.text }, finish_reason: null })); break
      // vLLM's continuous usage, text on a finish chunk, a role on every chunk (each in a run).
      case 'with-usage': for (const piece of step.texts) frames.push(chunk({ index: 0, delta: { content: piece }, finish_reason: null }, { usage: { prompt_tokens: 3, completion_tokens: piece.length, total_tokens: 3 + piece.length } })); break
      case 'with-finish': for (const piece of step.texts) frames.push(chunk({ index: 0, delta: { content: piece }, finish_reason: 'stop' })); break
      case 'with-role': for (const piece of step.texts) frames.push(chunk({ index: 0, delta: { role: 'assistant', content: piece }, finish_reason: null })); break
      case 'tool': {
        const fn: Record<string, Json> = { arguments: step.args }
        if (step.name !== undefined) fn.name = step.name
        const call: Record<string, Json> = { index: 0, function: fn }
        if (step.id !== undefined) call.id = step.id
        frames.push(chunk({ index: 0, delta: { tool_calls: [call] }, finish_reason: null }))
        break
      }
      case 'finish': frames.push(chunk({ index: 0, delta: {}, finish_reason: 'stop' })); break
      case 'usage': frames.push(chunk(null, { usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } })); break
      case 'error': frames.push({ data: serialise({ error: { message: 'overloaded', type: 'server_error' } }, layout) }); break
      case 'done': frames.push({ data: '[DONE]' }); break
      case 'garbage': frames.push({ data: '{"choices":[{"delta":{"content":"x' }); break
      case 'comment': frames.push({ data: '', comment: 'keepalive' }); break
      case 'new-id': id += 'x'
    }
  }
  return frames
}

const chatStream = fc.tuple(
  fc.array(chatStep, { maxLength: 12 }),
  fc.record({ spaced: fc.boolean(), ascii: fc.boolean() }),
  fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  fc.string({ minLength: 5, maxLength: 5 }),
).map(([steps, layout, obfuscated, seedText]) => chatFrames(steps, layout, obfuscated, seedText))

t.test('Chat stream decoder: templated events decode as parsed ones', async t => {
  property(t, 'chat', decoderOf('openai-chat'), chatStream)
})

// ---- Anthropic Messages ----------------------------------------------------------------------

type AnthropicStep =
  | { readonly kind: 'start', readonly block: 'text' | 'thinking' | 'tool_use' | 'custom' | 'server_tool_use' }
  | { readonly kind: 'delta', readonly type: 'text_delta' | 'thinking_delta' | 'input_json_delta', readonly texts: readonly string[], readonly shift: boolean }
  | { readonly kind: 'stop' | 'signature' | 'ping' | 'message_delta' | 'message_stop' | 'error' | 'garbage' }

const anthropicStep: fc.Arbitrary<AnthropicStep> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('start' as const), block: fc.constantFrom('text' as const, 'thinking' as const, 'tool_use' as const, 'custom' as const, 'server_tool_use' as const) }) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('delta' as const), type: fc.constantFrom('text_delta' as const, 'thinking_delta' as const, 'input_json_delta' as const), texts: run, shift: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('stop' as const, 'signature' as const, 'ping' as const, 'message_delta' as const, 'message_stop' as const, 'error' as const, 'garbage' as const) }) },
)

const FIELD = { text_delta: 'text', thinking_delta: 'thinking', input_json_delta: 'partial_json' } as const

function anthropicFrames (steps: readonly AnthropicStep[], layout: Layout): SseFrame[] {
  const frame = (event: string, data: Json): SseFrame => ({ event, data: serialise(data, layout) })
  const frames: SseFrame[] = [frame('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'up', content: [], usage: { input_tokens: 3, output_tokens: 1 } } })]
  let index = -1
  for (const step of steps) {
    switch (step.kind) {
      case 'start': {
        index++
        const block: Record<string, Json> =
          step.block === 'text' ? { type: 'text', text: '' }
            : step.block === 'thinking' ? { type: 'thinking', thinking: '' }
              : step.block === 'server_tool_use' ? { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} }
                : { type: 'tool_use', id: 'toolu_' + index, name: step.block === 'custom' ? 'apply_patch' : 'get_weather', input: {} }
        frames.push(frame('content_block_start', { type: 'content_block_start', index, content_block: block }))
        break
      }
      case 'delta':
        for (const piece of step.texts) frames.push(frame('content_block_delta', { type: 'content_block_delta', index: step.shift ? index + 1 : index, delta: { type: step.type, [FIELD[step.type]]: piece } }))
        break
      case 'stop': frames.push(frame('content_block_stop', { type: 'content_block_stop', index })); break
      case 'signature': frames.push(frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'sig' } })); break
      case 'ping': frames.push(frame('ping', { type: 'ping' })); break
      case 'message_delta': frames.push(frame('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } })); break
      case 'message_stop': frames.push(frame('message_stop', { type: 'message_stop' })); break
      case 'error': frames.push(frame('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })); break
      case 'garbage': frames.push({ event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x' })
    }
  }
  return frames
}

const anthropicStream = fc.tuple(fc.array(anthropicStep, { maxLength: 12 }), fc.record({ spaced: fc.boolean(), ascii: fc.boolean() }))
  .map(([steps, layout]) => anthropicFrames(steps, layout))

t.test('Anthropic stream decoder: templated events decode as parsed ones', async t => {
  property(t, 'anthropic', decoderOf('anthropic'), anthropicStream)
})
