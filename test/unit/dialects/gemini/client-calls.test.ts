// Gemini client history with function calls and responses → canonical (PROTOCOLS.md §4.1, §6.5,
// §6.6; conformance case 36), media parts (§6.2), and the 400s naming the part.
import t, { type Test } from 'tap'
import { decodeRequest } from '../../../../src/dialects/gemini/decode-request.js'
import type { ClientOperation } from '../../../../src/dialects/types.js'

const OP: ClientOperation = { dialect: 'gemini', operation: 'generate', pathModel: 'g1' }
const user = (...parts: object[]) => ({ role: 'user', parts })
const model = (...parts: object[]) => ({ role: 'model', parts })
const messages = (...contents: object[]) => decodeRequest({ contents }, OP).messages
const fails = (t: Test, contents: object[], message: string, code = 'SWY_ERR_CONVERT_INVALID') =>
  t.throws(() => decodeRequest({ contents }, OP), { message, code, statusCode: 400 }, message)

const weather = { functionCall: { name: 'get_weather', args: { city: 'Paris' } } }
const time = { functionCall: { name: 'get_time' } }

t.test('case 36: two calls, one Content with two responses, no ids: paired by order and name', async t => {
  t.strictSame(messages(
    user({ text: 'Weather and time?' }),
    model(weather, time),
    user({ functionResponse: { name: 'get_time', response: { output: '12:00' } } }, { functionResponse: { name: 'get_weather', response: { temp: 21 } } }),
  ), [
    { role: 'user', parts: [{ type: 'text', text: 'Weather and time?' }] },
    {
      role: 'assistant',
      parts: [
        { type: 'tool-call', id: 'call_1_0', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'call_1_1', name: 'get_time', arguments: '{}' },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool-result', toolCallId: 'call_1_1', name: 'get_time', content: [{ type: 'text', text: '12:00' }] },
        { type: 'tool-result', toolCallId: 'call_1_0', name: 'get_weather', content: [{ type: 'text', text: '{"temp":21}' }] },
      ],
    },
  ])
})

t.test('same name twice pairs in order; the ids are unique across turns', async t => {
  const out = messages(
    user({ text: 'q' }),
    model(weather, weather),
    user({ functionResponse: { name: 'get_weather', response: { output: 'a' } } }, { functionResponse: { name: 'get_weather', response: { output: 'b' } } }),
    model(weather),
    user({ functionResponse: { name: 'get_weather', response: { output: 'c' } } }),
  )
  t.strictSame(out.flatMap(m => m.parts.map(p => p.type === 'tool-call' ? p.id : p.type === 'tool-result' ? p.toolCallId : '-')),
    ['-', 'call_1_0', 'call_1_1', 'call_1_0', 'call_1_1', 'call_3_0', 'call_3_0'])
})

t.test('ids: the call id is kept and the response pairs by it, whatever the order', async t => {
  const out = messages(
    user({ text: 'q' }),
    model({ functionCall: { id: 'toolu_A', name: 'f', args: {} } }, { functionCall: { id: 'toolu_B', name: 'f', args: { x: 1 } } }),
    user({ functionResponse: { id: 'toolu_B', name: 'f', response: { output: 'b' } } }, { functionResponse: { id: 'toolu_A', name: 'f', response: { output: 'a' } } }),
  )
  t.strictSame(out[1]?.parts.map(p => p.type === 'tool-call' && p.id), ['toolu_A', 'toolu_B'])
  t.strictSame(out[2]?.parts, [
    { type: 'tool-result', toolCallId: 'toolu_B', name: 'f', content: [{ type: 'text', text: 'b' }] },
    { type: 'tool-result', toolCallId: 'toolu_A', name: 'f', content: [{ type: 'text', text: 'a' }] },
  ])
})

t.test('consecutive model Contents (one per streamed chunk) are one turn', async t => {
  const out = messages(user({ text: 'q' }), model({ text: 'Checking.' }), model(weather), model(time), model({ text: '' }),
    user({ functionResponse: { name: 'get_weather', response: { output: 'x' } } }, { functionResponse: { name: 'get_time', response: { output: 'y' } } }))
  t.equal(out.length, 3)
  t.strictSame(out[1]?.parts.map(p => p.type), ['text', 'tool-call', 'tool-call'])
  t.strictSame(out[2]?.parts.map(p => p.type === 'tool-result' && p.toolCallId), ['call_2_0', 'call_3_0'])
})

t.test('response unwrapping: output, content, error, anything else as JSON; media parts', async t => {
  const results = messages(
    user({ text: 'q' }),
    model(weather, weather, weather, weather, weather, weather),
    user(
      { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
      { functionResponse: { name: 'get_weather', response: { content: 'rainy' } } },
      { functionResponse: { name: 'get_weather', response: { error: 'no such city' } } },
      { functionResponse: { name: 'get_weather', response: { error: { code: 404 } } } },
      { functionResponse: { name: 'get_weather', response: { output: 'a', extra: 1 } } },
      { functionResponse: { name: 'get_weather', response: { output: '' }, parts: [{ inlineData: { mimeType: 'image/png', data: 'AA' } }] } },
    ),
  )[2]?.parts
  t.strictSame(results?.map(p => p.type === 'tool-result' && [p.content, p.isError]), [
    [[{ type: 'text', text: 'sunny' }], undefined],
    [[{ type: 'text', text: 'rainy' }], undefined],
    [[{ type: 'text', text: 'no such city' }], true],
    [[{ type: 'text', text: '{"code":404}' }], true],
    [[{ type: 'text', text: '{"output":"a","extra":1}' }], undefined],
    [[{ type: 'image', url: 'data:image/png;base64,AA' }], undefined],
  ])
})

t.test('inlineData and fileData: images, PDF, text; http(s) files', async t => {
  const text = Buffer.from('héllo').toString('base64')
  t.strictSame(messages(user(
    { inlineData: { mimeType: 'application/pdf', data: 'JVBE', displayName: 'a.pdf' } },
    { inline_data: { mime_type: 'text/markdown', data: text } },
    { fileData: { mimeType: 'image/jpeg', fileUri: 'https://x.test/i.jpg' } },
    { file_data: { mime_type: 'application/pdf', file_uri: 'https://x.test/d.pdf', display_name: 'd' } },
  ))[0]?.parts, [
    { type: 'document', url: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' },
    { type: 'document', text: 'héllo' },
    { type: 'image', url: 'https://x.test/i.jpg' },
    { type: 'document', url: 'https://x.test/d.pdf', filename: 'd' },
  ])
})

t.test('400s name the part', async t => {
  fails(t, [user({ functionResponse: { name: 'f', response: {} } })],
    "contents[0].parts[0].functionResponse: answers no functionCall named 'f' of the preceding model turn")
  fails(t, [user({ text: 'q' }), model(weather), user({ functionResponse: { name: 'get_time', response: {} } })],
    "contents[2].parts[0].functionResponse: answers no functionCall named 'get_time' of the preceding model turn")
  fails(t, [user({ text: 'q' }), model(weather), user({ functionResponse: { id: 'zz', name: 'other', response: {} } })],
    "contents[2].parts[0].functionResponse: answers no functionCall with id 'zz' or named 'other' of the preceding model turn")
  fails(t, [user({ text: 'q' }), model(weather),
    user({ functionResponse: { name: 'get_weather', response: {} } }, { functionResponse: { name: 'get_weather', response: {} } })],
  "contents[2].parts[1].functionResponse: answers no functionCall named 'get_weather' of the preceding model turn")
  fails(t, [user({ text: 'q' }), model({ functionCall: { name: 'f', args: [1] } })], 'contents[1].parts[0].functionCall.args: must be an object')
  fails(t, [user({ text: 'q' }), model({ functionCall: { args: {} } })], 'contents[1].parts[0].functionCall.name: required')
  fails(t, [user({ text: 'q' }), model({ functionResponse: { name: 'f', response: {} } })],
    'contents[1].parts[0].functionResponse: function responses belong to user turns')
  fails(t, [user({ text: 'q' }), model(weather), user({ functionResponse: { name: 'get_weather', response: 'sunny' } })],
    'contents[2].parts[0].functionResponse.response: must be an object')
  fails(t, [user({ inlineData: { mimeType: 'audio/wav', data: 'AA' } })],
    "contents[0].parts[0].inlineData.mimeType: 'audio/wav' has no portable form; images, PDF and text/* only", 'SWY_ERR_CONVERT_UNSUPPORTED')
  fails(t, [user({ fileData: { mimeType: 'application/pdf', fileUri: 'gs://b/d.pdf' } })],
    'contents[0].parts[0].fileData.fileUri: only http(s) URLs can be carried to a non-Gemini backend', 'SWY_ERR_CONVERT_UNSUPPORTED')
  fails(t, [user({ fileData: { fileUri: 'https://x.test/d' } })], 'contents[0].parts[0].fileData.mimeType: required')
  fails(t, [user({ inlineData: { mimeType: 'text/plain', data: Buffer.from([0xff, 0xfe]).toString('base64') } })],
    'contents[0].parts[0].inlineData.data: a text/* document must be UTF-8 text')
  fails(t, [user({ text: 'q' }), model(weather), user({ functionResponse: { name: 'get_weather', response: {}, willContinue: true } })],
    'contents[2].parts[0].functionResponse.willContinue: not supported yet', 'SWY_ERR_CONVERT_UNSUPPORTED')
})
