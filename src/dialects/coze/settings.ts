// Per-backend Coze settings (the config entry's `coze` object) and the client headers that pick
// what a request runs. Header names are lower-case, as Node hands them over.

/** `coze: {…}` on a `protocol: coze` backend. Every field is optional; requests may name them by header. */
export interface CozeSettings {
  /** Bot for `chat` and `conversation` requests (and for listing conversations). */
  readonly botId?: string
  /** Workflow for `workflow` requests. */
  readonly workflowId?: string
  /** `user_id` sent to Coze when the client request names no end user. */
  readonly userId?: string
  /** Name of the workflow start-node parameter that receives the user's text. */
  readonly workflowInput?: string
}

export const HEADER = {
  mode: 'x-model-type',
  botId: 'x-bot-id',
  workflowId: 'x-workflow-id',
  conversationId: 'x-conversation-id',
} as const

/**
 * Coze requires a `user_id` on every chat (the SDK invents a random one when the caller gives
 * none). A fixed value keeps one Coze "user" per backend rather than a new one per request.
 */
export const DEFAULT_USER_ID = 'switchyard'

/** The start-node parameter name Coze's own examples use (docs: workflow_stream_run). */
export const DEFAULT_WORKFLOW_INPUT = 'input'
