// Responses `input` → canonical system parts and messages (PROTOCOLS.md §2.1, §6.1, §6.2).
// System/developer input messages join `instructions` in the canonical system prompt, in order.
// Not yet mapped: every item type but `message` (function_call, function_call_output,
// reasoning, item_reference, custom/hosted tool items…), `input_file` and `refusal` parts,
// `input_image.file_id`.
import type { CanonicalMessage, ImagePart, TextPart } from '../../canonical/request.js'

/** What this decoder produces until the Responses issue maps items beyond messages. */
type Part = TextPart | ImagePart
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { imageUrl } from '../shared/images.js'
import {
  expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, optionalString,
} from '../shared/json.js'
import { pushText, simpleMessage } from '../shared/request.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const ROLES = ['user', 'assistant', 'system', 'developer'] as const
const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const MESSAGE_KEYS = rules(['type', 'role', 'content'], 'input[]')
const TEXT_KEYS = rules(['type', 'text'], 'input[].content[]')
const IMAGE_KEYS = rules(['type', 'image_url', 'detail'], 'input[].content[]')

export function decodeInput (input: unknown, system: TextPart[], messages: CanonicalMessage[]): void {
  if (typeof input === 'string') {
    const parts: TextPart[] = []
    pushText(parts, input)
    messages.push({ role: 'user', parts })
    return
  }
  const items = expectArray(input, 'input')
  for (let i = 0; i < items.length; i++) decodeItem(items[i], itemPath('input', i), system, messages)
}

function decodeItem (value: unknown, path: string, system: TextPart[], messages: CanonicalMessage[]): void {
  const item = expectObject(value, path)
  // §2.1: `type` may be omitted on a message that has a `role`.
  const type = isAbsent(item.type) ? 'message' : expectString(item.type, fieldPath(path, 'type'))
  if (type !== 'message') throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
  checkKeys(item, path, MESSAGE_KEYS)
  const role = expectOneOf(item.role, fieldPath(path, 'role'), ROLES)
  const content = fieldPath(path, 'content')
  if (role === 'system' || role === 'developer') return decodeContent(item.content, content, system, false)
  const parts: Part[] = []
  decodeContent(item.content, content, parts, role === 'user')
  messages.push(simpleMessage(role, parts))
}

/**
 * `content`: a string or a list of parts. System and assistant content is text only
 * (`imagesAllowed` false), which is what lets a `TextPart[]` be filled through `Part[]`.
 */
function decodeContent (content: unknown, path: string, parts: Part[], imagesAllowed: boolean): void {
  if (isAbsent(content)) throw convertError(path, 'required')
  if (typeof content === 'string') return pushText(parts, content)
  const list = expectArray(content, path)
  for (let i = 0; i < list.length; i++) decodePart(list[i], itemPath(path, i), parts, imagesAllowed)
}

function decodePart (value: unknown, path: string, parts: Part[], imagesAllowed: boolean): void {
  const part = expectObject(value, path)
  const type = expectString(part.type, fieldPath(path, 'type'))
  // Replayed history mixes input_text and output_text freely; both are plain text.
  if (type === 'input_text' || type === 'output_text') {
    checkKeys(part, path, TEXT_KEYS)
    return pushText(parts, expectString(part.text, fieldPath(path, 'text')))
  }
  if (type === 'input_image' && imagesAllowed) {
    checkKeys(part, path, IMAGE_KEYS)
    const url = imageUrl(part.image_url, fieldPath(path, 'image_url'))
    const detail = optionalString(part.detail, fieldPath(path, 'detail'))
    parts.push(detail === undefined ? { type: 'image', url } : { type: 'image', url, detail })
    return
  }
  throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
}
