// `item_reference` resolution (issue 6 §1): an output item id the client saw → the assistant
// part it stands for, from the snapshot of the response that produced it. Snapshots record the
// items of every earlier reply they replayed too (types.ts `items`), so a client that references
// a whole history (the AI SDK with store:true) is served by ONE lookup — the snapshot of the
// response its last reference names — and only ids that one does not know cost more lookups,
// at most MAX_LOOKUPS per request. An id no snapshot resolves stays unresolved: the decoder
// answers 400 naming it.
import type { AssistantPart } from '../canonical/request.js'
import { responseIdOf } from './ids.js'
import type { ResponseSnapshot } from './types.js'

/** Snapshots fetched for one request's references, beyond the previous response. */
export const MAX_LOOKUPS = 16

export type LoadSnapshot = (id: string) => Promise<ResponseSnapshot | undefined>

export class ItemRefs {
  readonly #parts = new Map<string, AssistantPart>()
  /** Resolved part → its item id, so the next snapshot can record where it landed. */
  readonly resolved = new Map<AssistantPart, string>()

  /** Index every item `snapshot` knows. */
  add (snapshot: ResponseSnapshot): void {
    for (const [id, [m, p]] of Object.entries(snapshot.items)) {
      const message = snapshot.messages[m]
      if (message?.role !== 'assistant') continue
      const part = message.parts[p]
      if (part !== undefined) this.#parts.set(id, part)
    }
  }

  has (id: string): boolean {
    return this.#parts.has(id)
  }

  /** The decoder's lookup (decode-input.ts ItemLookup). */
  readonly lookup = (id: string): AssistantPart | undefined => {
    const part = this.#parts.get(id)
    if (part !== undefined) this.resolved.set(part, id)
    return part
  }

  /** Fetch the snapshots the still-unknown `ids` name: the last one's first, then the rest together. */
  async load (ids: readonly string[], fetch: LoadSnapshot): Promise<void> {
    const tried = new Set<string>()
    const missing = (): string[] => {
      const out = new Set<string>()
      for (const id of ids) {
        const response = this.has(id) ? undefined : responseIdOf(id)
        if (response !== undefined && !tried.has(response)) out.add(response)
      }
      return [...out]
    }
    const first = missing().at(-1)
    if (first === undefined) return
    tried.add(first)
    const newest = await fetch(first)
    if (newest !== undefined) this.add(newest)
    const rest = missing().slice(0, MAX_LOOKUPS - 1)
    const loaded = await Promise.all(rest.map(fetch))
    for (const snapshot of loaded) if (snapshot !== undefined) this.add(snapshot)
  }
}
