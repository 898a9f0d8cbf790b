// SSE frame encoding (src/sse/encoder.ts): data with line breaks becomes several `data:` lines,
// as the SSE spec reassembles them; a frame flagged `json` is one line by contract and written
// as it is; comments lose their line breaks; an event name with a line break is refused.
import t from 'tap'
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { encodeSseFrame, encodeSseText } from '../../../src/sse/encoder.js'

function parse (text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = []
  const parser = createParser({ onEvent: e => { events.push(e) } })
  parser.feed(text)
  return events
}

t.test('multi-line data is split into data lines and reads back whole', async t => {
  const text = encodeSseText({ event: 'x', data: 'one\ntwo\n\nfour' })
  t.equal(text, 'event: x\ndata: one\ndata: two\ndata: \ndata: four\n\n')
  t.same(parse(text).map(e => [e.event, e.data]), [['x', 'one\ntwo\n\nfour']])
  t.equal(encodeSseText({ data: 'a\nb' }), 'data: a\ndata: b\n\n')
})

t.test('a json frame is written as one data line, unsearched', async t => {
  t.equal(encodeSseText({ data: '{"a":"b\\nc"}', json: true }), 'data: {"a":"b\\nc"}\n\n')
  t.equal(encodeSseText({ event: 'e', data: '{"a":1}', json: true }), 'event: e\ndata: {"a":1}\n\n')
  // The flag is a promise the encoders keep (stream-encoders.test.ts checks their frames):
  // broken, it shows as a torn event, which is why only JSON text is flagged.
  t.same(parse(encodeSseText({ data: 'a\nb', json: true })).map(e => e.data), ['a'])
})

t.test('comments, raw frames and event names', async t => {
  t.equal(encodeSseText({ data: '', comment: 'keep\r\nalive' }), ': keep  alive\n\n')
  t.equal(encodeSseText({ data: '[1,\n2]', raw: true }), '[1,\n2]')
  t.throws(() => encodeSseText({ event: 'a\nb', data: '{}' }), TypeError)
  t.throws(() => encodeSseText({ event: 'a\rb', data: '{}' }), TypeError)
  t.equal(encodeSseFrame({ data: 'é' }).toString('utf8'), 'data: é\n\n')
})
