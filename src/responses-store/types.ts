// What the response store keeps for one Responses reply (issue 6 §1), and the store contract
// both implementations (memory-store.ts, redis-store.ts) follow.
//
// A snapshot is self-contained: the whole conversation up to and including the reply, so a
// later turn needs ONE lookup (by `previous_response_id`) on whichever instance it lands, and an
// expired ancestor never breaks a chain. The price is that each turn stores the history again;
// snapshot-codec.ts bounds one snapshot's size, and the memory store bounds its total bytes.
import type { CanonicalMessage, TextPart } from '../canonical/request.js'

/** Where one Responses output item sits in `messages`: [message index, part index]. */
export type ItemPosition = readonly [number, number]

export interface ResponseSnapshot {
  /** The response id the client saw (`resp_…`). */
  readonly id: string
  /** The client key name that created it (`null` with auth off); other keys get a 404. */
  readonly owner: string | null
  /** The model the client asked for. */
  readonly model: string
  /** Unix seconds. */
  readonly createdAt: number
  /** The request's whole canonical system prompt (instructions first). Kept, never replayed. */
  readonly instructions: readonly TextPart[]
  /**
   * System text that came from system/developer INPUT messages, this turn's and the earlier
   * ones': OpenAI carries earlier input items into a continued conversation, but not the earlier
   * `instructions` parameter.
   */
  readonly carriedSystem: readonly TextPart[]
  /** The canonical conversation: every input turn, then the assistant's output as one message. */
  readonly messages: readonly CanonicalMessage[]
  /**
   * Output item ids the client saw (`msg_…`, `fc_…`, `rs_…`, `ctc_…`), this reply's and those
   * of earlier replies this conversation replayed, each with its part in `messages`: how an
   * `item_reference` is resolved.
   */
  readonly items: Readonly<Record<string, ItemPosition>>
  /** The Responses `response` object the client received, as `GET /v1/responses/{id}` returns it. */
  readonly response: unknown
}

/**
 * What is kept instead of a snapshot over the size limit (snapshot-codec.ts): the id was shown to
 * the client, so continuing it must say why it cannot be continued, not that it never existed.
 */
export interface OversizeMark {
  readonly id: string
  readonly owner: string | null
  /** The snapshot's size and the limit it exceeded, in bytes of JSON. */
  readonly oversize: { readonly bytes: number, readonly limit: number }
}

/** What a store holds under a response id. */
export type StoredResponse = ResponseSnapshot | OversizeMark

export function isOversize (stored: StoredResponse): stored is OversizeMark {
  return 'oversize' in stored
}

/**
 * Async for both stores. Every method rejects with `SWY_ERR_RESPONSES_STORE_UNAVAILABLE`
 * (errors.ts) when the store cannot be reached; an unknown or expired id is `undefined`/`false`.
 */
export interface ResponseStore {
  get (id: string): Promise<StoredResponse | undefined>
  /** Keeps the serialised snapshot or oversize mark (snapshot-codec.ts) for the store's TTL. */
  put (id: string, serialised: string): Promise<void>
  /** True when something was deleted. */
  delete (id: string): Promise<boolean>
}
