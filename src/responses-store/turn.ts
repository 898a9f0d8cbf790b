// One Responses request served with the response store: its expanded canonical request
// (open-turn.ts builds it), the client encoders for its reply, and — unless the client said
// `store:false` — the snapshot written once the reply is complete (types.ts says what it holds).
//
// Ids: a kept whole reply (or one replayed as a stream) gets a minted id (ids.ts) instead of
// the one derived from the upstream's; a streamed one keeps the id the stream encoder minted.
// Either way the snapshot is filed under the id the client saw, and its output items under the
// item ids the client saw. A tool call the upstream gave no id is stored with the `call_…` id
// the client was shown, so the client's `function_call_output` pairs with it next turn.
//
// Writing: serialised and size-checked at once; the reply is never touched. A snapshot over the
// size limit is logged and an oversize mark is written instead, so continuing that response gets
// a 404 that says why (plugins/handlers/responses-state.ts). The write itself is not awaited and
// a failure is only logged (warn): the client has its answer, and losing the snapshot shows later
// as a 404 for that id, not a broken reply.
import type { AssistantPart, CanonicalMessage, CanonicalRequest, TextPart } from '../canonical/request.js'
import type { CanonicalResponse } from '../canonical/response.js'
import { encodeResponse } from '../dialects/openai-responses/encode-response.js'
import { ResponsesStreamEncoder } from '../dialects/openai-responses/stream-encoder.js'
import type { OutputItem, WireResponse } from '../dialects/openai-responses/wire.js'
import type { StreamEncoder } from '../dialects/types.js'
import { mintResponseId } from './ids.js'
import { KeepingEncoder } from './keeping-encoder.js'
import { MAX_SNAPSHOT_BYTES, serialiseOversize, serialiseSnapshot } from './snapshot-codec.js'
import type { ItemPosition, ResponseSnapshot, ResponseStore } from './types.js'

export interface TurnLog {
  warn (obj: object, msg: string): void
}

export interface TurnDeps {
  readonly store: ResponseStore
  /** The client key's name, `null` with auth off. */
  readonly owner: string | null
  readonly log: TurnLog
  readonly maxSnapshotBytes?: number
}

/** What the turn carries from its expansion into the snapshot it writes. */
export interface TurnHistory {
  readonly carriedSystem: readonly TextPart[]
  /** Items of earlier replies already in `request.messages` (positions valid there). */
  readonly items: Readonly<Record<string, ItemPosition>>
  /** Parts `item_reference`s resolved to, with their ids: located in `request.messages` when kept. */
  readonly resolved: ReadonlyMap<AssistantPart, string>
}

/** The output as history: ids the client saw for tool calls, no empty text (canonical invariant). */
function outputMessage (answer: CanonicalResponse, output: readonly OutputItem[], at: number, items: Record<string, ItemPosition>): CanonicalMessage | undefined {
  const parts: AssistantPart[] = []
  answer.content.forEach((part, i) => {
    const item = output[i]
    if (item === undefined || (part.type === 'text' && part.text === '')) return
    const shown = part.type === 'tool-call' && 'call_id' in item ? { ...part, id: item.call_id } : part
    items[item.id] = [at, parts.length]
    parts.push(shown)
  })
  return parts.length === 0 ? undefined : { role: 'assistant', parts }
}

export class ResponsesTurn {
  readonly request: CanonicalRequest
  readonly #history: TurnHistory
  readonly #deps: TurnDeps

  constructor (request: CanonicalRequest, history: TurnHistory, deps: TurnDeps) {
    this.request = request
    this.#history = history
    this.#deps = deps
  }

  /** Whether the reply is kept (the client did not say `store:false`). */
  get keeps (): boolean {
    return this.request.store === true
  }

  streamEncoder (): StreamEncoder {
    const inner = new ResponsesStreamEncoder(this.request)
    return this.keeps ? new KeepingEncoder(inner, (answer, wire, wireJson) => { this.#keep(answer, wire, wireJson) }) : inner
  }

  /** A whole upstream answer about to be replayed as a stream: a fresh id when it is kept. */
  replayed (answer: CanonicalResponse): CanonicalResponse {
    return this.keeps ? { ...answer, id: mintResponseId() } : answer
  }

  /** The whole reply's response object, kept unless `store:false`. */
  encodeWhole (answer: CanonicalResponse): WireResponse {
    if (!this.keeps) return encodeResponse(answer, this.request)
    const minted = { ...answer, id: mintResponseId() }
    const wire = encodeResponse(minted, this.request)
    this.#keep(minted, wire)
    return wire
  }

  #snapshot (answer: CanonicalResponse, wire: WireResponse): ResponseSnapshot | undefined {
    if (wire.output.length !== answer.content.length) return undefined
    const req = this.request
    // Null-prototype: V8 keeps it a hash table, where each reply's unique item ids would
    // otherwise add hidden-class transitions to the shared empty-object map.
    const items: Record<string, ItemPosition> = Object.assign(Object.create(null) as Record<string, ItemPosition>, this.#history.items)
    const resolved = this.#history.resolved
    for (let m = 0; resolved.size > 0 && m < req.messages.length; m++) {
      const message = req.messages[m]!
      if (message.role !== 'assistant') continue
      for (let p = 0; p < message.parts.length; p++) {
        const id = resolved.get(message.parts[p]!)
        if (id !== undefined) items[id] = [m, p]
      }
    }
    const output = outputMessage(answer, wire.output, req.messages.length, items)
    return {
      id: wire.id,
      owner: this.#deps.owner,
      model: req.model,
      createdAt: wire.created_at,
      instructions: req.system,
      carriedSystem: this.#history.carriedSystem,
      messages: output === undefined ? req.messages : [...req.messages, output],
      items,
      response: wire,
    }
  }

  #keep (answer: CanonicalResponse, wire: WireResponse, wireJson?: string): void {
    const { store, log } = this.#deps
    const snapshot = this.#snapshot(answer, wire)
    if (snapshot === undefined) {
      log.warn({ responseId: wire.id }, 'response not stored: its output does not match the reply')
      return
    }
    const limit = this.#deps.maxSnapshotBytes ?? MAX_SNAPSHOT_BYTES
    const serialised = serialiseSnapshot(snapshot, limit, wireJson)
    let json: string
    if (serialised.ok) {
      json = serialised.json
    } else {
      log.warn({ responseId: wire.id, bytes: serialised.bytes, limit }, 'response not stored: the conversation is too large')
      json = serialiseOversize({ id: wire.id, owner: snapshot.owner, oversize: { bytes: serialised.bytes, limit } })
    }
    store.put(wire.id, json).catch((err: unknown) => {
      log.warn({ responseId: wire.id, code: (err as { code?: unknown }).code }, 'response not stored: the response store failed')
    })
  }
}
