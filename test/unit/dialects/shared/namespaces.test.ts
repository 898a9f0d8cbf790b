// Responses namespaces on backends without them (shared/namespaces.ts): the flattening rules,
// and the Chat and Anthropic backend decoders splitting a called flat name back into name +
// namespace (non-streamed replies and streams alike), custom namespaced tools unwrapped too.
import t from 'tap'
import type { CanonicalEvent } from '../../../../src/canonical/events.js'
import type { CanonicalRequest } from '../../../../src/canonical/request.js'
import { decodeResponse as decodeAnthropic } from '../../../../src/dialects/anthropic/decode-response.js'
import { AnthropicStreamDecoder } from '../../../../src/dialects/anthropic/stream-decoder.js'
import { decodeResponse as decodeChat } from '../../../../src/dialects/openai-chat/decode-response.js'
import { ChatStreamDecoder } from '../../../../src/dialects/openai-chat/stream-decoder.js'
import { checkFlatNames, choiceToolName, flatToolName, namespacedTools } from '../../../../src/dialects/shared/namespaces.js'
import type { StreamDecoder } from '../../../../src/dialects/types.js'
import { REQUEST } from '../scenarios.js'

const REQ: CanonicalRequest = {
  ...REQUEST,
  tools: [
    { kind: 'function', name: 'lookup', namespace: 'crm' },
    { kind: 'custom', name: 'note', namespace: 'crm' },
    { kind: 'function', name: 'plain' },
    { kind: 'custom', name: 'apply_patch' },
  ],
}

function run (decoder: StreamDecoder, frames: readonly object[]): CanonicalEvent[] {
  const events: CanonicalEvent[] = []
  const sink = (e: CanonicalEvent) => { events.push(e) }
  for (const f of frames) decoder.push({ data: JSON.stringify(f) }, sink)
  decoder.end(sink)
  return events
}
const toolStarts = (events: readonly CanonicalEvent[]) => events.filter(e => e.type === 'block-start')
const toolInput = (events: readonly CanonicalEvent[], index: number) =>
  events.map(e => e.type === 'tool-input-delta' && e.index === index ? e.delta : '').join('')

t.test('flatToolName, namespacedTools, choiceToolName', async t => {
  t.equal(flatToolName('lookup', 'crm'), 'crm__lookup')
  t.equal(flatToolName('lookup', undefined), 'lookup')
  t.strictSame([...namespacedTools(REQ)], [
    ['crm__lookup', { namespace: 'crm', name: 'lookup', kind: 'function' }],
    ['crm__note', { namespace: 'crm', name: 'note', kind: 'custom' }],
  ])
  t.equal(namespacedTools(REQUEST).size, 0)
  const tools = REQ.tools ?? []
  t.equal(choiceToolName('note', tools), 'crm__note')
  t.equal(choiceToolName('plain', tools), 'plain')
  t.equal(choiceToolName('missing', tools), 'missing', 'an unknown name is left for the backend to judge')
  t.equal(choiceToolName('lookup', [...tools, { kind: 'function', name: 'lookup' }]), 'lookup', 'a plain tool of that name wins')
})

t.test('checkFlatNames: a flattened name equal to another tool name is rejected naming the later tool', async t => {
  checkFlatNames(REQ.tools ?? [])
  checkFlatNames([{ kind: 'function', name: 'x' }, { kind: 'function', name: 'x' }])
  t.throws(() => checkFlatNames([{ kind: 'function', name: 'b', namespace: 'a' }, { kind: 'custom', name: 'a__b' }]), {
    code: 'SWY_ERR_CONVERT_UNSUPPORTED', field: 'tools[1]',
    message: "tools[1]: namespaced tools are sent as '<namespace>__<name>'; 'a__b' is also the name of tools[0]",
  })
})

t.test('Chat reply: flat names split back; a namespaced custom tool is unwrapped; plain names untouched', async t => {
  const res = decodeChat({
    id: 'chatcmpl-1', choices: [{
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant', content: null, tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'crm__lookup', arguments: '{"q":1}' } },
          { id: 'c2', type: 'function', function: { name: 'crm__note', arguments: '{"input":"raw text"}' } },
          { id: 'c3', type: 'function', function: { name: 'plain', arguments: '{}' } },
          { id: 'c4', type: 'function', function: { name: 'crm__other', arguments: '{}' } },
        ],
      },
    }],
  }, REQ)
  t.strictSame(res.content, [
    { type: 'tool-call', id: 'c1', name: 'lookup', arguments: '{"q":1}', namespace: 'crm' },
    { type: 'tool-call', id: 'c2', name: 'note', arguments: 'raw text', toolKind: 'custom', namespace: 'crm' },
    { type: 'tool-call', id: 'c3', name: 'plain', arguments: '{}' },
    { type: 'tool-call', id: 'c4', name: 'crm__other', arguments: '{}' },
  ])
})

t.test('Chat stream: block-start carries toolName + toolNamespace; namespaced custom input unwrapped at the end', async t => {
  const chunk = (delta: object, finish: string | null = null) => ({ id: 'chatcmpl-1', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })
  const events = run(new ChatStreamDecoder(REQ), [
    chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'crm__lookup', arguments: '{"q"' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
    chunk({ tool_calls: [{ index: 1, id: 'c2', type: 'function', function: { name: 'crm__note', arguments: '{"input":' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: '"raw"}' } }] }, 'tool_calls'),
  ])
  t.strictSame(toolStarts(events), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'c1', toolName: 'lookup', toolNamespace: 'crm' },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'c2', toolName: 'note', toolKind: 'custom', toolNamespace: 'crm' },
  ])
  t.equal(toolInput(events, 0), '{"q":1}')
  t.equal(toolInput(events, 1), 'raw')
})

t.test('Anthropic reply: flat names split back; a namespaced custom tool is unwrapped', async t => {
  const res = decodeAnthropic({
    type: 'message', id: 'msg_1', model: 'claude', stop_reason: 'tool_use', content: [
      { type: 'tool_use', id: 'toolu_1', name: 'crm__lookup', input: { q: 1 } },
      { type: 'tool_use', id: 'toolu_2', name: 'crm__note', input: { input: 'raw text' } },
      { type: 'tool_use', id: 'toolu_3', name: 'apply_patch', input: { input: 'patch' } },
    ],
  }, REQ)
  t.strictSame(res.content, [
    { type: 'tool-call', id: 'toolu_1', name: 'lookup', arguments: '{"q":1}', namespace: 'crm' },
    { type: 'tool-call', id: 'toolu_2', name: 'note', arguments: 'raw text', toolKind: 'custom', namespace: 'crm' },
    { type: 'tool-call', id: 'toolu_3', name: 'apply_patch', arguments: 'patch', toolKind: 'custom' },
  ])
})

t.test('Anthropic stream: block-start carries toolName + toolNamespace; namespaced custom input unwrapped', async t => {
  const events = run(new AnthropicStreamDecoder(REQ), [
    { type: 'message_start', message: { id: 'msg_1', model: 'claude', usage: { input_tokens: 1, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'crm__lookup', input: {} } },
    { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_2', name: 'crm__note', input: {} } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"input":"raw"}' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } },
    { type: 'message_stop' },
  ])
  t.strictSame(toolStarts(events), [
    { type: 'block-start', index: 0, kind: 'tool-call', toolCallId: 'toolu_1', toolName: 'lookup', toolNamespace: 'crm' },
    { type: 'block-start', index: 1, kind: 'tool-call', toolCallId: 'toolu_2', toolName: 'note', toolKind: 'custom', toolNamespace: 'crm' },
  ])
  t.equal(toolInput(events, 0), '{"q":1}')
  t.equal(toolInput(events, 1), 'raw')
})
