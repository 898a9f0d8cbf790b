// The coze backend (issue 6 §3): Coze bots (chat v3) and workflows behind any client dialect.
// Unlike the other backends, what a request runs depends on the client's headers (`x-model-type`,
// `x-bot-id`, `x-workflow-id`, `x-conversation-id`) and the backend's `coze` settings, so the
// BackendSide is built per request from a resolved CozeTarget:
//   resolveCozeTarget → [prepareCall → readCreatedConversation → withConversation] →
//   cozeBackend(target).encodeRequest / createStreamDecoder → cozeResponseHeaders(target).
// No token counting: Coze offers no count endpoint. Management endpoints: management-routes.ts.
import type { CanonicalRequest } from '../../canonical/request.js'
import type { BackendSide } from '../types.js'
import { CozeChatStreamDecoder } from './chat-stream-decoder.js'
import { decodeResponse } from './decode-response.js'
import { encodeCozeRequest } from './encode-request.js'
import { cozeJsonError, parseError } from './errors.js'
import type { CozeTarget } from './target.js'
import { CozeWorkflowStreamDecoder } from './workflow-stream-decoder.js'

/** The backend half for one request's target. `BackendOptions` are unused: the bot owns its model. */
export function cozeBackend (target: CozeTarget): BackendSide {
  return {
    encodeRequest: (request: CanonicalRequest) => encodeCozeRequest(request, target),
    decodeResponse,
    createStreamDecoder: (request: CanonicalRequest) => target.mode === 'workflow'
      ? new CozeWorkflowStreamDecoder(request)
      : new CozeChatStreamDecoder(request),
    parseError,
    // Coze reports many failures as HTTP 200 with `{code≠0, msg}`, even to a stream request.
    jsonError: cozeJsonError,
  }
}

export { cozeJsonError, parseError } from './errors.js'
export { cozeManagementCall, matchCozeManagement, type CozeCall, type CozeManagementOp } from './management-routes.js'
export { cozeManagementReply } from './management-replies.js'
export { prepareCall, readCreatedConversation } from './prepare.js'
export { HEADER as COZE_HEADERS, type CozeSettings } from './settings.js'
export {
  cozeResponseHeaders,
  resolveCozeTarget,
  withConversation,
  type CozeMode,
  type CozeRequestContext,
  type CozeResult,
  type CozeTarget,
  type HeaderBag,
} from './target.js'
