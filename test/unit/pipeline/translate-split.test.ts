// The translated hot path against byte splitting (PROTOCOLS.md §0, §7.17, §7.18; conformance
// 40-41): a fixed upstream byte stream — a Chat stream with text, two tool calls and usage, an
// Anthropic stream with thinking, text and a tool call, each with LF and with CRLF line ends —
// cut into chunks anywhere (inside multi-byte UTF-8 characters, between `\r` and `\n`) must give
// byte-identical client output to the uncut stream, through the Translator, for both client
// dialects.
import fc from 'fast-check'
import t from 'tap'
import type { CanonicalRequest } from '../../../src/canonical/request.js'
import { dialect as anthropic } from '../../../src/dialects/anthropic/index.js'
import { dialect as openaiChat } from '../../../src/dialects/openai-chat/index.js'
import { Translator } from '../../../src/pipeline/translator.js'
import {
  anthEnd, anthMessageStart, anthText, anthThinking, anthTool, chatChunk, chatToolArgs, chatToolStart, chatUsageChunk,
} from '../../e2e/conformance/fixtures.js'

const REQUEST: CanonicalRequest = { model: 'client-model', system: [], messages: [], stream: true, includeUsage: true }
const DIALECTS = { 'openai-chat': openaiChat, anthropic } as const
type DialectId = keyof typeof DIALECTS

const crlf = (s: string): string => s.replace(/\n/g, '\r\n')

const CHAT_LF = [
  chatChunk({ role: 'assistant', content: '' }),
  chatChunk({ content: 'Héllo — ' }),
  chatChunk({ content: '你好🌍!' }),
  chatToolStart(0, 'call_a', 'get_weather'),
  chatToolArgs(0, '{"city":"Zürich'),
  chatToolArgs(0, ' 🌧"}'),
  chatToolStart(1, 'call_b', 'search'),
  chatToolArgs(1, '{"q":"日本語"}'),
  chatChunk({}, 'tool_calls'),
  chatUsageChunk({ prompt_tokens: 31, completion_tokens: 17, total_tokens: 48, prompt_tokens_details: { cached_tokens: 8 } }),
  'data: [DONE]\n\n',
].join('')

const ANTH_LF = [
  anthMessageStart({ input_tokens: 20, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 4 }),
  ...anthThinking(0, ['Thinking in 中文', ' — ok 🤔'], 'EqQBCkgIARABGAIiQL2pY1sig'),
  ...anthText(1, ['Answer: ', '你好🌍']),
  ...anthTool(2, 'toolu_01X', 'search', ['{"q":"', 'ñandú 🦤"}']),
  ...anthEnd('tool_use', { output_tokens: 42 }),
].join('')

const UPSTREAMS: ReadonlyArray<{ name: string, backend: DialectId, bytes: Buffer }> = [
  { name: 'Chat LF', backend: 'openai-chat', bytes: Buffer.from(CHAT_LF) },
  { name: 'Chat CRLF', backend: 'openai-chat', bytes: Buffer.from(crlf(CHAT_LF)) },
  { name: 'Anthropic LF', backend: 'anthropic', bytes: Buffer.from(ANTH_LF) },
  { name: 'Anthropic CRLF', backend: 'anthropic', bytes: Buffer.from(crlf(ANTH_LF)) },
]

function translate (chunks: readonly Buffer[], backend: DialectId, client: DialectId): Buffer {
  let out = ''
  let ends = 0
  // The translator writes text, one string per upstream chunk's frames, and the last with the end.
  const sink = { write (text: string) { out += text }, end (text = '') { out += text; ends++ } }
  const tx = new Translator(DIALECTS[backend].backend.createStreamDecoder(REQUEST), DIALECTS[client].client.createStreamEncoder(REQUEST), sink, { keepaliveMs: 0, backend: 'b' })
  for (const c of chunks) tx.feed(c)
  tx.finish()
  if (ends !== 1) throw new Error(`the reply ended ${ends} times`)
  return Buffer.from(out)
}

function splitAt (bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts)].sort((a, b) => a - b)
  const out: Buffer[] = []
  let from = 0
  for (const p of points) { out.push(bytes.subarray(from, p)); from = p }
  out.push(bytes.subarray(from))
  return out
}

/** Cut points that land inside a UTF-8 character or between `\r` and `\n`. */
function trickyCuts (bytes: Buffer): number[] {
  const out: number[] = []
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i] as number
    if ((b & 0xc0) === 0x80 || (bytes[i - 1] === 0x0d && b === 0x0a)) out.push(i)
  }
  return out
}

// The Anthropic decoder stamps `created` from the clock; freeze it so outputs compare byte for byte.
const realNow = Date.now
Date.now = () => 1_700_000_000_000
t.teardown(() => { Date.now = realNow })

for (const up of UPSTREAMS) {
  for (const client of Object.keys(DIALECTS) as DialectId[]) {
    t.test(`${up.name} upstream → ${client} client`, async t => {
      const reference = translate([up.bytes], up.backend, client)
      const text = reference.toString('utf8')
      // The reference itself must be a complete, faithful reply, or identical outputs prove nothing.
      t.notOk(text.includes('\uFFFD'), 'no U+FFFD in the reference')
      t.match(text, client === 'anthropic' ? /event: message_stop\ndata: \{"type":"message_stop"\}\n\n$/ : /data: \[DONE\]\n\n$/, 'the reference completes')
      t.match(text, /你好🌍/, 'multi-byte text carried')
      t.match(text, up.backend === 'openai-chat' ? /日本語/ : /ñandú 🦤/, 'tool arguments carried')

      const tricky = trickyCuts(up.bytes)
      t.ok(tricky.length >= (up.name.endsWith('CRLF') ? 40 : 20), `${tricky.length} cut points inside characters (and CRLF pairs)`)

      const oneByOne = translate(splitAt(up.bytes, Array.from({ length: up.bytes.length - 1 }, (_, i) => i + 1)), up.backend, client)
      t.ok(oneByOne.equals(reference), 'one byte per chunk: byte-identical')

      const cut = fc.oneof(fc.integer({ min: 1, max: up.bytes.length - 1 }), fc.constantFrom(...tricky))
      await fc.assert(fc.asyncProperty(fc.array(cut, { minLength: 1, maxLength: 30 }), async cuts => {
        const got = translate(splitAt(up.bytes, cuts), up.backend, client)
        return got.equals(reference)
      }), { numRuns: 150 })
      t.pass('150 random splits: byte-identical output')
    })
  }
}
