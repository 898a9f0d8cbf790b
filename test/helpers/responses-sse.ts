// A Responses upstream's wire format written out (PROTOCOLS.md §2.2–§2.5): output items given as
// facts (text pieces, call fragments, summary parts), turned into the exact event sequence the
// OpenAI API streams — created, in_progress, per item added → part/deltas → done chain →
// output_item.done, then the terminal event carrying the full output — or into the whole
// `response` object. Used by the matrix fixture and the conformance tests alike.
import type { Script } from './mock-upstream.js'

type Json = Record<string, unknown>

export type RespItemSpec =
  | { readonly type: 'message', readonly pieces: readonly string[], readonly refusal?: boolean }
  | { readonly type: 'function_call', readonly callId: string, readonly name: string, readonly pieces: readonly string[], readonly namespace?: string }
  | { readonly type: 'custom_tool_call', readonly callId: string, readonly name: string, readonly pieces: readonly string[] }
  | { readonly type: 'reasoning', readonly summary: ReadonlyArray<readonly string[]>, readonly encrypted?: string }

export interface RespUsage { readonly input: number, readonly output: number, readonly cached?: number, readonly reasoning?: number }

export interface RespEnd {
  readonly status?: 'completed' | 'incomplete' | 'failed'
  readonly incompleteReason?: string
  readonly error?: { readonly code: string, readonly message: string }
  readonly usage?: RespUsage
}

export const RESP_CREATED = 1700000000
const RESP_ID = 'resp_up1'

export function respUsage (u: RespUsage): Json {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.input + u.output,
  }
}

function responseObject (status: string, output: Json[], end: RespEnd | undefined): Json {
  return {
    id: RESP_ID,
    object: 'response',
    created_at: RESP_CREATED,
    status,
    error: end?.error ?? null,
    incomplete_details: end?.incompleteReason === undefined ? null : { reason: end.incompleteReason },
    instructions: null,
    max_output_tokens: null,
    model: 'up-model',
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: end?.usage === undefined ? null : respUsage(end.usage),
    metadata: {},
  }
}

/** The complete item the API reports in `output_item.done` and in `response.output`. */
export function respItem (spec: RespItemSpec, index: number): Json {
  const joined = (pieces: readonly string[]) => pieces.join('')
  switch (spec.type) {
    case 'message': {
      const text = joined(spec.pieces)
      const part = spec.refusal === true ? { type: 'refusal', refusal: text } : { type: 'output_text', text, annotations: [], logprobs: [] }
      return { type: 'message', id: `msg_up${index}`, status: 'completed', role: 'assistant', content: [part] }
    }
    case 'function_call':
      return { type: 'function_call', id: `fc_up${index}`, call_id: spec.callId, name: spec.name, arguments: joined(spec.pieces), status: 'completed', ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }) }
    case 'custom_tool_call':
      return { type: 'custom_tool_call', id: `ctc_up${index}`, call_id: spec.callId, name: spec.name, input: joined(spec.pieces), status: 'completed' }
    case 'reasoning':
      return {
        type: 'reasoning',
        id: `rs_up${index}`,
        summary: spec.summary.map(p => ({ type: 'summary_text', text: joined(p) })),
        ...(spec.encrypted === undefined ? {} : { encrypted_content: spec.encrypted }),
      }
  }
}

function addedItem (spec: RespItemSpec, index: number): Json {
  const done = respItem(spec, index)
  switch (spec.type) {
    case 'message': return { ...done, status: 'in_progress', content: [] }
    case 'function_call': return { ...done, arguments: '', status: 'in_progress' }
    case 'custom_tool_call': return { ...done, input: '', status: 'in_progress' }
    case 'reasoning': return { type: 'reasoning', id: done.id, summary: [] }
  }
}

/** Events of one item, in order, without sequence numbers. */
function itemEvents (spec: RespItemSpec, i: number): Json[] {
  const item = respItem(spec, i)
  const id = item.id as string
  const where = { item_id: id, output_index: i }
  const out: Json[] = [{ type: 'response.output_item.added', output_index: i, item: addedItem(spec, i) }]
  if (spec.type === 'message') {
    const text = spec.pieces.join('')
    if (spec.refusal === true) {
      out.push({ type: 'response.content_part.added', ...where, content_index: 0, part: { type: 'refusal', refusal: '' } })
      for (const delta of spec.pieces) out.push({ type: 'response.refusal.delta', ...where, content_index: 0, delta })
      out.push({ type: 'response.refusal.done', ...where, content_index: 0, refusal: text })
      out.push({ type: 'response.content_part.done', ...where, content_index: 0, part: { type: 'refusal', refusal: text } })
    } else {
      out.push({ type: 'response.content_part.added', ...where, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } })
      for (const delta of spec.pieces) out.push({ type: 'response.output_text.delta', ...where, content_index: 0, delta, logprobs: [] })
      out.push({ type: 'response.output_text.done', ...where, content_index: 0, text, logprobs: [] })
      out.push({ type: 'response.content_part.done', ...where, content_index: 0, part: { type: 'output_text', text, annotations: [], logprobs: [] } })
    }
  } else if (spec.type === 'function_call') {
    for (const delta of spec.pieces) out.push({ type: 'response.function_call_arguments.delta', ...where, delta })
    out.push({ type: 'response.function_call_arguments.done', ...where, arguments: spec.pieces.join(''), name: spec.name })
  } else if (spec.type === 'custom_tool_call') {
    for (const delta of spec.pieces) out.push({ type: 'response.custom_tool_call_input.delta', ...where, delta })
    out.push({ type: 'response.custom_tool_call_input.done', ...where, input: spec.pieces.join('') })
  } else {
    spec.summary.forEach((pieces, s) => {
      const text = pieces.join('')
      out.push({ type: 'response.reasoning_summary_part.added', ...where, summary_index: s, part: { type: 'summary_text', text: '' } })
      for (const delta of pieces) out.push({ type: 'response.reasoning_summary_text.delta', ...where, summary_index: s, delta })
      out.push({ type: 'response.reasoning_summary_text.done', ...where, summary_index: s, text })
      out.push({ type: 'response.reasoning_summary_part.done', ...where, summary_index: s, part: { type: 'summary_text', text } })
    })
  }
  out.push({ type: 'response.output_item.done', output_index: i, item })
  return out
}

/** One SSE record: `event:` line equal to `data.type`, as the API sends (§2.3). */
export function respFrame (data: Json): string {
  return `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`
}

/** The event payloads (with sequence numbers) of a full stream. */
export function respEvents (items: readonly RespItemSpec[], end: RespEnd = {}): Json[] {
  const status = end.status ?? 'completed'
  const events: Json[] = [
    { type: 'response.created', response: responseObject('in_progress', [], undefined) },
    { type: 'response.in_progress', response: responseObject('in_progress', [], undefined) },
  ]
  items.forEach((spec, i) => events.push(...itemEvents(spec, i)))
  const output = items.map(respItem)
  if (status === 'failed') {
    events.push({ type: 'response.failed', response: responseObject('failed', output, end) })
  } else {
    events.push({ type: status === 'completed' ? 'response.completed' : 'response.incomplete', response: responseObject(status, output, end) })
  }
  return events.map((e, n) => ({ ...e, sequence_number: n }))
}

export function respSse (items: readonly RespItemSpec[], end: RespEnd = {}): Script {
  return { headers: { 'content-type': 'text/event-stream' }, frames: respEvents(items, end).map(respFrame) }
}

/** The non-streaming reply: the terminal `response` object. */
export function respWhole (items: readonly RespItemSpec[], end: RespEnd = {}): Script {
  const status = end.status ?? 'completed'
  return { headers: { 'content-type': 'application/json' }, frames: [JSON.stringify(responseObject(status, items.map(respItem), end))] }
}
