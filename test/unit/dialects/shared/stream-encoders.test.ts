// Properties every client stream encoder must keep, whatever the text: the hand-assembled JSON
// (precomputed prefixes + one stringify per delta) always parses, one line per frame (frames
// flagged `json` are written without a line-break check, src/sse/encoder.ts), and the
// deltas concatenate back to the input. Ids and models with quotes/unicode included.
import fc from 'fast-check'
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import { dialect as anthropic } from '../../../../src/dialects/anthropic/index.js'
import { dialect as gemini } from '../../../../src/dialects/gemini/index.js'
import { dialect as chat } from '../../../../src/dialects/openai-chat/index.js'
import { dialect as responses } from '../../../../src/dialects/openai-responses/index.js'
import type { ClientSide } from '../../../../src/dialects/types.js'
import { encodeAll, REQUEST } from '../scenarios.js'

type Json = Record<string, unknown>
const get = (v: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Json)[k] : undefined), v)

/** Each dialect's way of reading the text deltas back out of its frames. */
const TEXT_OF: ReadonlyArray<[string, ClientSide, (data: unknown) => unknown]> = [
  ['openai-chat', chat.client, d => get(d, 'choices', 0, 'delta', 'content')],
  ['openai-responses', responses.client, d => get(d, 'type') === 'response.output_text.delta' ? get(d, 'delta') : undefined],
  ['anthropic', anthropic.client, d => get(d, 'delta', 'type') === 'text_delta' ? get(d, 'delta', 'text') : undefined],
  ['gemini', gemini.client, d => get(d, 'candidates', 0, 'finishReason') === undefined ? get(d, 'candidates', 0, 'content', 'parts', 0, 'text') : undefined],
]

const script = (id: string, model: string, deltas: string[], args: string): CanonicalEvent[] => [
  { type: 'message-start', id, model, created: 1 },
  { type: 'block-start', index: 0, kind: 'text' },
  ...deltas.map((delta): CanonicalEvent => ({ type: 'text-delta', index: 0, delta })),
  { type: 'block-end', index: 0 },
  { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'c"1', toolName: 'f' },
  { type: 'tool-input-delta', index: 1, delta: args },
  { type: 'block-end', index: 1 },
  { type: 'message-end', finish: { reason: 'stop' } },
]

for (const [name, client, textOf] of TEXT_OF) {
  t.test(name + ': frames always parse and text round-trips', async t => {
    fc.assert(fc.property(
      fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' })),
      fc.dictionary(fc.string(), fc.string({ unit: 'binary' })),
      (id, model, deltas, args) => {
        const frames = encodeAll(client.createStreamEncoder(REQUEST), script(id, model, deltas, JSON.stringify(args)))
        let text = ''
        for (const f of frames) {
          if (f.data.includes('\n') || f.data.includes('\r')) return false
          if (f.data === '[DONE]') continue
          const piece = textOf(JSON.parse(f.data))
          if (typeof piece === 'string') text += piece
        }
        return text === deltas.join('')
      },
    ), { numRuns: 200 })
    t.pass('property holds')
  })
}
