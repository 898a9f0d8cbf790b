// What one request runs on Coze, read from the client's headers and the backend's settings
// (issue 6 §3). Decisions:
// - `x-model-type` picks the mode: `chat` (default), `conversation` or `workflow`; anything else
//   is a 400 naming the header;
// - `x-bot-id` and `x-workflow-id` override the backend's configured bot/workflow. They are
//   honoured only when the caller says the client key may override (`overridesAllowed`); a key
//   that may not gets a 403 naming the header rather than a silently different bot;
// - `x-conversation-id` is not an override but the client's own thread: it is read in
//   `conversation` mode only, and is a 400 in the other modes (it would be ignored otherwise);
// - ids go into upstream paths and queries, so they must be plain tokens (Coze's are digits).
import type { CanonicalError } from '../../canonical/error.js'
import { DEFAULT_WORKFLOW_INPUT, HEADER, type CozeSettings } from './settings.js'

export type CozeMode = 'chat' | 'conversation' | 'workflow'

export type CozeTarget =
  | { readonly mode: 'chat', readonly botId: string, readonly userId?: string }
  /**
   * Without `conversationId`, the conversation is created first (prepare.ts); `fresh` marks one
   * created for this request, which is seeded with the whole history rather than the new turn.
   */
  | { readonly mode: 'conversation', readonly botId: string, readonly userId?: string, readonly conversationId?: string, readonly fresh?: true }
  /** `botId` only when the client named one by header: some workflows need their bot (docs). */
  | { readonly mode: 'workflow', readonly workflowId: string, readonly input: string, readonly botId?: string }

export type CozeResult<T> =
  | { readonly ok: true, readonly value: T }
  | { readonly ok: false, readonly error: CanonicalError }

/** Request headers as Node gives them (lower-case names). */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>

export interface CozeRequestContext {
  readonly headers: HeaderBag
  readonly settings?: CozeSettings
  /** True when this client key may pick another bot or workflow by header (issue 6 §3). */
  readonly overridesAllowed: boolean
}

const MODES: readonly CozeMode[] = ['chat', 'conversation', 'workflow']
const ID = /^[A-Za-z0-9_-]{1,128}$/

export function isCozeId (value: string): boolean {
  return ID.test(value)
}

export function headerValue (headers: HeaderBag, name: string): string | undefined {
  const raw = headers[name]
  const value = typeof raw === 'string' ? raw : raw?.[0]
  if (value === undefined) return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

export function invalid (param: string, message: string): { readonly ok: false, readonly error: CanonicalError } {
  return { ok: false, error: { kind: 'invalid_request', status: 400, message: param + ': ' + message, param } }
}

/** A header naming an id: absent, a valid id, or the error to send. */
function idHeader (headers: HeaderBag, name: string): CozeResult<string | undefined> {
  const value = headerValue(headers, name)
  if (value !== undefined && !isCozeId(value)) return invalid(name, 'must be a Coze id (letters, digits, "_" or "-")')
  return { ok: true, value }
}

/** An id header that overrides a backend setting; refused for keys that may not override. */
function overrideHeader (ctx: CozeRequestContext, name: string): CozeResult<string | undefined> {
  const read = idHeader(ctx.headers, name)
  if (!read.ok || read.value === undefined || ctx.overridesAllowed) return read
  return { ok: false, error: { kind: 'permission', status: 403, message: name + ': this key may not override the backend\'s Coze settings', param: name } }
}

export function resolveMode (headers: HeaderBag): CozeResult<CozeMode> {
  const value = headerValue(headers, HEADER.mode)?.toLowerCase() ?? 'chat'
  if (!(MODES as readonly string[]).includes(value)) return invalid(HEADER.mode, 'must be one of ' + MODES.join(', '))
  return { ok: true, value: value as CozeMode }
}

/** The bot a request uses: the allowed `x-bot-id`, else the backend's `coze.botId`. */
export function resolveBot (ctx: CozeRequestContext): CozeResult<string> {
  const header = overrideHeader(ctx, HEADER.botId)
  if (!header.ok) return header
  const botId = header.value ?? ctx.settings?.botId
  if (botId === undefined) return invalid(HEADER.botId, 'no Coze bot: send the header or configure coze.botId on the backend')
  return { ok: true, value: botId }
}

export function resolveCozeTarget (ctx: CozeRequestContext): CozeResult<CozeTarget> {
  const mode = resolveMode(ctx.headers)
  if (!mode.ok) return mode
  const conversation = idHeader(ctx.headers, HEADER.conversationId)
  if (!conversation.ok) return conversation
  if (conversation.value !== undefined && mode.value !== 'conversation') {
    return invalid(HEADER.conversationId, 'only used with ' + HEADER.mode + ': conversation')
  }
  if (mode.value === 'workflow') return workflowTarget(ctx)
  const bot = resolveBot(ctx)
  if (!bot.ok) return bot
  const userId = ctx.settings?.userId
  const base = userId === undefined ? { botId: bot.value } : { botId: bot.value, userId }
  if (mode.value === 'chat') return { ok: true, value: { mode: 'chat', ...base } }
  return {
    ok: true,
    value: conversation.value === undefined ? { mode: 'conversation', ...base } : { mode: 'conversation', ...base, conversationId: conversation.value },
  }
}

function workflowTarget (ctx: CozeRequestContext): CozeResult<CozeTarget> {
  const header = overrideHeader(ctx, HEADER.workflowId)
  if (!header.ok) return header
  const workflowId = header.value ?? ctx.settings?.workflowId
  if (workflowId === undefined) return invalid(HEADER.workflowId, 'no Coze workflow: send the header or configure coze.workflowId on the backend')
  const bot = overrideHeader(ctx, HEADER.botId)
  if (!bot.ok) return bot
  const input = ctx.settings?.workflowInput ?? DEFAULT_WORKFLOW_INPUT
  return { ok: true, value: bot.value === undefined ? { mode: 'workflow', workflowId, input } : { mode: 'workflow', workflowId, input, botId: bot.value } }
}

/** The target once its conversation exists (after the prepare step created it). */
export function withConversation (target: CozeTarget, conversationId: string): CozeTarget {
  if (target.mode !== 'conversation') return target
  return { ...target, conversationId, fresh: true }
}

/** Response headers for the client: the conversation to continue, in `conversation` mode. */
export function cozeResponseHeaders (target: CozeTarget): Readonly<Record<string, string>> {
  if (target.mode !== 'conversation' || target.conversationId === undefined) return {}
  return { [HEADER.conversationId]: target.conversationId }
}
