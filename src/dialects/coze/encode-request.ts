// CanonicalRequest + CozeTarget → the Coze call (docs: chat_v3, workflow_stream_run). Decisions:
// - every call streams (`stream: true`): a non-streamed v3 chat only returns a pending chat that
//   must be polled (SDK `createAndPoll`); the engine assembles whole replies from the stream;
// - `chat` sends the whole history with `auto_save_history: false`: the request is stateless,
//   so nothing is written into a Coze conversation (no conversation litter per request);
// - `conversation` sends `conversation_id` in the query and `auto_save_history: true`. Coze keeps
//   the history, so only the new turn (the messages after the last assistant message) is sent,
//   except into a conversation created for this request, which gets the whole history;
// - `user_id` is the client's end user (`request.user`), else `coze.userId`, else `switchyard`;
// - `workflow` sends `parameters: {<coze.workflowInput ?? "input">: last user text}`;
// - the bot carries its own model, prompt and sampling settings, so the client's temperature,
//   top_p, max tokens, stop, seed, penalties, reasoning and verbosity have no Coze field and are
//   not sent; the system prompt is not sent either (encode-messages.ts). What would change the
//   reply's contract is refused instead: client tools, a forced tool choice, a JSON format;
// - the chat must end with a user turn (Coze answers the last message) and hold ≤ 100 messages.
import type { CanonicalRequest } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { UpstreamCall } from '../types.js'
import { encodeMessages, lastUserText, newTurnStart } from './encode-messages.js'
import { DEFAULT_USER_ID } from './settings.js'
import type { CozeTarget } from './target.js'
import { MAX_ADDITIONAL_MESSAGES, type CozeChatBody, type CozeEnterMessage, type CozeWorkflowBody } from './wire.js'

export const CHAT_PATH = '/v3/chat'
export const WORKFLOW_STREAM_PATH = '/v1/workflow/stream_run'

/** Refuse what a Coze bot cannot honour and the client relies on. */
function checkUnsupported (request: CanonicalRequest): void {
  if (request.tools !== undefined && request.tools.length > 0) {
    throw convertError('tools', 'a Coze bot runs its own plugins; client tools cannot be sent to it', true)
  }
  const choice = request.toolChoice?.type
  if (choice === 'required' || choice === 'tool') throw convertError('tool_choice', 'a Coze bot takes no tool choice', true)
  const format = request.responseFormat?.type
  if (format === 'json_object' || format === 'json_schema') {
    throw convertError('response_format', 'a Coze bot answers in its own format; a JSON response format cannot be requested', true)
  }
}

function chatMessages (request: CanonicalRequest, from: number): CozeEnterMessage[] {
  const messages = encodeMessages(request.messages, from)
  const last = messages[messages.length - 1]
  if (last === undefined || last.role !== 'user') throw convertError('messages', 'a Coze chat must end with a user message')
  if (messages.length > MAX_ADDITIONAL_MESSAGES) {
    throw convertError('messages', `Coze takes at most ${MAX_ADDITIONAL_MESSAGES} messages; this request has ${messages.length}`)
  }
  return messages
}

export function encodeCozeRequest (request: CanonicalRequest, target: CozeTarget): UpstreamCall {
  checkUnsupported(request)
  if (target.mode === 'workflow') {
    const body: CozeWorkflowBody = {
      workflow_id: target.workflowId,
      parameters: { [target.input]: lastUserText(request.messages) },
      ...(target.botId === undefined ? {} : { bot_id: target.botId }),
    }
    return { method: 'POST', path: WORKFLOW_STREAM_PATH, query: '', body }
  }
  const user = request.user ?? target.userId ?? DEFAULT_USER_ID
  if (target.mode === 'chat') {
    const body: CozeChatBody = { bot_id: target.botId, user_id: user, stream: true, auto_save_history: false, additional_messages: chatMessages(request, 0) }
    return { method: 'POST', path: CHAT_PATH, query: '', body }
  }
  const conversationId = target.conversationId
  // A wiring error, not a client one: the prepare step must run first (prepare.ts).
  if (conversationId === undefined) throw new Error('coze: a conversation request needs its conversation created first')
  const from = target.fresh === true ? 0 : newTurnStart(request.messages)
  const body: CozeChatBody = { bot_id: target.botId, user_id: user, stream: true, auto_save_history: true, additional_messages: chatMessages(request, from) }
  return { method: 'POST', path: CHAT_PATH, query: new URLSearchParams({ conversation_id: conversationId }).toString(), body }
}
