// Canonical tool results → Gemini `functionResponse` parts (PROTOCOLS.md §4.1, §6.2, §6.6,
// §7.10, §7.14, §7.32). Choices:
// - `name` is the answered call's wire name (paired by id in encode-contents.ts): Gemini
//   requires it to equal the call's, which a result's own name (bare where the call was
//   namespaced, absent from Chat/Anthropic/Responses clients) would not always do;
// - `id` only when the call carried a Gemini-minted id (call-ids.ts);
// - `response` must be an object: the result's text (text parts and plain-text documents,
//   joined with "\n\n", as the Chat encoder joins them) → `{output}`, or `{error}` when the
//   result is an error;
// - images and file documents inside a result become a text placeholder in that text: Gemini
//   2.x rejects media in a functionResponse, and a separate media part in the same Content
//   breaks the "as many functionResponse parts as calls" rule (§6.2);
// - a call the client never answered gets `{error:"tool result missing"}` (orphan-calls.ts).
import type { ToolResultContent, ToolResultPart } from '../../canonical/request.js'
import { MISSING_RESULT } from '../shared/orphan-calls.js'
import type { SentCall } from './encode-parts.js'
import type { FunctionResponse, RequestPart } from './wire-request.js'

export const IMAGE_PLACEHOLDER = '[image omitted: Gemini function responses carry text only]'
export const DOCUMENT_PLACEHOLDER = '[document omitted: Gemini function responses carry text only]'

function contentText (c: ToolResultContent): string {
  if (c.type === 'text') return c.text
  if (c.type === 'image') return IMAGE_PLACEHOLDER
  return c.url === undefined && c.text !== undefined ? c.text : DOCUMENT_PLACEHOLDER
}

function resultText (content: readonly ToolResultContent[]): string {
  let text = ''
  for (const c of content) {
    const piece = contentText(c)
    if (piece !== '') text += (text === '' ? '' : '\n\n') + piece
  }
  return text
}

function response (result: ToolResultPart | undefined): Readonly<Record<string, unknown>> {
  if (result === undefined) return { error: MISSING_RESULT }
  const text = resultText(result.content)
  return result.isError === true ? { error: text } : { output: text }
}

/** The answer to `call`: its result, or a synthesised error when there is none. */
export function functionResponsePart (call: SentCall, result: ToolResultPart | undefined): RequestPart {
  const functionResponse: FunctionResponse = call.geminiId === undefined
    ? { name: call.name, response: response(result) }
    : { id: call.geminiId, name: call.name, response: response(result) }
  return { functionResponse }
}
