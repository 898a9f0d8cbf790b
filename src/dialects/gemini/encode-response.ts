// CanonicalResponse → GenerateContentResponse (PROTOCOLS.md §4.2, §6.9): one candidate, role
// `model`, index 0. Tool calls that do not parse to an object are not emitted and the finish
// becomes `MALFORMED_FUNCTION_CALL`, as Gemini itself reports it (§6.12). Thoughts are shown
// only when the client asked (`includeThoughts` → `reasoning.visible`): then each reasoning
// block is one `{text, thought:true, thoughtSignature}` part; hidden, its signature rides on
// the next part (parts.ts). Tool calls carry the canonical id so the client can echo it on
// `functionResponse.id`; names are the client's own (a Gemini client has no namespaces).
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse, ContentBlock } from '../../canonical/response.js'
import { geminiFinishReason, MALFORMED_FUNCTION_CALL } from './finish-reason.js'
import { callSignature, EMPTY_PARTS, functionCallPart, reasoningSignature, SignatureHold, signed } from './parts.js'
import { usageMetadata } from './usage.js'
import type { GeminiPart, GenerateContentResponse } from './wire.js'

export function encodeResponse (res: CanonicalResponse, req: CanonicalRequest): GenerateContentResponse {
  const parts: GeminiPart[] = []
  const malformed = encodeBlocks(res.content, req.reasoning?.visible === true, parts)
  const candidate = {
    content: { role: 'model' as const, parts: parts.length === 0 ? EMPTY_PARTS : parts },
    finishReason: malformed ? MALFORMED_FUNCTION_CALL : geminiFinishReason(res.finish),
    index: 0,
  }
  return res.usage === undefined
    ? { candidates: [candidate], modelVersion: res.model, responseId: res.id }
    : { candidates: [candidate], usageMetadata: usageMetadata(res.usage), modelVersion: res.model, responseId: res.id }
}

/** Appends the blocks' parts; true when a tool call was malformed. */
function encodeBlocks (content: readonly ContentBlock[], showThoughts: boolean, parts: GeminiPart[]): boolean {
  const hold = new SignatureHold()
  let malformed = false
  const push = (part: GeminiPart | undefined): void => { if (part !== undefined) parts.push(part) }
  for (const block of content) {
    switch (block.type) {
      case 'text':
      case 'refusal':
        // Refusals are text to Gemini.
        parts.push(signed({ text: block.text }, hold.take()))
        break
      case 'reasoning': {
        const signature = reasoningSignature(block.signature, block.text, block.redacted === true)
        if (showThoughts && (block.text !== '' || signature !== undefined)) parts.push(signed({ text: block.text, thought: true as const }, signature))
        else if (!showThoughts && signature !== undefined) push(hold.hold(signature))
        break
      }
      case 'tool-call': {
        const part = functionCallPart(block.id, block.name, block.arguments)
        if (part === undefined) { malformed = true; break }
        const own = callSignature(block.signature)
        if (own !== undefined) push(hold.flush())
        parts.push(signed(part, own ?? hold.take()))
        break
      }
    }
  }
  push(hold.flush())
  return malformed
}
