// One upstream output item as the Responses stream decoder tracks it (PROTOCOLS.md §2.3–§2.5,
// §6.12, §7.29). Items are keyed by `output_index` only: some upstreams rotate `item_id` on every
// event (vercel/ai fixture github-copilot-id-rotation), so ids are not trusted for matching.
import type { BlockKind } from '../../canonical/events.js'
import type { ItemKind, ReasoningSource, ToolHead } from './decode-output.js'
import { PART_SEPARATOR } from './decode-output.js'

/** Text an item produced while it could not stream (another item owned the open block). */
export interface Segment {
  readonly kind: BlockKind
  text: string
}

const TEXT_KEY = 'c'
const INPUT_KEY = 'a'

function reasoningKey (source: ReasoningSource, index: number): string {
  return (source === 'content' ? 'r' : 's') + index
}

export class StreamItem {
  /** Tool items: call_id/name/namespace, once known (normally at `output_item.added`). */
  head: ToolHead | undefined = undefined
  /** Produced while buffered, merged by kind; replayed when the item goes live. */
  readonly pending: Segment[] = []
  /** `output_item.done` arrived; its `encrypted_content` (reasoning) is kept until the block ends. */
  done = false
  signature: string | undefined = undefined
  /** Reasoning: the source that produced text first; the other one is then ignored. */
  private source: ReasoningSource | undefined = undefined
  /** Parts that already produced text: `c<n>` message content, `s<n>` summary, `r<n>` reasoning_text, `a` tool input. */
  private readonly seen = new Set<string>()
  private lastPart = ''

  constructor (readonly outputIndex: number, readonly kind: ItemKind) {}

  get isTool (): boolean {
    return this.kind === 'function' || this.kind === 'custom'
  }

  /** A tool call's block needs its id and name at start (events.ts invariant). */
  get ready (): boolean {
    return !this.isTool || this.head !== undefined
  }

  /** Whether a part already produced text (so its `.done` repeat or complete copy is skipped). */
  seenText (contentIndex: number): boolean {
    return this.seen.has(TEXT_KEY + contentIndex)
  }

  seenReasoning (source: ReasoningSource, index: number): boolean {
    return this.seen.has(reasoningKey(source, index))
  }

  seenInput (): boolean {
    return this.seen.has(INPUT_KEY)
  }

  /** Which reasoning source a `.done` fallback should read: the streamed one, else `preferred`. */
  reasoningSource (preferred: ReasoningSource): ReasoningSource {
    return this.source ?? preferred
  }

  /** Marks a text/refusal part (`contentIndex`) or, without one, the tool input as having produced `text`; false when empty. */
  take (text: string, contentIndex?: number): boolean {
    if (text === '') return false
    this.seen.add(contentIndex === undefined ? INPUT_KEY : TEXT_KEY + contentIndex)
    return true
  }

  /**
   * Reasoning text of one part, ready to emit: prefixed with a blank line when it starts a new
   * part after earlier text (several summary paragraphs become one canonical text); `undefined`
   * when empty or from the source that lost.
   */
  takeReasoning (source: ReasoningSource, index: number, text: string): string | undefined {
    if (text === '' || (this.source !== undefined && this.source !== source)) return undefined
    this.source = source
    const key = reasoningKey(source, index)
    const out = this.lastPart !== '' && this.lastPart !== key ? PART_SEPARATOR + text : text
    this.lastPart = key
    this.seen.add(key)
    return out
  }

  buffer (kind: BlockKind, text: string): void {
    const last = this.pending[this.pending.length - 1]
    if (last !== undefined && last.kind === kind) last.text += text
    else this.pending.push({ kind, text })
  }
}
