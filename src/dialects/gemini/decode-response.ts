// A whole `generateContent` reply → CanonicalResponse, and a `countTokens` reply → its count,
// for a Gemini backend (PROTOCOLS.md §4.1, §4.2, §6.7, §6.8). The reply is fed as one chunk
// through the stream decoder and folded with the canonical ResponseAccumulator, so a whole
// reply and a streamed one map identically (blocks, signatures, minted call ids, finish, usage).
// A 200 body that is an error envelope, or a reply with neither a finishReason nor a blocked
// prompt, is not a usable response: the upstream-invalid-data error says why (the handler
// renders it as a 502 naming the backend).
import type { CanonicalEvent } from '../../canonical/events.js'
import { ResponseAccumulator } from '../../canonical/accumulate.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse } from '../../canonical/response.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import { isObject } from '../shared/json.js'
import { GeminiStreamDecoder } from './stream-decoder.js'

/** Upstream messages travel in our error text: bounded, never a whole payload. */
const MAX_MESSAGE = 300

function bounded (text: string): string {
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE) + '…' : text
}

export function decodeResponse (body: unknown, request: CanonicalRequest): CanonicalResponse {
  if (!isObject(body)) throw new UpstreamInvalidData('the reply is not a JSON object')
  const acc = new ResponseAccumulator()
  const sink = (event: CanonicalEvent): void => { acc.push(event) }
  const decoder = new GeminiStreamDecoder(request)
  decoder.pushChunk(body, sink)
  decoder.end(sink)
  if (acc.error !== undefined) throw new UpstreamInvalidData('the reply is an error: ' + bounded(acc.error.message))
  const response = acc.result()
  if (response === undefined) throw new UpstreamInvalidData('the reply has no finishReason')
  return response
}

/** `countTokens` reply: `{totalTokens:N}` (§4.1). */
export function decodeCountTokens (body: unknown): number {
  const total = isObject(body) ? body.totalTokens : undefined
  if (typeof total === 'number' && Number.isInteger(total) && total >= 0) return total
  throw new UpstreamInvalidData('the countTokens reply has no totalTokens count')
}
