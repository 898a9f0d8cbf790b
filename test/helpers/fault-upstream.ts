// A fault-injecting upstream for the hardening suite (issue 10, "Faults"): one loopback server
// (on top of ./mock-upstream.ts) that speaks all four backend dialects — chosen by the path the
// gateway calls (`/chat/completions`, `/messages`, `/responses`, `/models/{m}:…GenerateContent`)
// — and misbehaves as the request's model name says (`fault-drop`, `fault-stall`…; the model
// travels in the body, or in the path for Gemini), streaming or whole as the request asked.
// Every reply starts from the dialect's real wire format (../e2e/conformance/fixtures.ts,
// ./responses-sse.ts): the valid part always carries the text "Hel" before the fault.
// Three parts: the upstream; the client side (one request per client dialect, and what each
// dialect's reply must look like); the expectations and the after-run checks the fault tests
// share (test/hardening/faults*.test.ts). Only this file was open to the suite for helpers; the
// client and expectation parts would stand alone as fault-clients.ts.
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import { request, type Dispatcher } from 'undici'
import {
  anthSse, anthText, CHAT_USAGE, chatChunk, chatSse, gemChunkJson, gemSse,
} from '../e2e/conformance/fixtures.js'
import { MAX_SSE_EVENT_BYTES } from '../../src/sse/decoder.js'
import { MAX_UPSTREAM_JSON_BYTES } from '../../src/upstream/read-body.js'
import { startMockUpstream, type MockUpstream, type RecordedRequest, type Script } from './mock-upstream.js'
import type { StartedApp } from './start-app.js'
import { respFrame, respSse, respWhole } from './responses-sse.js'

type Tap = { teardown (fn: () => unknown): void }

/** The four backend wire dialects. */
export type Wire = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini'
export const WIRES: readonly Wire[] = ['openai-chat', 'anthropic', 'openai-responses', 'gemini']

export type Fault =
  /** A complete, valid reply (the control). */
  | 'none'
  /** Headers and the first events (or half a whole body), then the socket destroyed. */
  | 'drop'
  /** Headers, then the socket destroyed before any byte of the body. */
  | 'reset-after-headers'
  /** Lines that are no SSE field (text, brackets, invalid UTF-8) between valid events; the reply completes. */
  | 'garbage'
  /** An event whose data is not JSON (whole: a body that is not JSON), then the end. */
  | 'bad-json'
  /** Headers and the first byte/events, then silence with the connection open. */
  | 'stall'
  /** As `none`, `bad-json` and `error-event`, but the upstream then keeps the connection open (a stuck or runaway upstream). */
  | 'none-open' | 'bad-json-open' | 'error-event-open'
  /** An error status with the dialect's error body, before any byte of a reply. */
  | 'status-429' | 'status-500' | 'status-529'
  /** The dialect's own in-band error event after streaming began, then the end. */
  | 'error-event'
  /** The socket destroyed before any header. */
  | 'close-early'
  /** One event larger than the SSE decoder's limit (whole: a body over the JSON reply limit). */
  | 'huge'
  /** Headers never sent. */
  | 'silent'

export const FAULTS: readonly Fault[] = ['none', 'drop', 'reset-after-headers', 'garbage', 'bad-json', 'stall', 'status-429', 'status-500', 'status-529', 'error-event', 'none-open', 'bad-json-open', 'error-event-open', 'close-early', 'huge', 'silent']

/** The model name that asks the upstream for `fault`. */
export const faultModel = (fault: Fault): string => `fault-${fault}`

/**
 * undici runs its headers and body timeouts (a backend's `timeoutMs`) on "fast timers" that tick
 * every ~500 ms, and a timer is armed on one tick and fired on a later one: a 300 ms timeout
 * fires after 0.6–1.1 s on an idle loop, later under load (1.8 s measured with 32 requests in
 * flight in this one process). Bounds on requests cut by `timeoutMs` allow these two ticks on top
 * of "timeout + 1 s"; the request deadline (`server.requestTimeoutMs`) is a native timer and gets
 * no such allowance.
 */
export const UNDICI_SLACK_MS = 1000

/** Time to move an over-limit event or body (9 or 33 MiB) through loopback, on top of the bound. */
export const HUGE_TRANSFER_MS = 2000

/**
 * How long a request with `fault` may take against a backend whose `timeoutMs` is `timeoutMs`:
 * timeout + 1 s, plus undici's ticks when the backend timeout is what ends it, plus the transfer
 * time of the huge faults.
 */
export function boundMs (fault: Fault, timeoutMs: number): number {
  const base = timeoutMs + 1000
  if (fault === 'stall' || fault === 'silent') return base + UNDICI_SLACK_MS
  return fault === 'huge' ? base + HUGE_TRANSFER_MS : base
}

/** Where a stream event is larger than the decoder may hold: 1 MiB over the limit. */
export const HUGE_EVENT_BYTES = MAX_SSE_EVENT_BYTES + 1024 * 1024
/** A whole reply over the limit for non-streamed replies. */
export const HUGE_BODY_BYTES = MAX_UPSTREAM_JSON_BYTES + 1024 * 1024

const EVENT_STREAM = { 'content-type': 'text/event-stream' }

/** The dialect a gateway call speaks, from its path. */
export function wireOf (url: string): Wire | undefined {
  const path = url.split('?')[0] ?? ''
  if (path.endsWith('/chat/completions')) return 'openai-chat'
  if (path.endsWith('/messages')) return 'anthropic'
  if (path.endsWith('/responses')) return 'openai-responses'
  if (/\/models\/[^/]+:(stream)?[gG]enerateContent$/.test(path)) return 'gemini'
  return undefined
}

/** A valid stream split where the fault goes: `head` ends with the text "Hel", `tail` completes it. */
export function streamParts (wire: Wire): { readonly head: string[], readonly tail: string[] } {
  const split = (frames: readonly (string | Buffer)[], at: number) => {
    const all = frames.map(f => f.toString())
    return { head: all.slice(0, at), tail: all.slice(at) }
  }
  switch (wire) {
    case 'openai-chat': return split(chatSse([chatChunk({ content: 'Hel' }), chatChunk({ content: 'lo' }), chatChunk({}, 'stop')]).frames ?? [], 2)
    // message_start, ping, content_block_start, delta "Hel" | delta "lo", …
    case 'anthropic': return split(anthSse(anthText(0, ['Hel', 'lo']), 'end_turn').frames ?? [], 4)
    // created, in_progress, output_item.added, content_part.added, delta "Hel" | …
    case 'openai-responses': return split(respSse([{ type: 'message', pieces: ['Hel', 'lo'] }], { usage: { input: 11, output: 7 } }).frames ?? [], 5)
    case 'gemini': return split(gemSse([[{ text: 'Hel' }], [{ text: 'lo' }]]).frames ?? [], 1)
  }
}

/** The whole (non-streamed) reply of each dialect, saying "Hello". */
export function wholeReply (wire: Wire): string {
  switch (wire) {
    case 'openai-chat':
      return JSON.stringify({ id: 'chatcmpl-up1', object: 'chat.completion', created: 1700000000, model: 'up-model', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, logprobs: null, finish_reason: 'stop' }], usage: CHAT_USAGE })
    case 'anthropic':
      return JSON.stringify({ id: 'msg_up1', type: 'message', role: 'assistant', model: 'up-model', content: [{ type: 'text', text: 'Hello' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 11, output_tokens: 7 } })
    case 'openai-responses':
      return String(respWhole([{ type: 'message', pieces: ['Hel', 'lo'] }], { usage: { input: 11, output: 7 } }).frames?.[0])
    case 'gemini':
      return JSON.stringify(gemChunkJson([{ text: 'Hello' }], { finish: 'STOP' }))
  }
}

/** The dialect's error body for an HTTP status (as each provider sends it). */
export function errorBody (wire: Wire, status: number): string {
  const message = `upstream says ${status}`
  switch (wire) {
    case 'openai-chat':
    case 'openai-responses':
      return JSON.stringify({ error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', param: null, code: null } })
    case 'anthropic': {
      const type = status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : 'api_error'
      return JSON.stringify({ type: 'error', error: { type, message } })
    }
    case 'gemini': {
      const name = status === 429 ? 'RESOURCE_EXHAUSTED' : status === 500 ? 'INTERNAL' : 'UNAVAILABLE'
      return JSON.stringify({ error: { code: status, message, status: name } })
    }
  }
}

/** The dialect's in-band error event(s), as each provider sends them mid-stream. */
export function errorEvent (wire: Wire): string {
  switch (wire) {
    case 'openai-chat':
      return 'data: ' + JSON.stringify({ error: { message: 'upstream overloaded mid-stream', type: 'server_error', param: null, code: null } }) + '\n\n'
    case 'anthropic':
      return 'event: error\ndata: ' + JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'upstream overloaded mid-stream' } }) + '\n\n'
    case 'openai-responses':
      return respFrame({ type: 'error', code: 'server_error', message: 'upstream overloaded mid-stream', param: null, sequence_number: 5 }) +
        respFrame({ type: 'response.failed', sequence_number: 6, response: { id: 'resp_up1', object: 'response', created_at: 1700000000, status: 'failed', error: { code: 'server_error', message: 'upstream overloaded mid-stream' }, incomplete_details: null, model: 'up-model', output: [], usage: null } })
    case 'gemini':
      return 'data: ' + JSON.stringify({ error: { code: 503, message: 'upstream overloaded mid-stream', status: 'UNAVAILABLE' } }) + '\r\n\r\n'
  }
}

/** An event whose data is cut JSON, named as the dialect names its text deltas. */
function badJsonEvent (wire: Wire): string {
  switch (wire) {
    case 'anthropic': return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_\n\n'
    case 'openai-responses': return 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"lo\n\n'
    default: return 'data: {"choices":[{"index":0,"delta":{"content":"lo\n\n'
  }
}

/** Lines that are no SSE field: a parser must skip them (as browsers do). */
export const GARBAGE = Buffer.concat([
  Buffer.from('this is not an SSE line\n'),
  Buffer.from('}{][ ,,, \n'),
  Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a]), // invalid UTF-8, then a line end
  Buffer.from('\n'),
])

/** Whether the gateway's call asked for a stream. */
export function wantsStream (req: RecordedRequest): boolean {
  if (req.url.includes(':streamGenerateContent')) return true
  try { return (JSON.parse(req.body.toString('utf8')) as { stream?: unknown }).stream === true } catch { return false }
}

/** The fault a call asks for, from its model (body or Gemini path). */
export function faultOf (req: RecordedRequest): Fault {
  const inPath = /\/models\/fault-([a-z0-9-]+):/.exec(req.url)?.[1]
  let name = inPath
  if (name === undefined) {
    try { name = /^fault-(.+)$/.exec(String((JSON.parse(req.body.toString('utf8')) as { model?: unknown }).model))?.[1] } catch { name = undefined }
  }
  return (FAULTS as readonly string[]).includes(name ?? '') ? name as Fault : 'none'
}

/** The frames of the stream faults that end by themselves (what a passthrough client must get byte for byte). */
export function streamFrames (wire: Wire, fault: 'none' | 'garbage' | 'bad-json' | 'error-event' | 'huge'): Array<string | Buffer> {
  const { head, tail } = streamParts(wire)
  switch (fault) {
    case 'none': return [...head, ...tail]
    case 'garbage': return [...head, GARBAGE, ...tail]
    case 'bad-json': return [...head, badJsonEvent(wire)]
    case 'error-event': return [...head, errorEvent(wire)]
    case 'huge': return [...head, 'data: {"pad":"' + 'x'.repeat(HUGE_EVENT_BYTES) + '"}\n\n', ...tail]
  }
}

/** Write a stream fault by hand. */
function streamFault (wire: Wire, fault: Fault, res: ServerResponse): Script | undefined {
  const { head, tail } = streamParts(wire)
  switch (fault) {
    case 'none':
    case 'garbage':
    case 'bad-json':
    case 'error-event':
    case 'huge':
      return { headers: EVENT_STREAM, frames: streamFrames(wire, fault) }
    case 'drop':
      // Destroyed once the events are in the kernel: the gateway reads them, then the close.
      res.writeHead(200, EVENT_STREAM)
      res.write(head.join(''), () => res.socket?.destroy())
      return undefined
    case 'stall':
      res.writeHead(200, EVENT_STREAM)
      res.write(head.join(''))
      return undefined
    case 'none-open':
    case 'bad-json-open':
    case 'error-event-open':
      res.writeHead(200, EVENT_STREAM)
      res.write(head.join('') + (fault === 'none-open' ? tail.join('') : fault === 'bad-json-open' ? badJsonEvent(wire) : errorEvent(wire)))
      return undefined
    default: return undefined
  }
}

/** The bodies of the whole-reply faults that arrive complete (what a passthrough client must get byte for byte). */
export function wholeBody (wire: Wire, fault: 'none' | 'garbage' | 'bad-json'): string {
  const body = wholeReply(wire)
  if (fault === 'garbage') return '<html>502 Bad Gateway</html>'
  return fault === 'bad-json' ? body.slice(0, body.length >> 1) : body
}

/** Write a whole-reply fault by hand. */
function wholeFault (wire: Wire, fault: Fault, res: ServerResponse): Script | undefined {
  const body = wholeReply(wire)
  switch (fault) {
    case 'none':
    case 'garbage':
    case 'bad-json':
      return { headers: { 'content-type': 'application/json' }, frames: [wholeBody(wire, fault)] }
    case 'drop':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
      res.write(body.slice(0, body.length >> 1), () => res.socket?.destroy())
      return undefined
    case 'huge': return { headers: { 'content-type': 'application/json' }, frames: ['{"pad":"' + 'x'.repeat(HUGE_BODY_BYTES) + '"}'] }
    case 'stall':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
      res.write(body.slice(0, 1))
      return undefined
    // In-band errors and held connections are stream faults: a whole reply is simply answered.
    default: return { headers: { 'content-type': 'application/json' }, frames: [body] }
  }
}

/** The reply to one gateway call. */
export function faultReply (req: RecordedRequest, res: ServerResponse): Script | undefined {
  const wire = wireOf(req.url)
  if (wire === undefined) return { status: 404, headers: { 'content-type': 'application/json' }, frames: ['{"error":{"message":"not a model path"}}'] }
  const fault = faultOf(req)
  if (fault === 'silent') return { silent: true }
  if (fault === 'close-early') { res.socket?.destroy(); return undefined }
  if (fault === 'reset-after-headers') {
    res.writeHead(200, wantsStream(req) ? EVENT_STREAM : { 'content-type': 'application/json', 'content-length': '100' })
    res.flushHeaders()
    setTimeout(() => res.socket?.destroy(), 20)
    return undefined
  }
  const status = /^status-(\d+)$/.exec(fault)?.[1]
  if (status !== undefined) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(status === '429' ? { 'retry-after': '7' } : {}) }
    return { status: Number(status), headers, frames: [errorBody(wire, Number(status))] }
  }
  return wantsStream(req) ? streamFault(wire, fault, res) : wholeFault(wire, fault, res)
}

/** A loopback upstream answering every call with the fault its model names. */
export async function startFaultUpstream (t: Tap): Promise<MockUpstream> {
  return startMockUpstream(t, faultReply)
}

// ---- The client side: one request per client dialect, and what it must see -----------------
// Kept here with the faults they check (the suite's files may create no other helper).

/** Where each backend is mounted in the fault suite's app (its `pathPrefix`). */
export const MOUNT: Readonly<Record<Wire, string>> = { 'openai-chat': '/chat', anthropic: '/anth', 'openai-responses': '/resp', gemini: '/gem' }

/** An app config with one backend per dialect, all in front of `upstreamUrl`. */
export function faultConfig (upstreamUrl: string, backend: Record<string, unknown>, server: Record<string, unknown> = {}): unknown {
  return {
    server,
    logging: { level: 'fatal' },
    backends: WIRES.map(w => ({
      name: w, protocol: w, url: upstreamUrl + (w === 'gemini' ? '/v1beta' : '/v1'), apiKey: 'upstream-key', match: { pathPrefix: MOUNT[w] }, ...backend,
    })),
  }
}

/** The path and body a client of `client` sends for `fault`, through the backend of `backend`. */
export function clientRequest (client: Wire, backend: Wire, fault: Fault, stream: boolean): { readonly path: string, readonly body: unknown } {
  const model = faultModel(fault)
  const mount = MOUNT[backend]
  const messages = [{ role: 'user', content: 'hi' }]
  switch (client) {
    case 'openai-chat': return { path: mount + '/v1/chat/completions', body: { model, stream, messages } }
    case 'anthropic': return { path: mount + '/v1/messages', body: { model, stream, max_tokens: 64, messages } }
    case 'openai-responses': return { path: mount + '/v1/responses', body: { model, stream, input: 'hi' } }
    case 'gemini': return {
      path: `${mount}/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    }
  }
}

export interface ClientReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly bytes: Buffer
  readonly text: string
  /** Set when the body did not end cleanly (socket closed mid-body). */
  readonly transportError: string | undefined
  /** From sending the request to the end (or failure) of the body. */
  readonly ms: number
}

/** POST with undici (through `dispatcher`, else the global one) and read the whole body, noting how it ended. */
export async function send (baseUrl: string, path: string, body: unknown, dispatcher?: Dispatcher): Promise<ClientReply> {
  const started = performance.now()
  let status = 0
  let headers: Record<string, string | string[] | undefined> = {}
  const chunks: Buffer[] = []
  let transportError: string | undefined
  try {
    const res = await request(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
      ...(dispatcher === undefined ? {} : { dispatcher }),
    })
    status = res.statusCode
    headers = res.headers
    for await (const c of res.body) chunks.push(c as Buffer)
  } catch (err) {
    transportError = (err as Error).message
  }
  const bytes = Buffer.concat(chunks)
  return { status, headers, bytes, text: bytes.toString('utf8'), transportError, ms: performance.now() - started }
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const parse = (s: string): unknown => { try { return JSON.parse(s) } catch { return undefined } }

/** The data records of an SSE body as the gateway writes it (`\n` line ends), comments left out. */
export function sseRecords (text: string): Array<{ readonly event: string | undefined, readonly data: string }> {
  const out: Array<{ event: string | undefined, data: string }> = []
  for (const raw of text.split('\n\n')) {
    let event: string | undefined
    const data: string[] = []
    for (const line of raw.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (data.length > 0) out.push({ event, data: data.join('\n') })
  }
  return out
}

/** The text a client stream carried, read the way each dialect carries it. */
export function streamText (client: Wire, text: string): string {
  let out = ''
  for (const r of sseRecords(text)) {
    const d = parse(r.data)
    if (!isObject(d)) continue
    if (client === 'openai-chat') for (const c of (d.choices as Json[] | undefined) ?? []) out += String((c.delta as Json | undefined)?.content ?? '')
    if (client === 'anthropic' && d.type === 'content_block_delta') out += String((d.delta as Json).text ?? '')
    if (client === 'openai-responses' && d.type === 'response.output_text.delta') out += String(d.delta)
    if (client === 'gemini') for (const c of (d.candidates as Json[] | undefined) ?? []) for (const p of ((c.content as Json | undefined)?.parts as Json[] | undefined) ?? []) out += typeof p.text === 'string' ? p.text : ''
  }
  return out
}

/** Problems with an HTTP error reply in the client's dialect (empty when it is well-formed). */
export function errorBodyProblems (client: Wire, reply: ClientReply, status: number): string[] {
  const p: string[] = []
  if (reply.transportError !== undefined) p.push('transport error: ' + reply.transportError)
  if (reply.status !== status) p.push(`status ${reply.status}, wanted ${status}`)
  if (!String(reply.headers['content-type']).startsWith('application/json')) p.push(`content-type ${String(reply.headers['content-type'])}`)
  const body = parse(reply.text)
  const error = isObject(body) ? body.error : undefined
  if (!isObject(error)) return [...p, 'no error object: ' + reply.text.slice(0, 200)]
  if (typeof error.message !== 'string' || error.message === '') p.push('no message')
  if (client === 'anthropic') {
    if ((body as Json).type !== 'error') p.push('anthropic: type is not "error"')
    if (typeof error.type !== 'string') p.push('anthropic: no error.type')
  } else if (client === 'gemini') {
    if (error.code !== status) p.push(`gemini: code ${String(error.code)}`)
    if (typeof error.status !== 'string') p.push('gemini: no status name')
  } else if (typeof error.type !== 'string') p.push('openai: no error.type')
  return p
}

/**
 * Problems with a stream that must have failed after it began (empty when it is well-formed):
 * a clean end, the dialect's error event last, and no finish made up.
 */
export function errorStreamProblems (client: Wire, reply: ClientReply): string[] {
  const p: string[] = []
  if (reply.transportError !== undefined) p.push('not a clean end: ' + reply.transportError)
  if (reply.status !== 200) p.push(`status ${reply.status}`)
  if (!String(reply.headers['content-type']).startsWith('text/event-stream')) p.push(`content-type ${String(reply.headers['content-type'])}`)
  const records = sseRecords(reply.text)
  const data = records.map(r => parse(r.data))
  const last = data.at(-1)
  if (data.some(d => d === undefined) && !(client === 'openai-chat' && records.some(r => r.data === '[DONE]'))) p.push('a record that is not JSON')
  switch (client) {
    case 'openai-chat': {
      if (records.some(r => r.data === '[DONE]')) p.push('[DONE] after a failure')
      if (data.some(d => isObject(d) && ((d.choices as Json[] | undefined) ?? []).some(c => c.finish_reason != null))) p.push('a finish_reason made up')
      const error = isObject(last) ? last.error : undefined
      if (!isObject(error) || typeof error.message !== 'string' || typeof error.type !== 'string') p.push('last record is not {error:{message,type}}')
      break
    }
    case 'anthropic': {
      const lastRecord = records.at(-1)
      if (lastRecord?.event !== 'error' || !isObject(last) || last.type !== 'error' || !isObject(last.error) || typeof last.error.type !== 'string' || typeof last.error.message !== 'string') p.push('last record is not event: error {type:"error",error:{type,message}}')
      if (records.some(r => r.event === 'message_stop')) p.push('message_stop after a failure')
      if (data.some(d => isObject(d) && d.type === 'message_delta' && (d.delta as Json | undefined)?.stop_reason != null)) p.push('a stop_reason made up')
      break
    }
    case 'openai-responses': {
      const types = data.map(d => isObject(d) ? d.type : undefined)
      if (records.some((r, i) => r.event !== types[i])) p.push('an event: line differs from data.type')
      if (types.at(-2) !== 'error' || types.at(-1) !== 'response.failed') p.push(`ends with ${String(types.at(-2))}, ${String(types.at(-1))}; wanted error, response.failed`)
      const failed = isObject(last) && isObject(last.response) ? last.response : undefined
      if (failed?.status !== 'failed' || !isObject(failed.error) || failed.error.code == null) p.push('response.failed without status failed and an error code')
      if (types.some(t => t === 'response.completed' || t === 'response.incomplete')) p.push('a completion made up')
      break
    }
    case 'gemini': {
      const error = isObject(last) ? last.error : undefined
      if (!isObject(error) || typeof error.code !== 'number' || error.code < 400 || typeof error.message !== 'string' || typeof error.status !== 'string') p.push('last record is not {error:{code,message,status}}')
      if (data.some(d => isObject(d) && ((d.candidates as Json[] | undefined) ?? []).some(c => c.finishReason !== undefined))) p.push('a finishReason made up')
      break
    }
  }
  return p
}

/** Problems with a stream that must have completed normally, saying "Hello". */
export function completeStreamProblems (client: Wire, reply: ClientReply): string[] {
  const p: string[] = []
  if (reply.transportError !== undefined) p.push('not a clean end: ' + reply.transportError)
  if (reply.status !== 200) p.push(`status ${reply.status}`)
  if (streamText(client, reply.text) !== 'Hello') p.push(`text ${JSON.stringify(streamText(client, reply.text))}`)
  const records = sseRecords(reply.text)
  const data = records.map(r => parse(r.data))
  const last = records.at(-1)
  switch (client) {
    case 'openai-chat': if (last?.data !== '[DONE]') p.push('no [DONE] at the end'); break
    case 'anthropic': if (last?.event !== 'message_stop') p.push('no message_stop at the end'); break
    case 'openai-responses': if (last?.event !== 'response.completed') p.push('no response.completed at the end'); break
    case 'gemini': if (!data.some(d => isObject(d) && ((d.candidates as Json[] | undefined) ?? []).some(c => c.finishReason === 'STOP'))) p.push('no finishReason STOP'); break
  }
  if (data.some(d => isObject(d) && d.error !== undefined)) p.push('an error record')
  return p
}

/** Problems with a whole reply that must have succeeded, saying "Hello". */
export function wholeReplyProblems (client: Wire, reply: ClientReply): string[] {
  const p: string[] = []
  if (reply.transportError !== undefined) p.push('not a clean end: ' + reply.transportError)
  if (reply.status !== 200) p.push(`status ${reply.status}`)
  const body = parse(reply.text)
  if (!isObject(body)) return [...p, 'not JSON']
  let text: unknown
  if (client === 'openai-chat') text = ((body.choices as Json[] | undefined)?.[0]?.message as Json | undefined)?.content
  if (client === 'anthropic') text = ((body.content as Json[] | undefined)?.[0])?.text
  if (client === 'openai-responses') text = ((((body.output as Json[] | undefined)?.[0])?.content as Json[] | undefined)?.[0])?.text
  if (client === 'gemini') text = ((((body.candidates as Json[] | undefined)?.[0])?.content as Json | undefined)?.parts as Json[] | undefined)?.[0]?.text
  if (text !== 'Hello') p.push(`text ${JSON.stringify(text)}`)
  return p
}

/** `switchyard_active_streams` samples of a /metrics text: backend → value. */
export function activeStreams (metricsText: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of metricsText.matchAll(/^switchyard_active_streams\{backend="([^"]*)"\} (\S+)$/gm)) out[m[1] as string] = Number(m[2])
  return out
}

/** Run `jobs` with at most `limit` at a time, results in order. */
export async function inBatches<T> (limit: number, jobs: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++
      results[i] = await (jobs[i] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker))
  return results
}

// ---- Expectations and the checks after a run -------------------------------------------------

export type Expect =
  /** A stream that completes, saying "Hello". */
  | { readonly kind: 'complete' }
  /** A whole reply that succeeds, saying "Hello". */
  | { readonly kind: 'whole-ok' }
  /** A stream that began ("Hel" first when `hel`), then the dialect's error event saying `says`, then a clean end. */
  | { readonly kind: 'stream-error', readonly hel: boolean, readonly says: string }
  /** An HTTP error in the client's dialect; `exact`: the upstream's own body, untouched (passthrough). */
  | { readonly kind: 'http-error', readonly status: number, readonly says: string, readonly retryAfter?: string, readonly exact?: string }
  /** Passthrough: the upstream's bytes, untouched. */
  | { readonly kind: 'bytes', readonly bytes: Buffer }
  /** Passthrough: a 200 reply that failed after it began, in a way the client can see. */
  | { readonly kind: 'cut', readonly stream: boolean }

/** Problems with one reply against what was expected (empty: as it must be), within `boundMs`. */
export function replyProblems (want: Expect, client: Wire, reply: ClientReply, boundMs: number): string[] {
  const p: string[] = []
  if (reply.ms > boundMs) p.push(`took ${Math.round(reply.ms)} ms`)
  if (reply.text.includes('upstream-key')) p.push('the backend key reached the client')
  switch (want.kind) {
    case 'complete': return [...p, ...completeStreamProblems(client, reply)]
    case 'whole-ok': return [...p, ...wholeReplyProblems(client, reply)]
    case 'stream-error':
      p.push(...errorStreamProblems(client, reply))
      if (want.hel && streamText(client, reply.text) !== 'Hel') p.push(`text before the failure ${JSON.stringify(streamText(client, reply.text))}`)
      if (!reply.text.includes(want.says)) p.push(`the error does not say "${want.says}"`)
      return p
    case 'http-error':
      p.push(...errorBodyProblems(client, reply, want.status))
      if (!reply.text.includes(want.says)) p.push(`the error does not say "${want.says}": ${reply.text.slice(0, 200)}`)
      if (want.exact !== undefined && reply.text !== want.exact) p.push('the upstream error body was changed')
      if (want.retryAfter !== undefined && reply.headers['retry-after'] !== want.retryAfter) p.push(`retry-after ${String(reply.headers['retry-after'])}`)
      return p
    case 'bytes':
      if (reply.transportError !== undefined) p.push('not a clean end: ' + reply.transportError)
      if (reply.status !== 200) p.push(`status ${reply.status}`)
      if (!reply.bytes.equals(want.bytes)) p.push(`bytes changed: ${reply.bytes.length} received, ${want.bytes.length} sent`)
      return p
    case 'cut':
      if (reply.status !== 200) p.push(`status ${reply.status}`)
      if (!want.stream) {
        if (reply.transportError === undefined) p.push('a cut body ended as if complete')
        return p
      }
      if (streamText(client, reply.text) !== 'Hel' && !reply.text.includes('"Hel"')) p.push('the events before the failure were lost')
      // The client must be able to tell: a transport error, or the dialect's error event.
      if (reply.transportError === undefined && errorStreamProblems(client, reply).length > 0) p.push('a cut stream ended as if complete')
      return p
  }
}

/** The upstream's 429/500/529 as a client of `client` must get it through a `backend` backend. */
export function statusExpect (upstream: number, client: Wire, backend: Wire): Expect {
  const same = client === backend
  const status = same || upstream !== 529 ? upstream : client === 'anthropic' ? 529 : 503
  return { kind: 'http-error', status, says: `upstream says ${upstream}`, ...(upstream === 429 ? { retryAfter: '7' } : {}), ...(same ? { exact: errorBody(backend, upstream) } : {}) }
}

/** Wait until `check` holds, up to `ms`; its last answer. */
export async function settle (ms: number, check: () => Promise<boolean> | boolean): Promise<boolean> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await check()) return true
    await sleep(20)
  }
  return check()
}

export async function metricsText (app: StartedApp): Promise<string> {
  const res = await request(app.url + '/metrics')
  return res.body.text()
}

/**
 * After a run: no stream open on any backend, every upstream response closed, and — once the app
 * is closed — no upstream socket left.
 */
export async function checkAfterwards (t: Test, app: StartedApp, upstream: MockUpstream): Promise<void> {
  t.ok(await settle(2000, async () => Object.values(activeStreams(await metricsText(app))).every(v => v === 0)), 'switchyard_active_streams back to 0')
  const closed = Promise.all(upstream.requests.map((_, i) => upstream.closed(i)))
  t.ok(await Promise.race([closed.then(() => true), sleep(2000).then(() => false)]), `all ${upstream.requests.length} upstream responses closed`)
  await app.app.close()
  t.ok(await settle(1000, () => upstream.sockets.size === 0), 'no upstream socket outlives the app')
}
