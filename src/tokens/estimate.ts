// Token estimates for `count_tokens` when the backend has no counting endpoint (PROTOCOLS.md
// §3.2, §7.15: Claude Code calls it and misbehaves on 404). The o200k BPE tokenizer is loaded on
// first use only — never on the proxy's hot path — and counts every text the model would read.
import type { CanonicalRequest, Part } from '../canonical/request.js'

/** Per image: what a ~1 megapixel image costs on Anthropic (w*h/750) — the sizes are unknown here. */
export const IMAGE_TOKENS = 1600
/** Per-message framing (role markers) that every chat template adds. */
const MESSAGE_OVERHEAD = 4

type Counter = (text: string) => number
let counter: Promise<Counter> | undefined

function loadCounter (): Promise<Counter> {
  counter ??= import('gpt-tokenizer/encoding/o200k_base').then(m => (text: string) => m.countTokens(text))
  return counter
}

function partText (part: Part, images: { n: number }): string {
  switch (part.type) {
    case 'text':
    case 'refusal':
    case 'reasoning': return part.text
    case 'image': images.n++; return ''
    case 'document': return part.text ?? ''
    case 'tool-call': return part.name + ' ' + part.arguments
    case 'tool-result': {
      let text = ''
      for (const c of part.content) text += partText(c, images) + '\n'
      return text
    }
  }
}

/** The text of everything the model reads, and how many images it sees. */
export function promptText (req: CanonicalRequest): { text: string, images: number, messages: number } {
  const images = { n: 0 }
  const pieces: string[] = req.system.map(p => p.text)
  for (const m of req.messages) for (const p of m.parts) pieces.push(partText(p, images))
  if (req.tools !== undefined) pieces.push(JSON.stringify(req.tools))
  return { text: pieces.join('\n'), images: images.n, messages: req.messages.length + (req.system.length > 0 ? 1 : 0) }
}

export async function estimateInputTokens (req: CanonicalRequest): Promise<number> {
  const count = await loadCounter()
  const { text, images, messages } = promptText(req)
  return Math.max(1, count(text) + images * IMAGE_TOKENS + messages * MESSAGE_OVERHEAD)
}
