// Before conversion: a Responses request read with the response store (issue 6 §1). The
// snapshot `previous_response_id` names and those its `item_reference`s name are fetched, the
// request is decoded with references resolved, and the stored conversation is put in front of
// the new input (expand.ts: overlap and system rules). A snapshot another client key created
// counts as unknown: ids are capabilities only within one key.
//
// Outcomes: a turn; `not-found` for an unknown, expired or foreign `previous_response_id`
// (OpenAI answers 404 `previous_response_not_found`, never a silent fresh start); `oversize` for
// one whose conversation was too large to keep (turn.ts), with the sizes; `unavailable` when the
// store cannot be reached. A request that cannot be decoded throws the decoder's 400. An
// `item_reference` into an oversize response is unresolved, as an unknown one.
import { decodeStatefulRequest } from '../dialects/openai-responses/decode-request.js'
import { referencedItemIds } from '../dialects/openai-responses/decode-input.js'
import { isObject } from '../dialects/shared/json.js'
import type { ClientOperation } from '../dialects/types.js'
import { isStoreUnavailable } from './errors.js'
import { appendTurn, carrySystem } from './expand.js'
import { isStorableId } from './ids.js'
import { ItemRefs } from './item-refs.js'
import { ResponsesTurn, type TurnDeps } from './turn.js'
import { isOversize, type OversizeMark, type ResponseSnapshot, type StoredResponse } from './types.js'

export type TurnFailure =
  | { readonly kind: 'not-found', readonly id: string }
  | { readonly kind: 'oversize', readonly id: string, readonly oversize: OversizeMark['oversize'] }
  | { readonly kind: 'unavailable', readonly cause: unknown }

export type OpenedTurn =
  | { readonly ok: true, readonly turn: ResponsesTurn }
  | { readonly ok: false, readonly failure: TurnFailure }

/** A snapshot (or oversize mark) by id, as `owner` may see it: `undefined` when unknown, expired or another key's. */
export async function fetchOwned (deps: Pick<TurnDeps, 'store' | 'owner'>, id: string): Promise<StoredResponse | undefined> {
  if (!isStorableId(id)) return undefined
  const stored = await deps.store.get(id)
  return stored === undefined || stored.owner !== deps.owner ? undefined : stored
}

export async function openTurn (body: unknown, op: ClientOperation, deps: TurnDeps): Promise<OpenedTurn> {
  const json = isObject(body) ? body : undefined
  const previousId = typeof json?.previous_response_id === 'string' ? json.previous_response_id : undefined
  const referenced = referencedItemIds(json?.input)
  const refs = new ItemRefs()
  const fetch = async (id: string): Promise<ResponseSnapshot | undefined> => {
    const stored = await fetchOwned(deps, id)
    return stored === undefined || isOversize(stored) ? undefined : stored
  }
  let previous: ResponseSnapshot | undefined
  try {
    if (previousId !== undefined) {
      const stored = await fetchOwned(deps, previousId)
      if (stored === undefined) return { ok: false, failure: { kind: 'not-found', id: previousId } }
      if (isOversize(stored)) return { ok: false, failure: { kind: 'oversize', id: previousId, oversize: stored.oversize } }
      previous = stored
      refs.add(previous)
    }
    if (referenced.length > 0) await refs.load(referenced, fetch)
  } catch (err) {
    if (isStoreUnavailable(err)) return { ok: false, failure: { kind: 'unavailable', cause: err } }
    throw err
  }
  const decoded = decodeStatefulRequest(body, op, refs.lookup)
  const req = decoded.request
  const inputSystem = req.system.slice(decoded.instructionParts)
  const carriedSystem = carrySystem(previous?.carriedSystem ?? [], inputSystem)
  const request = previous === undefined
    ? req
    : { ...req, system: [...req.system.slice(0, decoded.instructionParts), ...carriedSystem], messages: appendTurn(previous.messages, req.messages) }
  const history = { carriedSystem, items: previous?.items ?? {}, resolved: refs.resolved }
  return { ok: true, turn: new ResponsesTurn(request, history, deps) }
}
