// The delta template (src/dialects/shared/delta-template.ts): after learning one event it gives
// the string of an event that differs only there, and nothing for anything else — other text
// around the slot, an unescaped quote or a control character inside it, an empty string — so
// the decoder parses those in full. A cut the probe does not confirm is never used. A string it
// gives is a copy, like JSON.parse's, not a slice keeping the socket read alive.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import { DeltaTemplate, type SlotProbe } from '../../../../src/dialects/shared/delta-template.js'

const chunk = (text: string): string => '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":' + JSON.stringify(text) + '},"finish_reason":null}]}'
/** What a Chat decoder reads: choices[0].delta.content. */
const contentProbe: SlotProbe = candidate => {
  const value = (JSON.parse(candidate) as { choices: Array<{ delta: { content?: unknown } }> }).choices[0]?.delta.content
  return typeof value === 'string' ? value : undefined
}

function learnt (data = chunk('Hello'), key = 'content', probe = contentProbe): DeltaTemplate {
  const template = new DeltaTemplate()
  template.learn(data, key, probe)
  return template
}

t.test('an event that differs only in the slot gives its string, escapes decoded', async t => {
  const template = learnt()
  t.equal(template.match(chunk(' world')), ' world')
  t.equal(template.match(chunk('a "quoted" \\ line\nnext\ttab é 你 🌍')), 'a "quoted" \\ line\nnext\ttab é 你 🌍')
  t.equal(template.match(chunk('\u2028\u2029')), '\u2028\u2029', 'JSON passes U+2028/9 unescaped')
  t.equal(template.match('{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\\u00e9\\/"},"finish_reason":null}]}'), 'é/')
})

t.test('anything else misses', async t => {
  const template = learnt()
  t.equal(template.match(chunk('')), undefined, 'an empty string')
  t.equal(template.match(chunk('x').replace('"c1"', '"c2"')), undefined, 'another prefix')
  t.equal(template.match(chunk('x').replace('null', '"stop"')), undefined, 'another suffix')
  t.equal(template.match(chunk('x') + ' '), undefined, 'trailing text')
  const around = (raw: string): string => '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"' + raw + '"},"finish_reason":null}]}'
  t.equal(template.match(around('a","content":"b')), undefined, 'an unescaped quote: another structure (a second content key)')
  t.equal(template.match(around('a"},"finish_reason":"stop"}],"x":{"y":"')), undefined, 'an unescaped quote closing the string early')
  t.equal(template.match(around('tab\there')), undefined, 'a raw control character')
  t.equal(template.match(around('ends\\')), undefined, 'a trailing backslash escapes the closing quote')
  t.equal(template.match(around('\\x')), undefined, 'an invalid escape')
  t.equal(template.match('{"id":"c1"'), undefined, 'shorter than prefix and suffix')
})

t.test('whitespace around the key and its colon is found', async t => {
  const spaced = (text: string): string => '{ "choices" : [ { "delta" : { "content" :  ' + JSON.stringify(text) + ' } } ] }'
  const template = learnt(spaced('a'))
  t.equal(template.match(spaced('bc')), 'bc')
  t.equal(template.match(chunk('bc')), undefined, 'the compact layout is another layout')
})

t.test('the cut is used only when the probe confirms it', async t => {
  // `"content":"` also appears earlier, ending another key (`a"content`): the first candidate
  // cut is not the string the decoder reads, so the probe fails it and nothing is learnt.
  const tricky = (text: string): string => '{"a\\"content":"v","choices":[{"delta":{"content":' + JSON.stringify(text) + '}}]}'
  t.equal(contentProbe(tricky('a')), 'a')
  t.equal(learnt(tricky('a')).match(tricky('b')), undefined, 'a key ending in "content" comes first')
  const keyTwice = (text: string): string => '{"choices":[{"delta":{"content":"first","content":' + JSON.stringify(text) + '}}]}'
  t.equal(learnt(keyTwice('a')).match(keyTwice('b')), undefined, 'a duplicate key: the first cut is not what JSON.parse keeps, so nothing is learnt')
  const refusing: SlotProbe = () => undefined
  t.equal(learnt(chunk('a'), 'content', refusing).match(chunk('b')), undefined, 'a probe that says no')
  const throwing: SlotProbe = () => { throw new Error('not JSON') }
  t.equal(learnt(chunk('a'), 'content', throwing).match(chunk('b')), undefined, 'a probe that throws is a no, not an error')
  t.equal(learnt(chunk('a'), 'text').match(chunk('b')), undefined, 'no such key')
  t.equal(learnt('{"content":"unterminated', 'content', () => 'x').match('{"content":"b'), undefined, 'no closing quote')
})

t.test('a stream learns a few times, then stops trying', async t => {
  const template = new DeltaTemplate()
  let probes = 0
  const counting: SlotProbe = candidate => { probes++; return contentProbe(candidate) }
  for (let i = 0; i < 10; i++) {
    t.equal(template.learning, i < 4)
    template.learn(chunk('a').replace('"c1"', `"c${i}"`), 'content', counting)
  }
  t.equal(probes, 4)
  t.equal(template.match(chunk('z').replace('"c1"', '"c3"')), 'z', 'the last learnt template stays')
})

t.test('large events are not learnt', async t => {
  const big = (text: string): string => chunk(text).replace('"c1"', '"' + 'c'.repeat(5000) + '"')
  t.equal(learnt(big('a')).match(big('b')), undefined)
})

t.test('a matched string does not keep the socket read it was cut from', async t => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const template = learnt()
  // Each event is cut from a 256 KiB read, as eventsource-parser cuts its data from the decoded chunk.
  const kept: string[] = []
  gc()
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < 200; i++) {
    const event = chunk(`delta number ${i} with some text`)
    const read = event + ' '.repeat(256 * 1024) + i
    const text = template.match(read.slice(0, event.length))
    if (text !== undefined) kept.push(text)
  }
  gc()
  const grown = process.memoryUsage().heapUsed - before
  t.equal(kept.length, 200)
  t.equal(kept[7], 'delta number 7 with some text')
  t.ok(grown < 8 * 1024 * 1024, `200 kept deltas hold ${(grown / 1048576).toFixed(1)} MiB, not the 50 MiB of their reads`)
})
