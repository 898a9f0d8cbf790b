// Coze Open API wire shapes this backend sends and reads. Sources, per shape:
// - chat v3 request/stream (`POST /v3/chat`, `EnterMessage`, `ChatV3Message`, `CreateChatData`,
//   `ChatEventType`): @coze/api 1.3.9 dist/types/resources/chat/chat.d.ts and its stream loop in
//   dist/esm/index.mjs (`Chat.stream`), and the docs page developer_guides/chat_v3 (its stream
//   example is where the framing `event:<name>\ndata:<json>` without a space comes from);
// - conversations (`POST /v1/conversation/create`, `GET /v1/conversations`,
//   `DELETE /v1/conversations/:id`): dist/types/resources/conversations/index.d.ts and the docs
//   pages create_conversation, list_conversations, delete_conversation (delete is not in the SDK);
// - messages (`POST /v1/conversation/message/list?conversation_id=`):
//   dist/types/resources/conversations/messages/messages.d.ts and docs page list_message;
// - workflow stream (`POST /v1/workflow/stream_run`, events Message/Error/Done/Interrupt/PING):
//   dist/types/resources/workflows/runs/runs.d.ts and docs page workflow_stream_run;
// - the `{code, msg}` envelope every reply carries (code 0 = success, even on HTTP 200 failures):
//   `APIClient.makeRequest` in dist/esm/index.mjs and docs page coze_error_codes.
// The Coze docs pages quoted are mirrored in the coze-dev/coze-sdk-gen repository
// (docs/api_markdown/*.md).

/** One message of `additional_messages` (SDK `EnterMessage`). */
export interface CozeEnterMessage {
  readonly role: 'user' | 'assistant'
  /** `question` only with role user; `answer` for the bot's turns (docs: message_type). */
  readonly type: 'question' | 'answer'
  /** Plain text, or the JSON text of an `object_string` item array. */
  readonly content: string
  readonly content_type: 'text' | 'object_string'
}

/** `object_string` items (SDK `ObjectStringItem`): URLs only, Coze fetches them itself. */
export type CozeObjectItem =
  | { readonly type: 'text', readonly text: string }
  | { readonly type: 'image', readonly file_url: string }
  | { readonly type: 'file', readonly file_url: string }

/** `POST /v3/chat` body (SDK `StreamChatReq`); `conversation_id` travels in the query. */
export interface CozeChatBody {
  readonly bot_id: string
  readonly user_id: string
  readonly stream: true
  readonly auto_save_history: boolean
  readonly additional_messages: readonly CozeEnterMessage[]
}

/** `POST /v1/workflow/stream_run` body (SDK `RunWorkflowReq`). */
export interface CozeWorkflowBody {
  readonly workflow_id: string
  readonly parameters: Readonly<Record<string, string>>
  readonly bot_id?: string
}

/** Chat v3 stream event names (SDK `ChatEventType`). */
export const CHAT_EVENT = {
  created: 'conversation.chat.created',
  inProgress: 'conversation.chat.in_progress',
  completed: 'conversation.chat.completed',
  failed: 'conversation.chat.failed',
  requiresAction: 'conversation.chat.requires_action',
  messageDelta: 'conversation.message.delta',
  messageCompleted: 'conversation.message.completed',
  done: 'done',
  error: 'error',
} as const

/** Workflow stream event names (SDK `WorkflowEventType`, plus `PING` from the docs). */
export const WORKFLOW_EVENT = {
  message: 'Message',
  error: 'Error',
  done: 'Done',
  interrupt: 'Interrupt',
  ping: 'PING',
} as const

/** Coze allows at most 100 `additional_messages` (SDK `StreamChatReq` doc; error 4004). */
export const MAX_ADDITIONAL_MESSAGES = 100
