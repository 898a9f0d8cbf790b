// A Gemini upstream (PROTOCOLS.md §4): replies written by hand in the real wire format (data-only
// `\r\n\r\n` frames as Google's server sends them, whole functionCall parts without ids, the
// thoughtSignature only on the first parallel call and on the answer after the thoughts, usage
// on every chunk), and a check that what it received obeys Gemini's turn rules (§4.1, §7.10-14).
import type { Test } from 'tap'
import type { RecordedRequest, Script } from '../../../helpers/mock-upstream.js'
import { AFTER_TOOLS, ANSWER, REASONING, TEXT_PIECES, TOOL_CALLS, USAGE, type ScenarioId, type ToolTurn } from '../scenarios.js'
import type { BackendFixture } from '../types.js'

/** Gemini 3 signs the first call of a batch and the first answer part after the thoughts. */
export const CALL_SIGNATURE = 'Cs4BAXLI2nwCallSig+/='
export const THOUGHT_SIGNATURE = 'CiQBcsjafThoughtSig+/=='

type Part = Record<string, unknown>
interface Content { role?: string, parts: Part[] }
interface Parsed {
  contents: Content[]
  systemInstruction?: Content
  tools?: Array<{ functionDeclarations?: Array<Record<string, unknown>> }>
  generationConfig?: { thinkingConfig?: { thinkingBudget?: number, thinkingLevel?: string, includeThoughts?: boolean }, maxOutputTokens?: number }
}
const parse = (r: RecordedRequest) => JSON.parse(r.body.toString()) as Parsed
const isTurn2 = (r: RecordedRequest) => parse(r).contents.some(c => c.parts.some(p => p.functionResponse !== undefined))

const usageMetadata = { promptTokenCount: USAGE.input, candidatesTokenCount: USAGE.output, totalTokenCount: USAGE.input + USAGE.output }

function response (parts: Part[], last: boolean): Record<string, unknown> {
  const candidate = { content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }
  return { candidates: [candidate], usageMetadata, modelVersion: 'up-model', responseId: 'gem-up1' }
}

const frame = (body: Record<string, unknown>) => 'data: ' + JSON.stringify(body) + '\r\n\r\n'

/** One part list per chunk; the last chunk carries the finish reason. */
function sse (chunks: Part[][]): Script {
  return { headers: { 'content-type': 'text/event-stream' }, frames: chunks.map((parts, i) => frame(response(parts, i === chunks.length - 1))) }
}

const calls = (): Part[] => TOOL_CALLS.map((c, i) => ({ functionCall: { name: c.name, args: c.args }, ...(i === 0 ? { thoughtSignature: CALL_SIGNATURE } : {}) }))
const thoughts = [{ text: REASONING.slice(0, 10), thought: true }, { text: REASONING.slice(10), thought: true }]

function streamed (scenario: ScenarioId, turn2: boolean): Script {
  if (scenario === 'text') return sse(TEXT_PIECES.map(text => [{ text }]))
  if (scenario === 'reasoning') return sse([[thoughts[0]!], [thoughts[1]!], [{ text: ANSWER, thoughtSignature: THOUGHT_SIGNATURE }], [{ text: '' }]])
  if (turn2) return sse([[{ text: AFTER_TOOLS }]])
  // Parallel calls arrive whole, here in separate chunks.
  return sse(calls().map(c => [c]))
}

function whole (scenario: ScenarioId, turn2: boolean): Script {
  let parts: Part[]
  if (scenario === 'text') parts = [{ text: TEXT_PIECES.join('') }]
  else if (scenario === 'reasoning') parts = [{ text: REASONING, thought: true }, { text: ANSWER, thoughtSignature: THOUGHT_SIGNATURE }]
  else if (turn2) parts = [{ text: AFTER_TOOLS }]
  else parts = calls()
  return { headers: { 'content-type': 'application/json' }, frames: [JSON.stringify(response(parts, true))] }
}

/** Gemini's own turn rules (§4.1), so a request it would reject fails here. */
function checkRules (t: Test, body: Parsed): void {
  t.ok(body.contents.length > 0, 'contents present')
  t.equal(body.contents[0]?.role, 'user', 'first content is user')
  for (let i = 0; i < body.contents.length; i++) {
    const c = body.contents[i]!
    t.ok(c.role === 'user' || c.role === 'model', 'roles are user/model')
    if (i > 0) t.not(c.role, body.contents[i - 1]!.role, 'roles alternate')
    t.ok(c.parts.length > 0, 'no empty content')
    const fnCalls = c.parts.filter(p => p.functionCall !== undefined).map(p => (p.functionCall as { name: string }).name)
    if (fnCalls.length > 0) {
      const next = body.contents[i + 1]
      const responses = (next?.parts ?? []).filter(p => p.functionResponse !== undefined).map(p => (p.functionResponse as { name: string }).name)
      t.same(responses, fnCalls, 'the next Content answers every call, in order, by name')
    }
  }
  for (const tool of body.tools ?? []) {
    for (const fn of tool.functionDeclarations ?? []) {
      t.notOk(JSON.stringify(fn.parameters ?? {}).match(/"(\$schema|additionalProperties|const)"/), 'no keys the OpenAPI schema subset rejects')
    }
  }
}

function checkTurn2 (t: Test, body: Parsed): void {
  const model = body.contents.find(c => c.parts.some(p => p.functionCall !== undefined))!
  t.same(model.parts.map(p => p.thoughtSignature), [CALL_SIGNATURE, undefined], 'the first call carries its signature back, as Gemini 3 requires')
  t.same(model.parts.map(p => p.functionCall), TOOL_CALLS.map(c => ({ name: c.name, args: c.args })), 'calls replayed without ids Gemini never gave')
  const results = body.contents.filter(c => c.parts.some(p => p.functionResponse !== undefined))
  t.equal(results.length, 1, 'all results in ONE Content')
  const responses = results[0]!.parts.map(p => p.functionResponse as { name: string, response: unknown })
  t.same(responses.map(r => r.name), TOOL_CALLS.map(c => c.name), 'named after their calls')
  t.same(responses.map(r => JSON.stringify(r.response)), TOOL_CALLS.map(c => JSON.stringify({ output: c.result })), 'results carried as objects')
}

export const geminiBackend: BackendFixture = {
  protocol: 'gemini',
  reply: (scenario, stream, request) => (stream ? streamed : whole)(scenario, isTurn2(request)),
  check (t, scenario, request, toolTurn: ToolTurn | undefined) {
    const [path, query] = request.url.split('?')
    t.match(path, /^\/v1\/models\/[^/]+:(streamGenerateContent|generateContent)$/, 'generateContent path')
    if (path!.endsWith(':streamGenerateContent')) t.equal(query, 'alt=sse', 'SSE asked for')
    t.equal(request.headers['x-goog-api-key'], 'upstream-key', 'the backend key in x-goog-api-key')
    const body = parse(request)
    checkRules(t, body)
    if (scenario === 'tools' && toolTurn === undefined) t.same(body.tools?.flatMap(x => x.functionDeclarations ?? []).map(f => f.name), ['get_weather', 'get_time'], 'function declarations')
    if (scenario === 'tools' && toolTurn !== undefined) checkTurn2(t, body)
    if (scenario === 'reasoning') t.match(body.generationConfig?.thinkingConfig, { includeThoughts: true }, 'thoughts asked for')
  },
  checkReplay (t, request, withReasoning) {
    const body = parse(request)
    checkRules(t, body)
    const model = body.contents.find(c => c.role === 'model')!
    const signed = model.parts.filter(p => p.thoughtSignature !== undefined).map(p => p.thoughtSignature)
    if (withReasoning) t.same(signed, [THOUGHT_SIGNATURE], 'own thought signature back exactly once')
    else t.same(signed, [], 'no signature without a proof')
    t.match(model.parts.at(-1), { text: ANSWER })
    t.notOk(request.body.toString().includes('swy1.'), 'no Switchyard envelope reaches Gemini')
  },
}
