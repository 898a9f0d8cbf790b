// One upstream tool call as the Chat stream decoder assembles it (PROTOCOLS.md §6.12, §7.1–7.3).
// Upstream fragments are matched to calls by (index, id): indexes may be 1-based or missing,
// ids may come only on the first fragment, continuations may carry `id:null`/`name:null`.
import type { JsonObject } from '../shared/json.js'

/**
 * `live`: owns (or, until its name is known, will own) the open canonical block;
 * `queued`: buffered, flushed as one sequential block at finish; `done`: its block has ended.
 */
export type CallState = 'live' | 'queued' | 'done'

export class StreamToolCall {
  /** The upstream `index`, a matching key only (never a canonical index). */
  key: number | undefined
  /** The upstream id, once one was sent. */
  id: string | undefined = undefined
  name: string | undefined = undefined
  /** Concatenated argument fragments, never parsed except to decide completeness (§7.1). */
  args = ''
  state: CallState = 'queued'
  /** Canonical block index once started, else -1. */
  block = -1
  /** Calls to custom tools: the wrapped `{"input":…}` arguments are unwrapped at the end. */
  custom = false

  constructor (readonly ordinal: number, key: number | undefined) {
    this.key = key
  }
}

export function fragmentId (item: JsonObject): string | undefined {
  return typeof item.id === 'string' && item.id !== '' ? item.id : undefined
}

export function fragmentKey (item: JsonObject): number | undefined {
  return typeof item.index === 'number' ? item.index : undefined
}

/**
 * The call a fragment continues, or `undefined` for a new call. An id decides when there is one
 * (a known id is that call; a new id under a known index is a new call, unless that call has
 * no id yet); otherwise the latest call with the same index; with neither, the latest call.
 */
export function findCall (calls: readonly StreamToolCall[], id: string | undefined, key: number | undefined): StreamToolCall | undefined {
  if (id !== undefined) {
    for (let i = calls.length - 1; i >= 0; i--) if (calls[i]?.id === id) return calls[i]
  }
  if (key === undefined) return id === undefined ? calls[calls.length - 1] : undefined
  for (let i = calls.length - 1; i >= 0; i--) {
    const call = calls[i]
    if (call !== undefined && call.key === key) return id === undefined || call.id === undefined ? call : undefined
  }
  return undefined
}

/** §7.2: whether a live call's arguments are complete, so the next call may stream live. */
export function isCompleteJson (args: string): boolean {
  if (args === '') return false
  try {
    JSON.parse(args)
    return true
  } catch {
    return false
  }
}
