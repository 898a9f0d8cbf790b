// Snapshots to and from the JSON both stores keep. Versioned (`v`), so a fleet mid-upgrade reads
// only what it understands: anything else — another version, a foreign or truncated value — is
// treated as absent (the client gets the 404 of an unknown id), never a 500.
//
// Size: one snapshot holds the whole conversation, images included. Above MAX_SNAPSHOT_BYTES it
// is not kept (the caller logs it): a store is no place for megabytes per turn, and Redis
// values that large stall every other client of the server while they move. An oversize mark
// (id, owner, sizes) is kept in its place, so the next turn is told why it cannot continue.
import type { OversizeMark, ResponseSnapshot, StoredResponse } from './types.js'

const VERSION = 1
/** 4 MiB of JSON. */
export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024

export type Serialised =
  | { readonly ok: true, readonly json: string }
  | { readonly ok: false, readonly bytes: number }

/**
 * `responseJson`, when given, is `JSON.stringify(snapshot.response)` already made (a stream's
 * terminal event carried it): it is spliced in rather than serialised again — with Codex's tools
 * echoed, the response is tens of KB. `response` is the last field either way.
 */
export function serialiseSnapshot (snapshot: ResponseSnapshot, maxBytes = MAX_SNAPSHOT_BYTES, responseJson?: string): Serialised {
  // Fields named, not spread: a rest/spread copy was half this function's time (issue 8).
  const head = {
    v: VERSION,
    id: snapshot.id,
    owner: snapshot.owner,
    model: snapshot.model,
    createdAt: snapshot.createdAt,
    instructions: snapshot.instructions,
    carriedSystem: snapshot.carriedSystem,
    messages: snapshot.messages,
    items: snapshot.items,
  }
  const json = JSON.stringify(head).slice(0, -1) + ',"response":' + (responseJson ?? JSON.stringify(snapshot.response) ?? 'null') + '}'
  // UTF-16 length bounds UTF-8 bytes from below and from above by 3x: count only when close.
  const bytes = json.length * 3 <= maxBytes ? json.length : Buffer.byteLength(json)
  return bytes <= maxBytes ? { ok: true, json } : { ok: false, bytes }
}

export function serialiseOversize (mark: OversizeMark): string {
  return JSON.stringify({ v: VERSION, id: mark.id, owner: mark.owner, oversize: mark.oversize })
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseOversize (value: Record<string, unknown>, oversize: Record<string, unknown>): OversizeMark | undefined {
  const { bytes, limit } = oversize
  if (typeof bytes !== 'number' || typeof limit !== 'number') return undefined
  return { id: value.id as string, owner: value.owner as string | null, oversize: { bytes, limit } }
}

/** A snapshot or an oversize mark; anything else (another version, foreign, truncated) is `undefined`. */
export function parseStored (json: string): StoredResponse | undefined {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return undefined
  }
  if (!isRecord(value) || value.v !== VERSION) return undefined
  if (typeof value.id !== 'string' || (value.owner !== null && typeof value.owner !== 'string')) return undefined
  if (value.oversize !== undefined) return isRecord(value.oversize) ? parseOversize(value, value.oversize) : undefined
  const ok = typeof value.model === 'string' && typeof value.createdAt === 'number' && Array.isArray(value.instructions) &&
    Array.isArray(value.carriedSystem) && Array.isArray(value.messages) && isRecord(value.items) && isRecord(value.response)
  if (!ok) return undefined
  const { v: _v, ...snapshot } = value
  return snapshot as unknown as ResponseSnapshot
}
