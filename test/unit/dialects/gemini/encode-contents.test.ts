// Canonical messages → Gemini `contents` (PROTOCOLS.md §4.1 turn rules, §6.2, §6.5, §6.6,
// §7.10-12, §7.32, §7.34; conformance case 37).
import t from 'tap'
import type { AssistantPart, CanonicalMessage, ToolResultPart, UserPart } from '../../../../src/canonical/request.js'
import { encodeContents, LEADING_USER_TEXT, UNSIGNED_CALL_SIGNATURE } from '../../../../src/dialects/gemini/encode-contents.js'
import { DOCUMENT_PLACEHOLDER, IMAGE_PLACEHOLDER } from '../../../../src/dialects/gemini/encode-results.js'
import { mintCallId } from '../../../../src/dialects/gemini/call-ids.js'
import { MISSING_RESULT } from '../../../../src/dialects/shared/orphan-calls.js'

const user = (...parts: UserPart[]): CanonicalMessage => ({ role: 'user', parts })
const model = (...parts: AssistantPart[]): CanonicalMessage => ({ role: 'assistant', parts })
const text = (s: string): { type: 'text', text: string } => ({ type: 'text', text: s })
const call = (id: string, name: string, args = '{}'): AssistantPart => ({ type: 'tool-call', id, name, arguments: args })
const result = (toolCallId: string, output: string, extra: Partial<ToolResultPart> = {}): ToolResultPart =>
  ({ type: 'tool-result', toolCallId, content: [text(output)], ...extra })

t.test('alternation: empty text and empty messages dropped, same-role runs merged (§7.34)', async t => {
  t.strictSame(encodeContents([
    user(text('a')),
    model(text('')),
    user(text('b'), text('')),
    model(text('x'), { type: 'refusal', text: 'no' }),
    model(text('y')),
    user(),
  ]), [
    { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
    { role: 'model', parts: [{ text: 'x' }, { text: 'no' }, { text: 'y' }] },
  ])
})

t.test('a conversation starting with a model turn gets a minimal leading user turn (§7.11)', async t => {
  t.strictSame(encodeContents([model(text('Hello, how can I help?')), user(text('hi'))]), [
    { role: 'user', parts: [{ text: LEADING_USER_TEXT }] },
    { role: 'model', parts: [{ text: 'Hello, how can I help?' }] },
    { role: 'user', parts: [{ text: 'hi' }] },
  ])
  t.strictSame(encodeContents([model({ type: 'reasoning', text: 'foreign', signature: { family: 'anthropic', value: 's' } }), user(text('hi'))]),
    [{ role: 'user', parts: [{ text: 'hi' }] }], 'a model turn left empty is no leading model turn')
})

t.test('case 37: two calls + two tool messages → model Content with both calls (signature on the first), ONE user Content with two named responses', async t => {
  const a = mintCallId(undefined, 'sig-A')
  const b = 'call_plain'
  const contents = encodeContents([
    user(text('weather and time?')),
    model(call(a, 'get_weather', '{"city":"Paris"}'), call(b, 'get_time', '')),
    // Chat clients send one tool message each, results without names; the decoder may split them.
    user(result(a, 'sunny')),
    user(result(b, '12:00')),
  ])
  t.strictSame(contents, [
    { role: 'user', parts: [{ text: 'weather and time?' }] },
    {
      role: 'model',
      parts: [
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-A' },
        { functionCall: { name: 'get_time', args: {} } },
      ],
    },
    {
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
        { functionResponse: { name: 'get_time', response: { output: '12:00' } } },
      ],
    },
  ])
})

t.test('responses follow call order, then the user message\'s other parts; names come from the calls', async t => {
  const contents = encodeContents([
    user(text('go')),
    model(text('Checking.'), call('c1', 'f'), call('c2', 'g')),
    user(text('and hurry'), result('c2', 'G'), result('c1', 'F', { name: 'wrong-name-ignored' })),
  ])
  t.strictSame(contents[2], {
    role: 'user',
    parts: [
      { functionResponse: { name: 'f', response: { output: 'F' } } },
      { functionResponse: { name: 'g', response: { output: 'G' } } },
      { text: 'and hurry' },
    ],
  })
})

t.test('ids: functionCall.id and functionResponse.id only for Gemini-minted ids (§6.5)', async t => {
  const minted = mintCallId('gem-1', undefined)
  const both = mintCallId('gem-2', 'sig-2')
  const contents = encodeContents([
    user(text('go')),
    model(call(minted, 'f'), call(both, 'g'), call('toolu_01', 'h')),
    user(result(minted, '1'), result(both, '2'), result('toolu_01', '3')),
  ])
  t.strictSame(contents[1]?.parts, [
    { functionCall: { id: 'gem-1', name: 'f', args: {} } },
    { functionCall: { id: 'gem-2', name: 'g', args: {} }, thoughtSignature: 'sig-2' },
    { functionCall: { name: 'h', args: {} } },
  ])
  t.strictSame(contents[2]?.parts, [
    { functionResponse: { id: 'gem-1', name: 'f', response: { output: '1' } } },
    { functionResponse: { id: 'gem-2', name: 'g', response: { output: '2' } } },
    { functionResponse: { name: 'h', response: { output: '3' } } },
  ])
})

t.test('signatures: gemini-family part signature replayed, foreign ones never; minted id wins', async t => {
  const contents = encodeContents([
    user(text('go')),
    model(
      { type: 'reasoning', text: 'mine', signature: { family: 'gemini', value: 'g-sig' } },
      { type: 'reasoning', text: 'theirs', signature: { family: 'anthropic', value: 'a-sig' } },
      { type: 'reasoning', text: 'unsigned' },
      { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}', signature: { family: 'gemini', value: 'call-sig' } },
      { type: 'tool-call', id: 'c2', name: 'g', arguments: '{}', signature: { family: 'openai', value: 'enc' } },
      { type: 'tool-call', id: mintCallId(undefined, 'minted-sig'), name: 'h', arguments: '{}', signature: { family: 'gemini', value: 'other' } },
    ),
  ])
  t.strictSame(contents[1]?.parts, [
    { text: 'mine', thought: true, thoughtSignature: 'g-sig' },
    { functionCall: { name: 'f', args: {} }, thoughtSignature: 'call-sig' },
    { functionCall: { name: 'g', args: {} } },
    { functionCall: { name: 'h', args: {} }, thoughtSignature: 'minted-sig' },
  ])
  t.notMatch(JSON.stringify(contents), /a-sig|enc|theirs|unsigned/)
})

t.test('orphan calls get a synthesised error response, also when the conversation ends on calls (§7.32)', async t => {
  const contents = encodeContents([
    user(text('go')),
    model(call('a', 'f'), call('b', 'g')),
    user(text('[interrupted]'), result('b', 'ok')),
    model(call('c', 'h')),
  ])
  t.strictSame(contents.slice(2), [
    {
      role: 'user',
      parts: [
        { functionResponse: { name: 'f', response: { error: MISSING_RESULT } } },
        { functionResponse: { name: 'g', response: { output: 'ok' } } },
        { text: '[interrupted]' },
      ],
    },
    { role: 'model', parts: [{ functionCall: { name: 'h', args: {} } }] },
    { role: 'user', parts: [{ functionResponse: { name: 'h', response: { error: MISSING_RESULT } } }] },
  ])
})

t.test('result payloads: joined text, error flag, media placeholders, text documents', async t => {
  const contents = encodeContents([
    user(text('go')),
    model(call('a', 'f'), call('b', 'g'), call('c', 'h')),
    user(
      { type: 'tool-result', toolCallId: 'a', content: [text('one'), { type: 'image', url: 'data:image/png;base64,AAAA' }, text('two')] },
      { type: 'tool-result', toolCallId: 'b', content: [text('boom')], isError: true },
      { type: 'tool-result', toolCallId: 'c', content: [{ type: 'document', text: 'doc text' }, { type: 'document', url: 'https://x/y.pdf' }] },
    ),
  ])
  t.strictSame(contents[2]?.parts, [
    { functionResponse: { name: 'f', response: { output: 'one\n\n' + IMAGE_PLACEHOLDER + '\n\ntwo' } } },
    { functionResponse: { name: 'g', response: { error: 'boom' } } },
    { functionResponse: { name: 'h', response: { output: 'doc text\n\n' + DOCUMENT_PLACEHOLDER } } },
  ])
})

t.test('custom calls wrap raw input; namespaced calls and their responses use the flattened name', async t => {
  const contents = encodeContents([
    user(text('go')),
    model(
      { type: 'tool-call', id: 'p', name: 'apply_patch', arguments: '*** Begin Patch', toolKind: 'custom' },
      { type: 'tool-call', id: 'n', name: 'read', arguments: '{"a":1}', namespace: 'fs' },
    ),
    user(result('p', 'done'), result('n', 'data')),
  ])
  t.strictSame(contents[1]?.parts, [
    { functionCall: { name: 'apply_patch', args: { input: '*** Begin Patch' } } },
    { functionCall: { name: 'fs__read', args: { a: 1 } } },
  ])
  t.strictSame(contents[2]?.parts, [
    { functionResponse: { name: 'apply_patch', response: { output: 'done' } } },
    { functionResponse: { name: 'fs__read', response: { output: 'data' } } },
  ])
})

t.test('user media: inline data, URLs with guessed mime types, documents', async t => {
  const contents = encodeContents([user(
    { type: 'image', url: 'data:IMAGE/PNG;base64,iVBO', detail: 'high', cacheControl: { type: 'ephemeral' } },
    { type: 'image', url: 'https://example.com/cat.webp?size=2#x' },
    { type: 'image', url: 'https://example.com/render' },
    { type: 'document', url: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' },
    { type: 'document', url: 'https://example.com/notes.TXT' },
    { type: 'document', url: 'https://example.com/download' },
    { type: 'document', text: 'plain text', title: 'T' },
  )])
  t.strictSame(contents[0]?.parts, [
    { inlineData: { mimeType: 'image/png', data: 'iVBO' } },
    { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=2#x' } },
    { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
    { inlineData: { mimeType: 'application/pdf', data: 'JVBE' } },
    { fileData: { mimeType: 'text/plain', fileUri: 'https://example.com/notes.TXT' } },
    { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/download' } },
    { text: 'plain text' },
  ])
})

t.test('400s name the canonical part', async t => {
  const args = (a: string): CanonicalMessage[] => [user(text('go')), model(text('ok')), user(text('again')), model(text('x'), call('c', 'f', a))]
  t.throws(() => encodeContents(args('{"a":')), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[3].parts[1].arguments' })
  t.throws(() => encodeContents(args('[1]')), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[3].parts[1].arguments' })
  t.throws(() => encodeContents([user(text('go')), model(call('a', 'f')), user(text('x'), result('zzz', 'r'))]),
    { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[2].parts[1]' }, 'a result answering no call of the previous model turn')
  t.throws(() => encodeContents([user(text('go'), result('a', 'r'))]), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[0].parts[1]' }, 'a result with no call at all')
  t.throws(() => encodeContents([user(text('go')), model(call('a', 'f')), user(result('a', '1')), user(result('a', '2'))]),
    { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[3].parts[0]' }, 'a call answered twice')
  t.throws(() => encodeContents([user({ type: 'image', url: 'data:image/png,raw' })]), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[0].parts[0]' })
  t.throws(() => encodeContents([user({ type: 'document' })]), { code: 'SWY_ERR_CONVERT_INVALID', field: 'messages[0].parts[0]' })
})

t.test('Gemini 3: a turn of unsigned calls (from another backend) gets the stand-in on its first call (§7.12)', async t => {
  const history = [user(text('go')), model(call('toolu_A', 'a'), call('toolu_B', 'b')), user(result('toolu_A', '1'), result('toolu_B', '2'))]
  const signedTurn = encodeContents(history, true)[1]!
  t.strictSame(signedTurn.parts.map(p => (p as { thoughtSignature?: string }).thoughtSignature), [UNSIGNED_CALL_SIGNATURE, undefined])
  t.strictSame(encodeContents(history)[1]!.parts.map(p => (p as { thoughtSignature?: string }).thoughtSignature), [undefined, undefined], 'older models: nothing added')
  const own = [user(text('go')), model(call(mintCallId(undefined, 'real'), 'a'), call('toolu_B', 'b')), user(result(mintCallId(undefined, 'real'), '1'), result('toolu_B', '2'))]
  t.strictSame(encodeContents(own, true)[1]!.parts.map(p => (p as { thoughtSignature?: string }).thoughtSignature), ['real', undefined], 'a real signature is never replaced')
})
