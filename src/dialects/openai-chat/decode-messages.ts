// Chat `messages[]` → canonical system parts and messages (PROTOCOLS.md §1.1, §6.1, §6.2).
// `system`/`developer` messages may appear anywhere; they are hoisted, in order, into the
// canonical system prompt (the choice §6.1 asks us to document). Not yet mapped: `tool` and
// `function` messages, assistant `tool_calls`/`function_call`/`refusal`/`audio`, and
// `input_audio`, `file`, `refusal` content parts.
import type { CanonicalMessage, Part, TextPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { imageUrl } from '../shared/images.js'
import { expectArray, expectObject, expectString, fieldPath, isAbsent, itemPath, optionalString } from '../shared/json.js'
import { pushText } from '../shared/request.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const ROLES = 'system, developer, user, assistant'
const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const SYSTEM_KEYS = rules(['role', 'content'], 'messages[]')
const USER_KEYS = rules(['role', 'content'], 'messages[]')
const ASSISTANT_KEYS = rules(['role', 'content', 'refusal'], 'messages[]')
const TEXT_PART_KEYS = rules(['type', 'text'], 'messages[].content[]')
const IMAGE_PART_KEYS = rules(['type', 'image_url'], 'messages[].content[]')
const IMAGE_URL_KEYS = rules(['url', 'detail'], 'messages[].content[].image_url')

export function decodeMessage (value: unknown, path: string, system: TextPart[], messages: CanonicalMessage[]): void {
  const m = expectObject(value, path)
  const role = expectString(m.role, fieldPath(path, 'role'))
  switch (role) {
    case 'system':
    case 'developer':
      checkKeys(m, path, SYSTEM_KEYS)
      decodeContent(m.content, fieldPath(path, 'content'), system, false)
      return
    case 'user':
      checkKeys(m, path, USER_KEYS)
      messages.push({ role: 'user', parts: decodeParts(m.content, fieldPath(path, 'content'), true) })
      return
    case 'assistant':
      checkKeys(m, path, ASSISTANT_KEYS)
      if (optionalString(m.refusal, fieldPath(path, 'refusal')) !== undefined) {
        throw convertError(fieldPath(path, 'refusal'), 'not supported yet', true)
      }
      messages.push({ role: 'assistant', parts: decodeParts(m.content, fieldPath(path, 'content'), false) })
      return
    case 'tool':
    case 'function':
      throw convertError(fieldPath(path, 'role'), `'${role}' is not supported yet`, true)
    default:
      throw convertError(fieldPath(path, 'role'), 'must be one of ' + ROLES)
  }
}

function decodeParts (content: unknown, path: string, imagesAllowed: boolean): Part[] {
  const parts: Part[] = []
  decodeContent(content, path, parts, imagesAllowed)
  return parts
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
  if (type === 'text') {
    checkKeys(part, path, TEXT_PART_KEYS)
    return pushText(parts, expectString(part.text, fieldPath(path, 'text')))
  }
  if (type === 'image_url' && imagesAllowed) {
    checkKeys(part, path, IMAGE_PART_KEYS)
    const image = expectObject(part.image_url, fieldPath(path, 'image_url'))
    checkKeys(image, fieldPath(path, 'image_url'), IMAGE_URL_KEYS)
    const url = imageUrl(image.url, fieldPath(path, 'image_url.url'))
    const detail = optionalString(image.detail, fieldPath(path, 'image_url.detail'))
    parts.push(detail === undefined ? { type: 'image', url } : { type: 'image', url, detail })
    return
  }
  throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
}
