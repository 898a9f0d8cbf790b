// The `mock` backend: answered in process, deterministic, so demos and tests need no network.
// It echoes the last user message's text; usage counts whitespace-separated words, and a
// `maxTokens` below the reply's word count truncates it with finish reason `length`.
import { createHash } from 'node:crypto'
import type { CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import type { CanonicalResponse } from '../../canonical/response.js'
import type { Usage } from '../../canonical/usage.js'

export const MOCK_EMPTY_REPLY = 'Hello from the Switchyard mock backend.'

function textOf (parts: CanonicalRequest['system']): string {
  return parts.map(p => p.text).join('')
}

function wordCount (text: string): number {
  const trimmed = text.trim()
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length
}

/** The reply split into word pieces, each carrying its leading whitespace (stream deltas). */
function pieces (text: string): string[] {
  return text.match(/\s*\S+/g) ?? []
}

interface MockPlan {
  readonly id: string
  readonly model: string
  readonly created: number
  readonly chunks: readonly string[]
  readonly truncated: boolean
  readonly usage: Usage
}

function plan (req: CanonicalRequest, now: number): MockPlan {
  const lastUser = [...req.messages].reverse().find(m => m.role === 'user')
  const echoed = lastUser === undefined ? '' : textOf(lastUser.parts.filter(p => p.type === 'text'))
  const all = pieces(echoed.trim() === '' ? MOCK_EMPTY_REPLY : echoed)
  const limit = req.maxTokens ?? Infinity
  const chunks = all.length > limit ? all.slice(0, limit) : all
  const input = wordCount(textOf(req.system)) + req.messages.reduce(
    (n, m) => n + wordCount(textOf(m.parts.filter(p => p.type === 'text'))), 0)
  const digest = createHash('sha256').update(JSON.stringify(req.messages)).digest('hex').slice(0, 24)
  return {
    id: 'mock-' + digest,
    model: req.model,
    created: Math.floor(now / 1000),
    chunks,
    truncated: chunks.length < all.length,
    usage: { input, output: chunks.length },
  }
}

export function mockResponse (req: CanonicalRequest, now = Date.now()): CanonicalResponse {
  const p = plan(req, now)
  return {
    id: p.id,
    model: p.model,
    created: p.created,
    content: [{ type: 'text', text: p.chunks.join('') }],
    finish: p.truncated ? { reason: 'length' } : { reason: 'stop' },
    usage: p.usage,
  }
}

export function mockEvents (req: CanonicalRequest, now = Date.now()): CanonicalEvent[] {
  const p = plan(req, now)
  const events: CanonicalEvent[] = [
    { type: 'message-start', id: p.id, model: p.model, created: p.created, usage: { input: p.usage.input, output: 0 } },
    { type: 'block-start', index: 0, kind: 'text' },
  ]
  for (const delta of p.chunks) events.push({ type: 'text-delta', index: 0, delta })
  events.push(
    { type: 'block-end', index: 0 },
    { type: 'usage', usage: p.usage },
    { type: 'message-end', finish: p.truncated ? { reason: 'length' } : { reason: 'stop' } },
  )
  return events
}
