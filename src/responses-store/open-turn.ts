// Before conversion: a Responses request read with the response store (issue 6 §1). The
// snapshot `previous_response_id` names and those its `item_reference`s name are fetched, the
// request is decoded with references resolved, and the stored conversation is put in front of
// the new input (expand.ts: overlap and system rules). A snapshot another client key created
// counts as unknown: ids are capabilities only within one key.
//
// Outcomes: a turn; `not-found` for an unknown, expired or foreign `previous_response_id`
// (OpenAI answers 404 `previous_response_not_found`, never a silent fresh start); `unavailable`
// when the store cannot be reached. A request that cannot be decoded throws the decoder's 400.
import { decodeStatefulRequest } from '../dialects/openai-responses/decode-request.js'
import { referencedItemIds } from '../dialects/openai-responses/decode-input.js'
import { isObject } from '../dialects/shared/json.js'
import type { ClientOperation } from '../dialects/types.js'
import { isStoreUnavailable } from './errors.js'
import { appendTurn, carrySystem } from './expand.js'
import { isStorableId } from './ids.js'
import { ItemRefs } from './item-refs.js'
import { ResponsesTurn, type TurnDeps } from './turn.js'
import type { ResponseSnapshot } from './types.js'

export type TurnFailure =
  | { readonly kind: 'not-found', readonly id: string }
  | { readonly kind: 'unavailable', readonly cause: unknown }

export type OpenedTurn =
  | { readonly ok: true, readonly turn: ResponsesTurn }
  | { readonly ok: false, readonly failure: TurnFailure }

/** A snapshot by id, as `owner` may see it: `undefined` when unknown, expired or another key's. */
export async function fetchOwned (deps: Pick<TurnDeps, 'store' | 'owner'>, id: string): Promise<ResponseSnapshot | undefined> {
  if (!isStorableId(id)) return undefined
  const snapshot = await deps.store.get(id)
  return snapshot === undefined || snapshot.owner !== deps.owner ? undefined : snapshot
}

export async function openTurn (body: unknown, op: ClientOperation, deps: TurnDeps): Promise<OpenedTurn> {
  const json = isObject(body) ? body : undefined
  const previousId = typeof json?.previous_response_id === 'string' ? json.previous_response_id : undefined
  const referenced = referencedItemIds(json?.input)
  const refs = new ItemRefs()
  const fetch = (id: string): Promise<ResponseSnapshot | undefined> => fetchOwned(deps, id)
  let previous: ResponseSnapshot | undefined
  try {
    if (previousId !== undefined) {
      previous = await fetch(previousId)
      if (previous === undefined) return { ok: false, failure: { kind: 'not-found', id: previousId } }
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
