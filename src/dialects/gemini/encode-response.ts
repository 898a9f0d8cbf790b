// CanonicalResponse → GenerateContentResponse (PROTOCOLS.md §4.2): one candidate, role
// `model`, index 0. Tool calls that do not parse to an object are not emitted and the finish
// becomes `MALFORMED_FUNCTION_CALL`, as Gemini itself reports it (§6.12).
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse } from '../../canonical/response.js'
import { geminiFinishReason, MALFORMED_FUNCTION_CALL } from './finish-reason.js'
import { EMPTY_PARTS, functionCallPart } from './parts.js'
import { usageMetadata } from './usage.js'
import type { GeminiPart, GenerateContentResponse } from './wire.js'

export function encodeResponse (res: CanonicalResponse, _req: CanonicalRequest): GenerateContentResponse {
  const parts: GeminiPart[] = []
  let malformed = false
  for (const block of res.content) {
    // Refusals are text to Gemini; signatures wait for the Gemini issue (thoughtSignature).
    if (block.type === 'text' || block.type === 'refusal') parts.push({ text: block.text })
    else if (block.type === 'reasoning') parts.push({ text: block.text, thought: true })
    else {
      const part = functionCallPart(block.id, block.name, block.arguments)
      if (part === undefined) malformed = true
      else parts.push(part)
    }
  }
  const candidate = {
    content: { role: 'model' as const, parts: parts.length === 0 ? EMPTY_PARTS : parts },
    finishReason: malformed ? MALFORMED_FUNCTION_CALL : geminiFinishReason(res.finish),
    index: 0,
  }
  return res.usage === undefined
    ? { candidates: [candidate], modelVersion: res.model, responseId: res.id }
    : { candidates: [candidate], usageMetadata: usageMetadata(res.usage), modelVersion: res.model, responseId: res.id }
}
