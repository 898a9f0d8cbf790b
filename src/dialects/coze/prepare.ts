// The step before a `conversation` request that names no conversation: create one
// (`POST /v1/conversation/create` with `bot_id`, docs: create_conversation; SDK
// `Conversations.create`), then run the chat in it. Binding the bot matters: only conversations
// created with a `bot_id` show up in that bot's conversation list (list_conversations).
import { UpstreamInvalidData } from '../../errors/codes.js'
import { isObject } from '../shared/json.js'
import type { UpstreamCall } from '../types.js'
import { cozeJsonError } from './errors.js'
import { isCozeId, type CozeResult, type CozeTarget } from './target.js'

export const CREATE_CONVERSATION_PATH = '/v1/conversation/create'

/** The call to make before the chat, or `undefined` when the target needs none. */
export function prepareCall (target: CozeTarget): UpstreamCall | undefined {
  if (target.mode !== 'conversation' || target.conversationId !== undefined) return undefined
  return { method: 'POST', path: CREATE_CONVERSATION_PATH, query: '', body: { bot_id: target.botId } }
}

/**
 * The new conversation's id out of the create reply (any HTTP 2xx; parsed JSON). A Coze failure
 * (`code != 0`) is returned as the error to send; a reply without an id is upstream garbage.
 */
export function readCreatedConversation (body: unknown): CozeResult<string> {
  const error = cozeJsonError(body)
  if (error !== undefined) return { ok: false, error }
  const data = isObject(body) ? body.data : undefined
  const id = isObject(data) ? data.id : undefined
  if (typeof id !== 'string' || !isCozeId(id)) throw new UpstreamInvalidData('the Coze conversation/create reply has no conversation id')
  return { ok: true, value: id }
}
