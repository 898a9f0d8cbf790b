// PROTOCOLS.md §7 hard cases about streamed replies, Chat ⇄ Anthropic, end to end through the
// app: 1-5, 16-20, 28, 33. Each case asserts the behaviour §7 asks for on the bytes or on what
// the official SDK's accumulator returns.
import { APIError } from 'openai'
import t from 'tap'
import { json } from '../../helpers/mock-upstream.js'
import {
  anthBlock, anthEvent, anthMessageStart, anthPayloads, ANTH_REQUEST, anthropicClient, anthSse, anthText, anthTool, chatChunk,
  chatDeltas, chatPayloads, chatSse, chatToolArgs, chatToolStart, CHAT_DONE, CHAT_REQUEST, CHAT_USAGE, chatUsageChunk, CREATED,
  EVENT_STREAM, openaiClient, parseSse, post, rig, upstreamBody,
} from './fixtures.js'

type Json = Record<string, unknown>

/** Text, input JSON and thinking each block of an Anthropic stream carried, by block. */
function anthBlocks (text: string): Array<{ type: string, id?: string, name?: string, text: string }> {
  const out: Array<{ type: string, id?: string, name?: string, text: string }> = []
  for (const { data } of anthPayloads(text)) {
    if (data.type === 'content_block_start') {
      const b = data.content_block as Json
      out.push({ type: b.type as string, ...(b.id === undefined ? {} : { id: b.id as string, name: b.name as string }), text: '' })
    } else if (data.type === 'content_block_delta') {
      const d = data.delta as Json
      const last = out[data.index as number]
      if (last !== undefined) last.text += (d.text ?? d.partial_json ?? d.thinking ?? '') as string
    }
  }
  return out
}

/** Per Chat tool slot: the concatenated arguments, in slot order. */
function chatCalls (text: string): Array<{ id?: string, name?: string, args: string }> {
  const out: Array<{ id?: string, name?: string, args: string }> = []
  for (const d of chatDeltas(text)) {
    for (const tc of (d.tool_calls as Array<{ index: number, id?: string, function?: { name?: string, arguments?: string } }> | undefined) ?? []) {
      const slot = out[tc.index] ??= { args: '' }
      if (tc.id !== undefined) slot.id = tc.id
      if (tc.function?.name !== undefined) slot.name = tc.function.name
      slot.args += tc.function?.arguments ?? ''
    }
  }
  return out
}

const stopReason = (text: string): unknown => (anthPayloads(text).find(p => p.data.type === 'message_delta')?.data.delta as Json | undefined)?.stop_reason
const finishReasons = (text: string): unknown[] => chatPayloads(text).flatMap(c => ((c.choices as Json[] | undefined) ?? []).map(ch => ch.finish_reason)).filter(r => r !== null)

t.test('hard-case-1: argument fragments are not JSON on their own', async t => {
  // Odd spacing and key order: any parse/re-serialise along the way would change these bytes.
  const args = '{ "city" : "Paris",  "days":[1, 2] ,"a":null}'
  const fragments = ['{ "ci', 'ty" : "Pa', 'ris",  "da', 'ys":[1', ', 2] ,"a":n', 'ull}']
  t.ok(fragments.every(f => { try { JSON.parse(f); return false } catch { return true } }), 'no fragment parses alone')

  t.test('ANTH client, CHAT backend', async t => {
    const { app } = await rig(t, 'openai-chat', chatSse([chatToolStart(0, 'call_1', 'get_weather'), ...fragments.map(f => chatToolArgs(0, f)), chatChunk({}, 'tool_calls')]))
    const raw = await post(app, '/v1/messages', ANTH_REQUEST)
    t.equal(anthBlocks(raw.text)[0]?.text, args, 'input_json_delta fragments concatenate to the exact upstream text')
    const final = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    t.same(final.content[0]?.type === 'tool_use' ? final.content[0].input : undefined, { city: 'Paris', days: [1, 2], a: null })
  })

  t.test('CHAT client, ANTH backend', async t => {
    const { app } = await rig(t, 'anthropic', anthSse(anthTool(0, 'toolu_1', 'get_weather', fragments), 'tool_use'))
    const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
    t.equal(chatCalls(raw.text)[0]?.args, args, 'argument fragments concatenate to the exact upstream text')
    const final = await openaiClient(app).chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion()
    const call = final.choices[0]?.message.tool_calls?.[0]
    t.same(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined, { city: 'Paris', days: [1, 2], a: null })
  })
})

t.test('hard-case-2: parallel calls are neither glued nor dropped', async t => {
  const calls = [['call_a', 'get_weather', '{"city":"NY"}'], ['call_b', 'get_time', '{"tz":"EST"}'], ['call_c', 'get_news', '{}']] as const

  t.test('ANTH client, CHAT backend', async t => {
    const { app } = await rig(t, 'openai-chat', chatSse([
      ...calls.flatMap(([id, name, args], i) => [chatToolStart(i, id, name), chatToolArgs(i, args.slice(0, 3)), chatToolArgs(i, args.slice(3))]),
      chatChunk({}, 'tool_calls'),
    ]))
    const raw = await post(app, '/v1/messages', ANTH_REQUEST)
    t.same(anthBlocks(raw.text).map(b => [b.id, b.name, b.text]), calls.map(c => [...c]), 'three tool_use blocks, each with its own input')
    t.notMatch(raw.text, /\}\{/, 'no glued arguments')
  })

  t.test('CHAT client, ANTH backend', async t => {
    const { app } = await rig(t, 'anthropic', anthSse(calls.flatMap(([id, name, args], i) => anthTool(i, id, name, [args.slice(0, 4), args.slice(4)])), 'tool_use'))
    const final = await openaiClient(app).chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion()
    const got = (final.choices[0]?.message.tool_calls ?? []).map(c => c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : [])
    t.same(got, calls.map(c => [...c]), 'three calls, none glued or dropped')
  })
})

t.test('hard-case-3: upstream index quirks are normalised to dense 0-based blocks', async t => {
  t.test('1-based indexes, null ids/names on continuations', async t => {
    const { app } = await rig(t, 'openai-chat', chatSse([
      chatChunk({ tool_calls: [{ index: 1, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chatChunk({ tool_calls: [{ index: 1, id: null, type: null, function: { name: null, arguments: '{"city":"Paris"}' } }] }),
      chatChunk({ tool_calls: [{ index: 2, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":' } }] }),
      chatChunk({ tool_calls: [{ index: 2, id: null, function: { name: null, arguments: '"UTC"}' } }] }),
      chatChunk({}, 'tool_calls'),
    ]))
    const raw = await post(app, '/v1/messages', ANTH_REQUEST)
    const starts = anthPayloads(raw.text).filter(p => p.data.type === 'content_block_start').map(p => p.data.index)
    t.same(starts, [0, 1], 'block indexes 0 and 1')
    t.same(anthBlocks(raw.text).map(b => [b.id, b.name, b.text]), [['call_a', 'get_weather', '{"city":"Paris"}'], ['call_b', 'get_time', '{"tz":"UTC"}']])
  })

  t.test('no index at all; id only on the first fragment', async t => {
    const { app } = await rig(t, 'openai-chat', chatSse([
      chatChunk({ tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city"' } }] }),
      chatChunk({ tool_calls: [{ function: { arguments: ':"Oslo"}' } }] }),
      chatChunk({ tool_calls: [{ id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
      chatChunk({ tool_calls: [{ function: { arguments: '{"tz":"CET"}' } }] }),
      chatChunk({}, 'tool_calls'),
    ]))
    const final = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    t.same(final.content.map(b => b.type === 'tool_use' ? [b.id, b.name, b.input] : b.type), [['call_a', 'get_weather', { city: 'Oslo' }], ['call_b', 'get_time', { tz: 'CET' }]])
  })

  t.test('every call under index 0 with its own id; two whole calls in one delta', async t => {
    const { app } = await rig(t, 'openai-chat', chatSse([
      chatChunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"n":1}' } }] }),
      chatChunk({ tool_calls: [{ index: 0, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{"n":2}' } }] }),
      chatChunk({ tool_calls: [
        { index: 2, id: 'call_c', type: 'function', function: { name: 'h', arguments: '{"n":3}' } },
        { index: 3, id: 'call_d', type: 'function', function: { name: 'k', arguments: '{"n":4}' } },
      ] }),
      chatChunk({}, 'tool_calls'),
    ]))
    const raw = await post(app, '/v1/messages', ANTH_REQUEST)
    t.same(anthPayloads(raw.text).filter(p => p.data.type === 'content_block_start').map(p => p.data.index), [0, 1, 2, 3], 'dense block indexes')
    t.same(anthBlocks(raw.text).map(b => [b.id, b.name, b.text]), [['call_a', 'f', '{"n":1}'], ['call_b', 'g', '{"n":2}'], ['call_c', 'h', '{"n":3}'], ['call_d', 'k', '{"n":4}']])
  })
})

t.test('hard-case-4: reasoning and content in one upstream chunk become two blocks, thinking first', async t => {
  const { app } = await rig(t, 'openai-chat', chatSse([chatChunk({ reasoning_content: 'Let me think.', content: 'The answer.' }), chatChunk({}, 'stop')]))
  const raw = await post(app, '/v1/messages', ANTH_REQUEST)
  const seq = anthPayloads(raw.text).map(p => p.data.type === 'content_block_delta' ? (p.data.delta as Json).type : p.data.type === 'content_block_start' ? 'start:' + ((p.data.content_block as Json).type as string) : p.data.type)
  t.same(seq.slice(seq.indexOf('start:thinking'), seq.indexOf('message_delta')), [
    'start:thinking', 'thinking_delta', 'signature_delta', 'content_block_stop', 'start:text', 'text_delta', 'content_block_stop',
  ], 'thinking closed before text opens')
  const final = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
  t.same(final.content.map(b => b.type === 'thinking' ? ['thinking', b.thinking] : b.type === 'text' ? ['text', b.text] : [b.type]), [['thinking', 'Let me think.'], ['text', 'The answer.']])
})

t.test('hard-case-5: a reply with tool calls always ends with the tool reason', async t => {
  t.test('CHAT upstream says stop → ANTH client gets tool_use', async t => {
    const upstreamJson = { id: 'chatcmpl-1', object: 'chat.completion', created: CREATED, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'stop' }], usage: CHAT_USAGE }
    const { app } = await rig(t, 'openai-chat', r => JSON.parse(r.body.toString()).stream === true
      ? chatSse([chatToolStart(0, 'call_1', 'f'), chatToolArgs(0, '{}'), chatChunk({}, 'stop')])
      : json(upstreamJson))
    t.equal(stopReason((await post(app, '/v1/messages', ANTH_REQUEST)).text), 'tool_use', 'streamed')
    const whole = await anthropicClient(app).messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
    t.equal(whole.stop_reason, 'tool_use', 'whole')
  })

  t.test('ANTH upstream says end_turn → CHAT client gets tool_calls', async t => {
    const upstreamJson = { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }
    const { app } = await rig(t, 'anthropic', r => JSON.parse(r.body.toString()).stream === true
      ? anthSse(anthTool(0, 'toolu_1', 'f', ['{}']), 'end_turn')
      : json(upstreamJson))
    t.same(finishReasons((await post(app, '/v1/chat/completions', CHAT_REQUEST)).text), ['tool_calls'], 'streamed')
    const whole = await openaiClient(app).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    t.equal(whole.choices[0]?.finish_reason, 'tool_calls', 'whole')
  })
})

t.test('hard-case-16: a mid-stream Anthropic error event reaches the client as an error, not a 500 or a clean end', async t => {
  const { app } = await rig(t, 'anthropic', {
    headers: EVENT_STREAM,
    frames: [
      anthMessageStart(),
      ...anthText(0, ['Some text']),
      anthEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ],
  })
  const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.equal(raw.status, 200, 'the stream had started: no HTTP 500')
  t.match(chatPayloads(raw.text).at(-1), { error: { message: 'Overloaded', type: 'server_error', code: 'server_overloaded' } }, 'the error kind survives (overloaded, not a generic error)')
  t.same(finishReasons(raw.text), [], 'no made-up finish')
  const err = await (async () => {
    try {
      for await (const _ of await openaiClient(app).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })) { /* drain */ }
    } catch (e) { return e }
    return undefined
  })()
  t.ok(err instanceof APIError, 'openai-node throws APIError')
})

t.test('hard-case-17: UTF-8 split across network chunks, at every byte of a tool argument', async t => {
  const word = 'é你好🌍'
  const args = JSON.stringify({ q: word })
  const stream = Buffer.from((chatSse([chatToolStart(0, 'call_u', 'search'), chatToolArgs(0, args), chatChunk({}, 'tool_calls')]).frames as string[]).join(''))
  const at = stream.indexOf(Buffer.from(word))
  let cut = at
  const { app } = await rig(t, 'openai-chat', () => ({ headers: EVENT_STREAM, frames: [stream.subarray(0, cut), stream.subarray(cut)], frameDelayMs: 1 }))
  for (cut = at + 1; cut < at + Buffer.byteLength(word); cut++) {
    const raw = await post(app, '/v1/messages', ANTH_REQUEST)
    t.equal(anthBlocks(raw.text)[0]?.text, args, `cut at byte ${cut - at}: arguments intact, no U+FFFD`)
  }
})

t.test('hard-case-18: SSE records split mid-line, CR-only and CRLF line ends, multi-line data', async t => {
  const lf = (chatSse([chatChunk({ content: 'Hello' }), chatChunk({ content: ' there' }), chatChunk({}, 'stop')]).frames as string[]).join('')
  const records = lf.split('\n\n').filter(r => r !== '')
  // Record 1 with CR line ends, record 2 with its JSON over two data: lines, the rest CRLF.
  const mixed = records.map((r, i) => {
    if (i === 1) return r + '\r\r'
    if (i === 2) return r.replace(/,"model"/, '\ndata: ,"model"') + '\n\n'
    return r + '\r\n\r\n'
  }).join('')
  // Cut between every \r and \n, and in the middle of each line.
  const bytes = Buffer.from(mixed)
  const cuts = new Set<number>()
  for (let i = 1; i < bytes.length; i++) if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) cuts.add(i)
  for (let i = 40; i < bytes.length; i += 97) cuts.add(i)
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), bytes.length]
  const frames = sorted.slice(1).map((end, i) => bytes.subarray(sorted[i], end))
  let mode: 'lf' | 'mixed' = 'lf'
  const { app } = await rig(t, 'openai-chat', () => mode === 'lf' ? { headers: EVENT_STREAM, frames: [lf] } : { headers: EVENT_STREAM, frames, frameDelayMs: 1 })
  const reference = await post(app, '/v1/messages', ANTH_REQUEST)
  mode = 'mixed'
  const got = await post(app, '/v1/messages', ANTH_REQUEST)
  t.ok(frames.length > 10, 'many cuts')
  t.equal(anthBlocks(got.text)[0]?.text, 'Hello there')
  t.equal(got.text, reference.text, 'identical to the LF-framed stream')
})

t.test('hard-case-19: the usage-only chunk', async t => {
  t.test('ANTH client, CHAT upstream usage chunk with choices:[] (and one without choices)', async t => {
    for (const usageFrame of [chatUsageChunk({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }), 'data: ' + JSON.stringify({ id: 'chatcmpl-up1', object: 'chat.completion.chunk', created: CREATED, model: 'up-model', usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }) + '\n\n']) {
      const { app, upstream } = await rig(t, 'openai-chat', { headers: EVENT_STREAM, frames: [chatChunk({ role: 'assistant', content: 'hi' }), chatChunk({}, 'stop'), usageFrame, CHAT_DONE] })
      const raw = await post(app, '/v1/messages', ANTH_REQUEST)
      t.match(anthPayloads(raw.text).find(p => p.data.type === 'message_delta')?.data, { usage: { input_tokens: 5, output_tokens: 3 } }, 'usage read, no crash')
      t.equal(anthPayloads(raw.text).at(-1)?.data.type, 'message_stop')
      t.match(upstreamBody(upstream), { stream: true, stream_options: { include_usage: true } }, 'usage always asked of the upstream')
    }
  })

  t.test('CHAT client, ANTH backend: usage chunk only when asked, always with choices:[]', async t => {
    const { app } = await rig(t, 'anthropic', anthSse(anthText(0, ['x']), 'end_turn'))
    const asked = chatPayloads((await post(app, '/v1/chat/completions', { ...CHAT_REQUEST, stream_options: { include_usage: true } })).text)
    t.same(asked.filter(c => c.usage !== undefined && c.usage !== null).map(c => c.choices), [[]], 'one usage chunk, choices:[]')
    t.ok(asked.every(c => Array.isArray(c.choices)), 'every chunk has a choices array')
    const notAsked = chatPayloads((await post(app, '/v1/chat/completions', CHAT_REQUEST)).text)
    t.notOk(notAsked.some(c => c.usage !== undefined && c.usage !== null), 'not forced on a client that did not ask')
  })
})

t.test('hard-case-20: the first Chat chunk carries role:"assistant"', async t => {
  const { app } = await rig(t, 'anthropic', anthSse(anthTool(0, 'toolu_1', 'f', ['{"a":1}']), 'tool_use'))
  const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
  t.match(chatDeltas(raw.text)[0], { role: 'assistant' }, 'role on the first delta')
  const final = await openaiClient(app).chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion()
  t.equal(final.choices[0]?.message.role, 'assistant', 'no "missing role for choice 0"')

  t.test('and an upstream Chat stream that never sends a role still works for ANTH clients', async t => {
    const { app } = await rig(t, 'openai-chat', { headers: EVENT_STREAM, frames: [chatChunk({ content: 'no role here' }), chatChunk({}, 'stop'), CHAT_DONE] })
    const final = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    t.equal(final.role, 'assistant')
    t.equal(final.content[0]?.type === 'text' ? final.content[0].text : undefined, 'no role here')
  })
})

t.test('hard-case-28: empty-string optional arguments pass through verbatim (no schema-aware cleanup)', async t => {
  // Switchyard's choice (§7.1): tool arguments are streamed as they come, never parsed and
  // rewritten, so `"pages":""` from a Chat model reaches the Anthropic client as sent.
  const args = '{"file_path":"/tmp/a.pdf","pages":""}'
  const { app } = await rig(t, 'openai-chat', chatSse([chatToolStart(0, 'call_r', 'Read'), chatToolArgs(0, args), chatChunk({}, 'tool_calls')]))
  const raw = await post(app, '/v1/messages', { ...ANTH_REQUEST, tools: [{ name: 'Read', input_schema: { type: 'object', properties: { file_path: { type: 'string' }, pages: { type: 'string' } }, required: ['file_path'] } }] })
  t.equal(anthBlocks(raw.text)[0]?.text, args)
})

t.test('hard-case-33: upstream keep-alive comments are dropped, never re-wrapped as data; no id: fields', async t => {
  t.test('ANTH client, CHAT backend', async t => {
    const { app } = await rig(t, 'openai-chat', { headers: EVENT_STREAM, frames: [': OPENROUTER PROCESSING\n\n', chatChunk({ role: 'assistant', content: '' }), ': keepalive\n\n', chatChunk({ content: 'ok' }), chatChunk({}, 'stop'), CHAT_DONE] })
    const raw = await post(app, '/v1/messages', ANTH_REQUEST)
    t.notMatch(raw.text, /data: :|OPENROUTER/, 'no comment re-wrapped as data')
    const records = parseSse(raw.text)
    t.notOk(records.some(r => r.fields.includes('id')), 'no id: fields')
    t.ok(records.filter(r => r.data !== undefined).every(r => r.event === (JSON.parse(r.data as string) as Json).type), 'every data record is a typed Anthropic event')
    const final = await anthropicClient(app).messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    t.equal(final.content[0]?.type === 'text' ? final.content[0].text : undefined, 'ok')
  })

  t.test('CHAT client, ANTH backend', async t => {
    const { app } = await rig(t, 'anthropic', { headers: EVENT_STREAM, frames: [': OPENROUTER PROCESSING\n\n', anthMessageStart(), ...anthBlock(0, { type: 'text', text: '' }, [{ type: 'text_delta', text: 'ok' }]).flatMap(f => [f, ': keepalive\n\n']), ...anthSse([], 'end_turn').frames!.slice(2) as string[]] })
    const raw = await post(app, '/v1/chat/completions', CHAT_REQUEST)
    t.notMatch(raw.text, /data: :|OPENROUTER/, 'no comment re-wrapped as data')
    t.notOk(parseSse(raw.text).some(r => r.fields.includes('id')), 'no id: fields')
    const chunks = await (async () => {
      let text = ''
      for await (const c of await openaiClient(app).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })) text += c.choices[0]?.delta.content ?? ''
      return text
    })()
    t.equal(chunks, 'ok', 'openai-node parses every record (no "Could not parse message into JSON")')
  })
})


