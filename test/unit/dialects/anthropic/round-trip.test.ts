// Property: an Anthropic request decoded to canonical form and encoded for an Anthropic backend
// keeps everything both sides carry — system blocks, messages (text, tool_use ids and inputs,
// tool_result pairing, thinking signatures byte-exact, redacted data), tools, thinking config.
import fc from 'fast-check'
import { isDeepStrictEqual } from 'node:util'
import t from 'tap'
import { decodeRequest } from '../../../../src/dialects/anthropic/decode-request.js'
import { encodeRequest } from '../../../../src/dialects/anthropic/encode-request.js'
import type { MessagesBody } from '../../../../src/dialects/anthropic/wire-request.js'

const OP = { dialect: 'anthropic', operation: 'messages' } as const
const text = fc.string({ minLength: 1, unit: 'binary' }).filter(s => !s.startsWith('x-anthropic-billing-header:'))
const cache = fc.option(fc.constantFrom({ type: 'ephemeral' }, { type: 'ephemeral', ttl: '1h' }), { nil: undefined })
const withCache = <T extends object>(block: T, cc: object | undefined) => cc === undefined ? block : { ...block, cache_control: cc }
const textBlock = fc.tuple(text, cache).map(([t, cc]) => withCache({ type: 'text', text: t }, cc))
const toolId = fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/)
const name = fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/)
// JSON-exact values only (no -0, no undefined): what a real tool input holds.
const input = fc.dictionary(fc.string(), fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4, noNullPrototype: true })
const signature = fc.string({ minLength: 1, unit: 'binary' }).filter(s => !s.startsWith('swy1.'))
const thinking = fc.oneof(
  fc.tuple(fc.string({ unit: 'binary' }), signature).map(([th, sig]) => ({ type: 'thinking', thinking: th, signature: sig })),
  signature.map(data => ({ type: 'redacted_thinking', data })),
)
const call = fc.record({ id: toolId, name, input }).map(c => ({ type: 'tool_use', ...c }))

/** One turn: a user message (answering the previous turn's calls first), then an assistant message. */
const turn = fc.record({
  userText: fc.array(textBlock, { minLength: 1, maxLength: 2 }),
  resultText: fc.array(fc.tuple(text, fc.option(fc.boolean(), { nil: undefined })), { minLength: 3, maxLength: 3 }),
  thinking: fc.array(thinking, { maxLength: 2 }),
  text: fc.array(textBlock, { maxLength: 2 }),
  calls: fc.uniqueArray(call, { maxLength: 3, selector: c => c.id }),
}).filter(tr => tr.thinking.length + tr.text.length + tr.calls.length > 0)

type Turn = typeof turn extends fc.Arbitrary<infer T> ? T : never

function conversation (turns: readonly Turn[]): object[] {
  const messages: object[] = []
  let pending: Array<{ id: string }> = []
  for (const tr of turns) {
    const results = pending.map((c, i) => {
      const [content, isError] = tr.resultText[i % 3]!
      return isError === undefined ? { type: 'tool_result', tool_use_id: c.id, content } : { type: 'tool_result', tool_use_id: c.id, content, is_error: isError }
    })
    messages.push({ role: 'user', content: [...results, ...tr.userText] })
    messages.push({ role: 'assistant', content: [...tr.thinking, ...tr.text, ...tr.calls] })
    pending = tr.calls
  }
  return messages
}

const tool = fc.record({
  name,
  description: fc.option(fc.string(), { nil: undefined }),
  props: fc.dictionary(fc.string(), fc.constantFrom({ type: 'string' }, { type: 'number' }), { maxKeys: 3, noNullPrototype: true }),
  cc: cache,
}).map(({ name, description, props, cc }) => withCache({
  name,
  ...(description === undefined ? {} : { description }),
  input_schema: { type: 'object', properties: props },
}, cc))

const thinkingConfig = fc.oneof(
  fc.constant({}),
  fc.integer({ min: 1024, max: 20000 }).map(budget => ({ thinking: { type: 'enabled', budget_tokens: budget }, max_tokens: budget + 1000 })),
  fc.constant({ thinking: { type: 'disabled' } }),
  fc.constantFrom('low', 'medium', 'high', 'xhigh', 'max').map(effort => ({ thinking: { type: 'adaptive' }, output_config: { effort } })),
)

t.test('decodeRequest → encodeRequest keeps what both sides carry', async t => {
  fc.assert(fc.property(
    fc.array(textBlock, { maxLength: 3 }), fc.array(turn, { minLength: 1, maxLength: 4 }), fc.array(tool, { maxLength: 3 }), thinkingConfig,
    (system, turns, tools, config) => {
      const body = {
        model: 'claude',
        max_tokens: 4096,
        ...(system.length === 0 ? {} : { system }),
        messages: conversation(turns),
        ...(tools.length === 0 ? {} : { tools }),
        stream: true,
        ...config,
      }
      const out = encodeRequest(decodeRequest(body, OP), { model: 'claude', defaultMaxTokens: 1 }).body as MessagesBody
      // The last assistant turn's calls are answered by a synthesised user message (§7.32).
      const last = turns.at(-1)!.calls
      const messages = last.length === 0
        ? body.messages
        : [...body.messages, { role: 'user', content: last.map(c => ({ type: 'tool_result', tool_use_id: c.id, content: 'tool result missing', is_error: true })) }]
      const expected = { ...body, messages }
      if (isDeepStrictEqual(out, expected)) return true
      t.strictSame(out, expected, 'round trip')
      return false
    },
  ), { numRuns: 150 })
  t.pass('property holds')
})
