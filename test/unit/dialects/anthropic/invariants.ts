// A small checker for the canonical stream invariants (src/canonical/events.ts), used on the
// Anthropic stream decoder's output. Returns the violations found (empty = valid).
import type { BlockKind, CanonicalEvent } from '../../../../src/canonical/events.js'

const DELTA_KINDS: Readonly<Record<string, readonly BlockKind[]>> = {
  'text-delta': ['text', 'refusal'],
  'reasoning-delta': ['reasoning'],
  'tool-input-delta': ['tool-call'],
}

export function violations (events: readonly CanonicalEvent[]): string[] {
  const out: string[] = []
  let started = false
  let finished = false
  let nextIndex = 0
  let open: { index: number, kind: BlockKind, signed: boolean } | undefined
  events.forEach((e, i) => {
    const at = `#${i} ${e.type}`
    if (finished) out.push(`${at}: after the terminal event`)
    if (e.type === 'ping') return
    if (e.type === 'error') { finished = true; return }
    if (e.type === 'message-start') {
      if (started) out.push(`${at}: second message-start`)
      started = true
      return
    }
    if (!started) out.push(`${at}: before message-start`)
    switch (e.type) {
      case 'block-start':
        if (open !== undefined) out.push(`${at}: block ${open.index} still open`)
        if (e.index !== nextIndex) out.push(`${at}: index ${e.index}, expected ${nextIndex}`)
        if (e.kind === 'tool-call' && (e.toolCallId === undefined || e.toolName === undefined)) out.push(`${at}: tool call without id/name`)
        nextIndex = e.index + 1
        open = { index: e.index, kind: e.kind, signed: false }
        return
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-input-delta':
        if (open === undefined || open.index !== e.index) out.push(`${at}: targets block ${e.index}, not the open one`)
        else if (!(DELTA_KINDS[e.type] ?? []).includes(open.kind)) out.push(`${at}: on a ${open.kind} block`)
        return
      case 'signature':
        if (open === undefined || open.index !== e.index) out.push(`${at}: targets block ${e.index}, not the open one`)
        else if (open.signed) out.push(`${at}: second signature`)
        else open.signed = true
        return
      case 'block-end':
        if (open === undefined || open.index !== e.index) out.push(`${at}: ends block ${e.index}, not the open one`)
        open = undefined
        return
      case 'message-end':
        if (open !== undefined) out.push(`${at}: block ${open.index} still open`)
        finished = true
    }
  })
  return out
}
