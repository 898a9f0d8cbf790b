// Responses `input` → canonical system parts and messages (PROTOCOLS.md §2.1, §6.1, §6.6, §9).
// Items are decoded one by one (decode-content.ts, decode-items.ts, decode-hosted-items.ts) and
// folded into turns:
// - system/developer messages join `instructions` in the canonical system prompt, in order,
//   wherever they appear (§6.1), and do not interrupt a turn;
// - reasoning, calls and assistant messages that follow one another are ONE assistant turn (a
//   Responses reply is a list of such items: reasoning, a preamble, calls…); only an assistant
//   message after one that already answered starts a new turn, so two replayed answers stay two;
// - outputs that follow one another are tool results of ONE user message; a user message item
//   is always its own message (after the results, as §6.6 orders them);
// - `item_reference` is resolved through `refs` (the response store's items, looked up by the
//   handler before decoding: plugins/handlers/responses-state.ts) into the assistant part it
//   names; without `refs`, or for an id it does not know, it is rejected by path (§7.23);
//   hosted-tool items are dropped or mapped as decode-hosted-items.ts says; any other item type
//   is rejected by path.
import type { AssistantPart, CanonicalMessage, DroppedField, TextPart, UserPart } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, isObject, itemPath, type JsonObject } from '../shared/json.js'
import { pushText } from '../shared/request.js'
import { decodeMessageContent } from './decode-content.js'
import {
  applyPatchCall, applyPatchOutput, DROPPED_ITEMS, localShellCall, localShellOutput, shellCall, shellOutput, type ShellIds,
} from './decode-hosted-items.js'
import { customToolCall, functionCall, reasoning, toolOutput, type CallNames } from './decode-items.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const ROLES = ['user', 'assistant', 'system', 'developer'] as const
const MESSAGE_KEYS: KeyRules = { known: new Set(['type', 'role', 'content']), ignored: IGNORED_FIELDS, pattern: 'input[]' }
const REFERENCE_KEYS: KeyRules = { known: new Set(['type', 'id']), ignored: IGNORED_FIELDS, pattern: 'input[]' }
const NO_STORE = 'item references are resolved only for requests converted to another backend dialect; send the full item instead (or use store:false)'
const UNKNOWN_ITEM = 'names no output item of a stored response (unknown, expired, or not an output item); send the full item instead'

/** An output item id → the assistant part it holds, from the response store; `undefined` when unknown. */
export type ItemLookup = (id: string) => AssistantPart | undefined

/** Folds decoded items into canonical messages (see the header). */
class Turns {
  readonly messages: CanonicalMessage[] = []
  private assistant: AssistantPart[] | undefined = undefined
  /** Whether the open assistant turn already holds answer text or a refusal. */
  private answered = false
  private results: UserPart[] | undefined = undefined

  user (parts: UserPart[]): void {
    this.assistant = undefined
    this.results = undefined
    this.messages.push({ role: 'user', parts })
  }

  /** An assistant message item: joins the open turn unless that turn already answered. */
  answer (parts: readonly AssistantPart[]): void {
    if (this.answered) this.assistant = undefined
    this.assistantItem(parts)
    if (parts.some(p => p.type === 'text' || p.type === 'refusal')) this.answered = true
  }

  /** Reasoning and calls join the open assistant turn. */
  assistantItem (parts: readonly AssistantPart[]): void {
    this.results = undefined
    if (this.assistant === undefined) {
      this.assistant = []
      this.answered = false
      this.messages.push({ role: 'assistant', parts: this.assistant })
    }
    this.assistant.push(...parts)
  }

  result (part: UserPart): void {
    this.assistant = undefined
    if (this.results === undefined) {
      this.results = []
      this.messages.push({ role: 'user', parts: this.results })
    }
    this.results.push(part)
  }
}

interface Context {
  readonly system: TextPart[]
  readonly turns: Turns
  readonly names: CallNames
  readonly shellIds: ShellIds
  readonly dropped: DroppedField[]
  readonly refs: ItemLookup | undefined
}

export function decodeInput (input: unknown, system: TextPart[], messages: CanonicalMessage[], dropped: DroppedField[], refs?: ItemLookup): void {
  if (typeof input === 'string') {
    const parts: TextPart[] = []
    pushText(parts, input)
    messages.push({ role: 'user', parts })
    return
  }
  const items = expectArray(input, 'input')
  const ctx: Context = { system, turns: new Turns(), names: new Map(), shellIds: new Map(), dropped, refs }
  for (let i = 0; i < items.length; i++) decodeItem(items[i], itemPath('input', i), ctx)
  messages.push(...ctx.turns.messages)
}

/** §2.1: `type` may be omitted on a message (it has a `role`) and on an item reference (only an `id`). */
function itemType (item: JsonObject, path: string): string {
  if (!isAbsent(item.type)) return expectString(item.type, fieldPath(path, 'type'))
  return isAbsent(item.role) && !isAbsent(item.id) ? 'item_reference' : 'message'
}

function isReference (item: JsonObject): boolean {
  return item.type === 'item_reference' || (isAbsent(item.type) && isAbsent(item.role) && !isAbsent(item.id))
}

/** The ids `input` references (loosely read: decoding validates), for the handler to look up first. */
export function referencedItemIds (input: unknown): string[] {
  if (!Array.isArray(input)) return []
  const ids: string[] = []
  for (const item of input as unknown[]) {
    if (isObject(item) && isReference(item) && typeof item.id === 'string') ids.push(item.id)
  }
  return ids
}

function reference (item: JsonObject, path: string, ctx: Context): void {
  if (ctx.refs === undefined) throw convertError(path, NO_STORE, true)
  checkKeys(item, path, REFERENCE_KEYS)
  const id = expectString(item.id, fieldPath(path, 'id'))
  const part = ctx.refs(id)
  if (part === undefined) throw convertError(path, `item_reference '${id}' ${UNKNOWN_ITEM}`)
  if (part.type === 'text' || part.type === 'refusal') return ctx.turns.answer([part])
  if (part.type === 'tool-call') ctx.names.set(part.id, part.name)
  ctx.turns.assistantItem([part])
}

function decodeItem (value: unknown, path: string, ctx: Context): void {
  const item = expectObject(value, path)
  const type = itemType(item, path)
  const { turns, names } = ctx
  switch (type) {
    case 'message': return decodeMessage(item, path, ctx)
    case 'reasoning': {
      const part = reasoning(item, path)
      if (part !== undefined) turns.assistantItem([part])
      return
    }
    case 'function_call': return turns.assistantItem([functionCall(item, path, names)])
    case 'custom_tool_call': return turns.assistantItem([customToolCall(item, path, names)])
    case 'local_shell_call': return turns.assistantItem([localShellCall(item, path, names, ctx.shellIds)])
    case 'shell_call': return turns.assistantItem([shellCall(item, path, names)])
    case 'apply_patch_call': return turns.assistantItem([applyPatchCall(item, path, names)])
    case 'function_call_output':
    case 'custom_tool_call_output': return turns.result(toolOutput(item, path, names))
    case 'local_shell_call_output': return turns.result(localShellOutput(item, path, names, ctx.shellIds))
    case 'shell_call_output': return turns.result(shellOutput(item, path, names))
    case 'apply_patch_call_output': return turns.result(applyPatchOutput(item, path, names))
    case 'item_reference': return reference(item, path, ctx)
  }
  const reason = DROPPED_ITEMS[type]
  if (reason === undefined) throw convertError(fieldPath(path, 'type'), `'${type}' is not supported yet`, true)
  ctx.dropped.push({ path, reason })
}

function decodeMessage (item: JsonObject, path: string, ctx: Context): void {
  checkKeys(item, path, MESSAGE_KEYS)
  const role = expectOneOf(item.role, fieldPath(path, 'role'), ROLES)
  const content = fieldPath(path, 'content')
  if (role === 'system' || role === 'developer') return decodeMessageContent(item.content, content, 'text', ctx.system)
  if (role === 'user') {
    const parts: UserPart[] = []
    decodeMessageContent(item.content, content, 'user', parts)
    return ctx.turns.user(parts)
  }
  const parts: AssistantPart[] = []
  decodeMessageContent(item.content, content, 'assistant', parts)
  ctx.turns.answer(parts)
}
