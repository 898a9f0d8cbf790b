// The item-identity rules openai-node 7.x enforces on a Responses stream (PROTOCOLS.md §5.3),
// stricter than the 6.49 SDK the tests install: checked here on the raw events so the gateway
// satisfies the client users will run. Returns every violation, in stream order ([] = valid).
type Json = Record<string, unknown>

const LIFECYCLE = new Set(['response.created', 'response.in_progress', 'response.completed', 'response.incomplete', 'response.failed', 'response.queued'])
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])
/** Item-scoped events and the item type they belong to. */
const ITEM_TYPE: Readonly<Record<string, string>> = {
  'response.content_part.added': 'message',
  'response.content_part.done': 'message',
  'response.output_text.delta': 'message',
  'response.output_text.done': 'message',
  'response.refusal.delta': 'message',
  'response.refusal.done': 'message',
  'response.function_call_arguments.delta': 'function_call',
  'response.function_call_arguments.done': 'function_call',
  'response.custom_tool_call_input.delta': 'custom_tool_call',
  'response.custom_tool_call_input.done': 'custom_tool_call',
  'response.reasoning_summary_part.added': 'reasoning',
  'response.reasoning_summary_part.done': 'reasoning',
  'response.reasoning_summary_text.delta': 'reasoning',
  'response.reasoning_summary_text.done': 'reasoning',
  'response.reasoning_text.delta': 'reasoning',
  'response.reasoning_text.done': 'reasoning',
}
const KNOWN = new Set([...LIFECYCLE, ...Object.keys(ITEM_TYPE), 'response.output_item.added', 'response.output_item.done', 'error', 'keepalive'])

function identity (item: Json): string | undefined {
  if (typeof item.id === 'string' && item.id !== '') return 'id:' + item.id
  if ((item.type === 'function_call' || item.type === 'custom_tool_call') && typeof item.call_id === 'string' && item.call_id !== '') return 'call:' + item.call_id
  return undefined
}

export function responsesViolations (events: readonly Json[]): string[] {
  const problems: string[] = []
  const items: Json[] = []
  const seen = new Set<string>()
  let terminal = false
  events.forEach((e, n) => {
    const type = String(e.type)
    const at = `#${n} ${type}`
    if (e.sequence_number !== n) problems.push(`${at}: sequence_number ${String(e.sequence_number)}, expected ${n}`)
    if (n === 0 && type !== 'response.created') problems.push(`${at}: the first event must be response.created`)
    if (terminal) problems.push(`${at}: event after the terminal event`)
    if (!KNOWN.has(type)) problems.push(`${at}: not an event type the API emits`)
    if (TERMINAL.has(type)) terminal = true
    if (type === 'response.output_item.added') {
      const item = e.item as Json
      if (e.output_index !== items.length) problems.push(`${at}: output_index ${String(e.output_index)}, expected ${items.length}`)
      const id = identity(item)
      if (id === undefined) problems.push(`${at}: item without a non-empty id/call_id`)
      else if (seen.has(id)) problems.push(`${at}: duplicate output item identity ${id}`)
      else seen.add(id)
      if ((item.type === 'function_call' || item.type === 'custom_tool_call') && (typeof item.call_id !== 'string' || item.call_id === '')) problems.push(`${at}: call without call_id`)
      items.push(item)
      return
    }
    if (type === 'response.output_item.done') {
      const item = e.item as Json
      const added = items[e.output_index as number]
      if (added === undefined) { problems.push(`${at}: missing output at index ${String(e.output_index)}`); return }
      for (const key of ['id', 'type', 'call_id'] as const) {
        if (added[key] !== item[key]) problems.push(`${at}: ${key} ${String(item[key])} differs from the added item's ${String(added[key])}`)
      }
      return
    }
    const itemType = ITEM_TYPE[type]
    if (itemType !== undefined) {
      const item = items[e.output_index as number]
      if (item === undefined) { problems.push(`${at}: missing output at index ${String(e.output_index)}`); return }
      if (e.item_id !== item.id) problems.push(`${at}: item_id ${String(e.item_id)}, expected ${String(item.id)}`)
      if (item.type !== itemType) problems.push(`${at}: expected output item type ${itemType}, got ${String(item.type)}`)
    }
  })
  if (!terminal) problems.push('the stream has no terminal event')
  return problems
}

/** The `output_item.done` items of a stream, in output_index order. */
export function doneItems (events: readonly Json[]): Json[] {
  const out: Json[] = []
  for (const e of events) if (e.type === 'response.output_item.done') out[e.output_index as number] = e.item as Json
  return out
}
