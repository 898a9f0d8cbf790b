// Gemini `streamGenerateContent?alt=sse` → canonical events, for a Gemini backend (PROTOCOLS.md
// §4.3, §4.4 a–e, §6.12 "Upstream GEM → others"), keeping every invariant of
// src/canonical/events.ts. Frames are data-only, each a complete GenerateContentResponse holding
// only the NEW parts; there is no `[DONE]`. Each frame's JSON is parsed once.
// - the first chunk → message-start (id = responseId, else a minted one; model = modelVersion,
//   else the requested model; created from Vertex's `createTime`, else now), carrying that
//   chunk's usage;
// - parts of `candidates[0]` → blocks (decode-parts.ts); other candidates are ignored
//   (Switchyard never asks for candidateCount > 1);
// - `usageMetadata` on any later chunk → a `usage` event (a running total: the latest wins),
//   also when it rides on a chunk with text (§7.35);
// - `finishReason` closes the open block and is remembered; parts after it are ignored;
//   message-end follows when the stream ends cleanly (end()). A blocked prompt
//   (`promptFeedback.blockReason`, no candidates) ends the same way, as a content-filter stop;
// - an `{error}` chunk (§4.4 e) → the canonical error; nothing follows;
// - a stream that ends with neither finish nor error gets nothing more: the client encoder
//   renders the truncation (never a made-up finish). Invalid JSON or a non-object frame throws
//   the upstream-invalid-data error (the pipeline turns it into an error event);
// - `:` comments are keep-alives and become `ping`.
// `pushChunk` takes an already-parsed chunk: decodeResponse feeds a whole reply through it.
import type { CanonicalEvent } from '../../canonical/events.js'
import type { Finish } from '../../canonical/finish-reason.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { Usage } from '../../canonical/usage.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import type { SseFrame } from '../../sse/frame.js'
import type { EventSink, StreamDecoder } from '../types.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { parseUpstreamObject } from '../shared/upstream-json.js'
import { randomBase64url } from '../shared/random-ids.js'
import { streamError } from './backend-errors.js'
import { blockedFinish, decodeFinish } from './decode-finish.js'
import { PartDecoder } from './decode-parts.js'
import { decodeUsage } from './decode-usage.js'

const PING: CanonicalEvent = { type: 'ping' }

/** The candidate with index 0 (proto3 JSON omits a zero index). */
function firstCandidate (candidates: unknown): JsonObject | undefined {
  if (!Array.isArray(candidates)) return undefined
  for (const c of candidates) if (isObject(c) && (c.index === undefined || c.index === 0)) return c
  return undefined
}

function createdOf (chunk: JsonObject): number {
  const ms = typeof chunk.createTime === 'string' ? Date.parse(chunk.createTime) : Number.NaN
  return Math.floor((Number.isFinite(ms) ? ms : Date.now()) / 1000)
}

export class GeminiStreamDecoder implements StreamDecoder {
  private readonly model: string
  private readonly parts: PartDecoder
  private started = false
  private finish: Finish | undefined = undefined
  /** After end() or an error: nothing more is emitted. */
  private done = false

  constructor (request: CanonicalRequest) {
    this.model = request.model
    this.parts = new PartDecoder(request)
  }

  push (frame: SseFrame, out: EventSink): void {
    if (this.done) return
    if (frame.comment !== undefined) return out(PING)
    if (frame.data === '') return
    this.pushChunk(parseUpstreamObject(frame.data, 'a stream chunk'), out)
  }

  /** The upstream ended: a finish already ended the reply; without one, nothing (truncation). */
  end (out: EventSink): void {
    if (this.done) return
    this.done = true
    if (this.finish !== undefined) out({ type: 'message-end', finish: this.finish })
  }

  /** One GenerateContentResponse, parsed. */
  pushChunk (chunk: JsonObject, out: EventSink): void {
    if (this.done) return
    if (isObject(chunk.error)) {
      this.done = true
      return out({ type: 'error', error: streamError(chunk) })
    }
    const usage = decodeUsage(chunk.usageMetadata)
    if (!this.started) this.start(chunk, usage, out)
    else if (usage !== undefined) out({ type: 'usage', usage })
    if (this.finish !== undefined) return
    const candidate = firstCandidate(chunk.candidates)
    if (candidate !== undefined) this.candidate(candidate, out)
    else {
      const feedback = chunk.promptFeedback
      if (isObject(feedback) && typeof feedback.blockReason === 'string' && feedback.blockReason !== '') {
        // Content may have come before the block: its block ends before the finish.
        this.parts.close(out)
        this.finish = blockedFinish(feedback.blockReason)
      }
    }
    // The chunk with the finish reason is the last (its usage is final, §4.3): the reply is
    // over now, not when the upstream gets round to closing the connection.
    if (this.finish !== undefined) {
      this.done = true
      out({ type: 'message-end', finish: this.finish })
    }
  }

  private start (chunk: JsonObject, usage: Usage | undefined, out: EventSink): void {
    this.started = true
    const id = typeof chunk.responseId === 'string' && chunk.responseId !== '' ? chunk.responseId : randomBase64url(16)
    const model = typeof chunk.modelVersion === 'string' && chunk.modelVersion !== '' ? chunk.modelVersion : this.model
    const base = { type: 'message-start', id, model, created: createdOf(chunk) } as const
    out(usage === undefined ? base : { ...base, usage })
  }

  private candidate (candidate: JsonObject, out: EventSink): void {
    const content = candidate.content
    if (isObject(content) && content.parts !== undefined && content.parts !== null) {
      if (!Array.isArray(content.parts)) throw new UpstreamInvalidData('candidate content.parts is not an array')
      for (const part of content.parts) this.parts.part(part, out)
    }
    const reason = candidate.finishReason
    if (typeof reason === 'string' && reason !== '') {
      this.parts.close(out)
      this.finish = decodeFinish(reason, this.parts.sawCall)
    }
  }
}
