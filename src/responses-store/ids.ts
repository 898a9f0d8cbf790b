// Response ids the store keys on, and the response an output item id belongs to.
//
// A kept reply gets an id minted here (`resp_` + 24 random hex, as the Responses stream encoder
// mints its own): ids derived from the upstream's (`chatcmpl-1` → `resp_1`) are not unique across
// servers, and a repeated id would let one conversation overwrite — or continue — another.
// Item ids are `<prefix><response id body>_<output index>` (dialects/openai-responses/items.ts),
// so an `item_reference` names its response without any index.
import { randomHex } from '../dialects/shared/random-ids.js'

const RESPONSE_PREFIX = 'resp_'
const ITEM_PREFIXES = ['msg_', 'fc_', 'ctc_', 'rs_'] as const
/** Longer ids are not ours: refused before any store lookup. */
export const MAX_ID_LENGTH = 128

export function mintResponseId (): string {
  return RESPONSE_PREFIX + randomHex(12)
}

export function isStorableId (id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_LENGTH
}

/** `fc_abc_2` → `resp_abc`; `undefined` when the id does not have an output item's shape. */
export function responseIdOf (itemId: string): string | undefined {
  if (!isStorableId(itemId)) return undefined
  const prefix = ITEM_PREFIXES.find(p => itemId.startsWith(p))
  const cut = itemId.lastIndexOf('_')
  if (prefix === undefined || cut <= prefix.length) return undefined
  return RESPONSE_PREFIX + itemId.slice(prefix.length, cut)
}
