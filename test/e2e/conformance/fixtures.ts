// Shared builders for the conformance and hard-case tests (PROTOCOLS.md §7, §10): upstream SSE
// written by hand in each dialect's real wire format, a one-backend app in front of a loopback
// mock upstream, official SDK clients pointed at it, and a raw SSE reader for byte-level checks.
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import type { ServerResponse } from 'node:http'
import { request } from 'undici'
import { startMockUpstream, type MockUpstream, type RecordedRequest, type Script } from '../../helpers/mock-upstream.js'
import { oneBackend, startApp, type StartedApp } from '../../helpers/start-app.js'

type Tap = { teardown (fn: () => unknown): void }
type Json = Record<string, unknown>

export const CREATED = 1700000000
export const EVENT_STREAM = { 'content-type': 'text/event-stream' }

// ---- Chat Completions upstream (§1.3) --------------------------------------------------------

export function chatChunkJson (delta: Json, finish: string | null = null): Json {
  return { id: 'chatcmpl-up1', object: 'chat.completion.chunk', created: CREATED, model: 'up-model', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }
}

export function chatChunk (delta: Json, finish: string | null = null, eol = '\n'): string {
  return 'data: ' + JSON.stringify(chatChunkJson(delta, finish)) + eol + eol
}

export function chatUsageChunk (usage: Json, eol = '\n'): string {
  return 'data: ' + JSON.stringify({ id: 'chatcmpl-up1', object: 'chat.completion.chunk', created: CREATED, model: 'up-model', choices: [], usage }) + eol + eol
}

export const CHAT_DONE = 'data: [DONE]\n\n'
export const CHAT_USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 }

/** A tool call's first fragment (§1.4 b): index, id, type, name, empty arguments. */
export function chatToolStart (index: number, id: string, name: string): string {
  return chatChunk({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] })
}

export function chatToolArgs (index: number, fragment: string): string {
  return chatChunk({ tool_calls: [{ index, function: { arguments: fragment } }] })
}

/** Role chunk, the body, then (unless told otherwise) the usage chunk and `[DONE]`. */
export function chatSse (body: readonly string[], opts: { usage?: Json | null, done?: boolean } = {}): Script {
  const frames = [chatChunk({ role: 'assistant', content: '' }), ...body]
  if (opts.usage !== null) frames.push(chatUsageChunk(opts.usage ?? CHAT_USAGE))
  if (opts.done !== false) frames.push(CHAT_DONE)
  return { headers: EVENT_STREAM, frames }
}

// ---- Anthropic Messages upstream (§3.3) ------------------------------------------------------

export function anthEvent (data: Json & { type: string }, eol = '\n'): string {
  return `event: ${data.type}${eol}data: ${JSON.stringify(data)}${eol}${eol}`
}

export const ANTH_START_USAGE = { input_tokens: 11, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }

export function anthMessageStart (usage: Json = ANTH_START_USAGE): string {
  return anthEvent({ type: 'message_start', message: { id: 'msg_up1', type: 'message', role: 'assistant', model: 'up-model', content: [], stop_reason: null, stop_sequence: null, usage } })
}

export function anthBlock (index: number, block: Json, deltas: readonly Json[]): string[] {
  return [
    anthEvent({ type: 'content_block_start', index, content_block: block }),
    ...deltas.map(delta => anthEvent({ type: 'content_block_delta', index, delta })),
    anthEvent({ type: 'content_block_stop', index }),
  ]
}

export function anthText (index: number, pieces: readonly string[]): string[] {
  return anthBlock(index, { type: 'text', text: '' }, pieces.map(text => ({ type: 'text_delta', text })))
}

/** A tool_use block: Anthropic's empty first fragment, then the given ones (§3.4 b). */
export function anthTool (index: number, id: string, name: string, fragments: readonly string[]): string[] {
  return anthBlock(index, { type: 'tool_use', id, name, input: {} }, ['', ...fragments].map(partial_json => ({ type: 'input_json_delta', partial_json })))
}

export function anthThinking (index: number, pieces: readonly string[], signature: string): string[] {
  return anthBlock(index, { type: 'thinking', thinking: '', signature: '' }, [
    ...pieces.map(thinking => ({ type: 'thinking_delta', thinking })),
    { type: 'signature_delta', signature },
  ])
}

export function anthEnd (stopReason: string, usage: Json = { output_tokens: 7 }): string[] {
  return [
    anthEvent({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage }),
    anthEvent({ type: 'message_stop' }),
  ]
}

export function anthSse (body: readonly string[], stopReason: string, usage?: Json): Script {
  return { headers: EVENT_STREAM, frames: [anthMessageStart(), anthEvent({ type: 'ping' }), ...body, ...anthEnd(stopReason, usage)] }
}

// ---- Gemini upstream (§4.3) ------------------------------------------------------------------

export const GEM_USAGE = { promptTokenCount: 11, candidatesTokenCount: 7, totalTokenCount: 18 }

/** One GenerateContentResponse chunk holding only the new parts (§4.4). */
export function gemChunkJson (parts: readonly Json[], opts: { finish?: string, usage?: Json } = {}): Json {
  const candidate = { content: { role: 'model', parts }, index: 0, ...(opts.finish === undefined ? {} : { finishReason: opts.finish }) }
  return { candidates: [candidate], usageMetadata: opts.usage ?? GEM_USAGE, modelVersion: 'up-model', responseId: 'gem-up1' }
}

/** Google's server frames with `\r\n\r\n` (§4.3). */
export function gemFrame (body: Json, eol = '\r\n'): string {
  return 'data: ' + JSON.stringify(body) + eol + eol
}

/** Parts per chunk; the last chunk carries `finish` (STOP by default). */
export function gemSse (chunks: ReadonlyArray<readonly Json[]>, finish = 'STOP', usage?: Json): Script {
  const frames = chunks.map((parts, i) => gemFrame(gemChunkJson(parts, i === chunks.length - 1 ? { finish, ...(usage === undefined ? {} : { usage }) } : {})))
  return { headers: EVENT_STREAM, frames }
}

// ---- App, clients, raw reads -----------------------------------------------------------------

export interface Rig {
  readonly upstream: MockUpstream
  readonly app: StartedApp
}

/** A reply script, or a function of the request (returning undefined when it wrote the reply itself). */
export type Reply = Script | ((r: RecordedRequest, res: ServerResponse) => Script | undefined)

/** A mock upstream speaking `protocol` behind a one-backend app (backend options merged in). */
export async function rig (t: Tap, protocol: 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini', script: Reply, backend: Json = {}): Promise<Rig> {
  const upstream = await startMockUpstream(t, typeof script === 'function' ? script : () => script)
  const app = await startApp(t, oneBackend({ protocol, url: upstream.url + '/v1', apiKey: 'upstream-key', ...backend }))
  return { upstream, app }
}

/**
 * Write an SSE reply as the given chunks, one per event-loop turn: the proxy (same process)
 * reads each as its own network chunk — 1-byte chunks stay 1-byte — without timer delays.
 */
export function dribble (res: ServerResponse, chunks: readonly Buffer[]): undefined {
  res.writeHead(200, EVENT_STREAM)
  let i = 0
  const step = (): void => {
    if (res.destroyed) return
    if (i >= chunks.length) { res.end(); return }
    res.write(chunks[i++])
    setImmediate(step)
  }
  step()
  return undefined
}

/** Every byte its own chunk. */
export function byteByByte (stream: string | Buffer): Buffer[] {
  const bytes = typeof stream === 'string' ? Buffer.from(stream) : stream
  const out: Buffer[] = []
  for (let i = 0; i < bytes.length; i++) out.push(bytes.subarray(i, i + 1))
  return out
}

export function openaiClient (app: StartedApp): OpenAI {
  return new OpenAI({ baseURL: app.url + '/v1', apiKey: 'client-key', maxRetries: 0 })
}

export function anthropicClient (app: StartedApp): Anthropic {
  return new Anthropic({ baseURL: app.url, apiKey: 'client-key', maxRetries: 0 })
}

export function geminiClient (app: StartedApp): GoogleGenAI {
  return new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: app.url } })
}

export interface RawReply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly bytes: Buffer
  readonly text: string
}

/** POST a JSON body with undici and read the whole reply as bytes. */
export async function post (app: StartedApp, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawReply> {
  const res = await request(app.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  })
  const chunks: Buffer[] = []
  for await (const c of res.body) chunks.push(c as Buffer)
  const bytes = Buffer.concat(chunks)
  return { status: res.statusCode, headers: res.headers, bytes, text: bytes.toString('utf8') }
}

export interface SseRecord {
  readonly event?: string
  readonly data?: string
  readonly comment?: string
  /** Every field name that appeared, in order (to catch `id:` or duplicate `event:` lines). */
  readonly fields: readonly string[]
}

/** Switchyard writes `\n` line ends and one blank line per event (§0): split exactly on that. */
export function parseSse (text: string): SseRecord[] {
  const out: SseRecord[] = []
  for (const raw of text.split('\n\n')) {
    if (raw === '') continue
    let event: string | undefined
    let data: string | undefined
    let comment: string | undefined
    const fields: string[] = []
    for (const line of raw.split('\n')) {
      if (line.startsWith(':')) { comment = line.slice(1).trim(); fields.push(':'); continue }
      const colon = line.indexOf(':')
      const name = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
      fields.push(name)
      if (name === 'event') event = value
      if (name === 'data') data = data === undefined ? value : data + '\n' + value
    }
    out.push({ ...(event === undefined ? {} : { event }), ...(data === undefined ? {} : { data }), ...(comment === undefined ? {} : { comment }), fields })
  }
  return out
}

/** The JSON payloads of a Chat stream (comments and `[DONE]` left out). */
export function chatPayloads (text: string): Json[] {
  return parseSse(text).filter(r => r.data !== undefined && r.data !== '[DONE]').map(r => JSON.parse(r.data as string) as Json)
}

/** The JSON payloads of an Anthropic stream, each with the record's `event:` name. */
export function anthPayloads (text: string): Array<{ event: string | undefined, data: Json }> {
  return parseSse(text).filter(r => r.data !== undefined).map(r => ({ event: r.event, data: JSON.parse(r.data as string) as Json }))
}

/** The Chat chunks' `choices[0].delta` objects, in order. */
export function chatDeltas (text: string): Json[] {
  return chatPayloads(text).flatMap(c => ((c.choices as Json[] | undefined) ?? []).map(ch => ch.delta as Json))
}

/** The text a Chat stream carried. */
export function chatText (text: string): string {
  return chatDeltas(text).map(d => typeof d.content === 'string' ? d.content : '').join('')
}

/** The JSON payloads of a Gemini `alt=sse` stream (comments left out). */
export function gemPayloads (text: string): Json[] {
  return parseSse(text).filter(r => r.data !== undefined).map(r => JSON.parse(r.data as string) as Json)
}

/** The parsed body of the upstream's Nth request (last by default). */
export function upstreamBody (upstream: MockUpstream, n = -1): Json {
  const r = upstream.requests.at(n)
  if (r === undefined) throw new Error('the upstream received no request ' + n)
  return JSON.parse(r.body.toString('utf8')) as Json
}

export const CHAT_REQUEST = { model: 'client-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }
export const ANTH_REQUEST = { model: 'client-model', max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'hi' }] }

export const WEATHER_TOOL_CHAT = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }
export const WEATHER_TOOL_ANTH = { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }
