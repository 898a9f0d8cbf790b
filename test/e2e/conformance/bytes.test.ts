// PROTOCOLS.md §10 conformance cases 40 (sse-utf8-split) and 41 (sse-line-split-crlf), for Chat
// and Anthropic clients in front of the other dialect: upstream bytes cut inside multi-byte
// characters and inside CRLF line ends must translate exactly as the uncut stream does.
import t from 'tap'
import type { ServerResponse } from 'node:http'
import {
  anthEnd, anthMessageStart, byteByByte, dribble, anthPayloads, anthText, anthTool, ANTH_REQUEST, chatChunk, chatPayloads,
  chatSse, chatText, chatToolArgs, chatToolStart, CHAT_DONE, CHAT_REQUEST, chatUsageChunk, CHAT_USAGE, EVENT_STREAM, post, rig,
} from './fixtures.js'

const WORD = '你好🌍'
const WORD_BYTES = Buffer.byteLength(WORD)
const TEXT_PIECES = ['A', WORD, 'B']
const ARGS = JSON.stringify({ q: WORD })

/** Every byte of every occurrence of WORD becomes its own frame; the rest stays in between. */
function cutInsideWord (stream: string): Buffer[] {
  const bytes = Buffer.from(stream)
  const needle = Buffer.from(WORD)
  const frames: Buffer[] = []
  let from = 0
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + WORD_BYTES)) {
    if (at > from) frames.push(bytes.subarray(from, at))
    for (let i = at; i < at + WORD_BYTES; i++) frames.push(bytes.subarray(i, i + 1))
    from = at + WORD_BYTES
  }
  frames.push(bytes.subarray(from))
  return frames
}

const split = (frames: Buffer[]) => (_r: unknown, res: ServerResponse) => dribble(res, frames)

// An Anthropic upstream: text with the word, then a tool call whose arguments hold it too.
const ANTH_UPSTREAM = [
  anthMessageStart(),
  ...anthText(0, TEXT_PIECES),
  ...anthTool(1, 'toolu_Utf8', 'search', [ARGS.slice(0, 4), ARGS.slice(4)]),
  ...anthEnd('tool_use'),
].join('')

// A Chat upstream with the same content.
const CHAT_UPSTREAM = (chatSse([
  ...TEXT_PIECES.map(content => chatChunk({ content })),
  chatToolStart(0, 'call_utf8', 'search'),
  chatToolArgs(0, ARGS.slice(0, 4)),
  chatToolArgs(0, ARGS.slice(4)),
  chatChunk({}, 'tool_calls'),
]).frames as string[]).join('')

function chatArgs (text: string): string {
  return chatPayloads(text).flatMap(c => (c.choices as Array<{ delta: { tool_calls?: Array<{ function?: { arguments?: string } }> } }>) ?? [])
    .flatMap(ch => ch.delta.tool_calls ?? []).map(tc => tc.function?.arguments ?? '').join('')
}

function anthStreamed (text: string): { text: string, args: string } {
  let out = ''
  let args = ''
  for (const { data } of anthPayloads(text)) {
    if (data.type !== 'content_block_delta') continue
    const d = data.delta as { type: string, text?: string, partial_json?: string }
    if (d.type === 'text_delta') out += d.text
    if (d.type === 'input_json_delta') args += d.partial_json
  }
  return { text: out, args }
}

/** Output bytes with the per-run clock values (`created`) normalised. */
const stable = (text: string): string => text.replace(/"created":\d+/g, '"created":0')

t.test('sse-utf8-split — CHAT client, ANTH backend', async t => {
  const frames = cutInsideWord(ANTH_UPSTREAM)
  t.ok(frames.filter(f => f.length === 1).length >= 2 * WORD_BYTES, 'the word is cut at every byte boundary, in text and in arguments')
  const { app } = await rig(t, 'anthropic', split(frames))
  const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.notOk(raw.text.includes('\uFFFD'), 'no U+FFFD')
  t.equal(chatText(raw.text), 'A' + WORD + 'B', 'text intact')
  t.equal(chatArgs(raw.text), ARGS, 'tool arguments intact')
  t.same(JSON.parse(chatArgs(raw.text)), { q: WORD })
})

t.test('sse-utf8-split — ANTH client, CHAT backend', async t => {
  const frames = cutInsideWord(CHAT_UPSTREAM)
  t.ok(frames.filter(f => f.length === 1).length >= 2 * WORD_BYTES)
  const { app } = await rig(t, 'openai-chat', split(frames))
  const raw = await post(app, '/v1/messages', ANTH_REQUEST)
  t.notOk(raw.text.includes('\uFFFD'), 'no U+FFFD')
  const got = anthStreamed(raw.text)
  t.equal(got.text, 'A' + WORD + 'B', 'text intact')
  t.equal(got.args, ARGS, 'tool arguments intact')
})

t.test('sse-utf8-split — every single split point, CHAT client, ANTH backend', async t => {
  // One request per cut position inside the word (text occurrence), two chunks each.
  const bytes = Buffer.from(ANTH_UPSTREAM)
  const at = bytes.indexOf(Buffer.from(WORD))
  let cut = at
  const { app } = await rig(t, 'anthropic', (r, res) => split([bytes.subarray(0, cut), bytes.subarray(cut)])(r, res))
  for (cut = at + 1; cut < at + WORD_BYTES; cut++) {
    const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
    t.equal(chatText(raw.text), 'A' + WORD + 'B', `cut at byte ${cut - at} of the word`)
  }
})

t.test('sse-line-split-crlf — CHAT client, ANTH backend', async t => {
  const crlf = [
    ': keepalive\r\n\r\n',
    anthMessageStart().replace(/\n/g, '\r\n'),
    ...anthText(0, ['Line one, ', WORD]).map(f => f.replace(/\n/g, '\r\n')),
    ': OPENROUTER PROCESSING\r\n\r\n',
    ...anthTool(1, 'toolu_crlf', 'search', [ARGS]).map(f => f.replace(/\n/g, '\r\n')),
    ...anthEnd('tool_use').map(f => f.replace(/\n/g, '\r\n')),
  ].join('')
  const lf = [anthMessageStart(), ...anthText(0, ['Line one, ', WORD]), ...anthTool(1, 'toolu_crlf', 'search', [ARGS]), ...anthEnd('tool_use')].join('')
  let mode: 'crlf' | 'lf' = 'lf'
  const { app } = await rig(t, 'anthropic', (r, res) => mode === 'lf' ? { headers: EVENT_STREAM, frames: [lf] } : split(byteByByte(crlf))(r, res))
  const reference = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  mode = 'crlf'
  const got = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.equal(chatText(got.text), 'Line one, ' + WORD)
  t.equal(chatArgs(got.text), ARGS)
  t.equal(stable(got.text), stable(reference.text), 'identical translated output')
  t.notMatch(got.text, /OPENROUTER|\r/, 'upstream comments and CRs do not leak')
})

t.test('sse-line-split-crlf — ANTH client, CHAT backend', async t => {
  const frames = [
    ': OPENROUTER PROCESSING\r\n\r\n',
    chatChunk({ role: 'assistant', content: '' }, null, '\r\n'),
    chatChunk({ content: 'Line one, ' }, null, '\r\n'),
    ': keepalive\r\n\r\n',
    chatChunk({ content: WORD }, null, '\r\n'),
    chatChunk({ tool_calls: [{ index: 0, id: 'call_crlf', type: 'function', function: { name: 'search', arguments: ARGS } }] }, null, '\r\n'),
    chatChunk({}, 'tool_calls', '\r\n'),
    chatUsageChunk(CHAT_USAGE, '\r\n'),
    'data: [DONE]\r\n\r\n',
  ].join('')
  const lf = [
    chatChunk({ role: 'assistant', content: '' }),
    chatChunk({ content: 'Line one, ' }),
    chatChunk({ content: WORD }),
    chatChunk({ tool_calls: [{ index: 0, id: 'call_crlf', type: 'function', function: { name: 'search', arguments: ARGS } }] }),
    chatChunk({}, 'tool_calls'),
    chatUsageChunk(CHAT_USAGE),
    CHAT_DONE,
  ].join('')
  let mode: 'crlf' | 'lf' = 'lf'
  const { app } = await rig(t, 'openai-chat', (r, res) => mode === 'lf' ? { headers: EVENT_STREAM, frames: [lf] } : split(byteByByte(frames))(r, res))
  const reference = await post(app, '/v1/messages', ANTH_REQUEST)
  mode = 'crlf'
  const got = await post(app, '/v1/messages', ANTH_REQUEST)
  t.same(anthStreamed(got.text), { text: 'Line one, ' + WORD, args: ARGS })
  t.equal(got.text, reference.text, 'identical translated output')
  t.notMatch(got.text, /OPENROUTER|\r/, 'upstream comments and CRs do not leak')
  t.match(got.text, /event: message_stop\n/)
})
