// Gemini candidate parts → canonical blocks (PROTOCOLS.md §4.2, §4.4, §6.9, §6.12 "Upstream GEM
// → others"), shared by the stream decoder and decodeResponse (which feeds a whole reply through
// the same path, so the two cannot drift). ONE block is open at a time; indexes are dense.
// - `{text}` → a text block, `{text, thought:true}` → a reasoning block; a run of parts of one
//   kind appends to the open block, a switch of kind closes it; empty text adds nothing.
// - each `functionCall` part is one complete call (Gemini never splits them, §4.3): close the
//   open block, block-start with the id a non-Gemini client can hand back (call-ids.ts: Gemini's
//   id and the part's thoughtSignature travel inside it), ONE tool-input-delta holding
//   JSON.stringify(args), block-end. A flattened `<ns>__<name>` is split back into name +
//   namespace (namespaces.ts); a custom tool's `{input:"…"}` becomes its raw input text.
// - signatures: a thoughtSignature on a thought part, or on the first non-thought text part
//   (empty or not) that arrives while a reasoning block is open, is that block's `signature`
//   (family gemini), sent before its block-end. A second signature within one reasoning run
//   starts a new reasoning block, so each signature stays on the thought text it came with. A
//   signature on a text part with no unsigned reasoning open is dropped: Gemini does not
//   validate signatures on non-call parts, and canonical text has no slot for one.
// - `executableCode`, `codeExecutionResult`, `inlineData` and `fileData` outputs have no canonical
//   block (Switchyard never enables code execution or image output for other dialects): skipped,
//   together with any signature they carry.
import type { CanonicalEvent } from '../../canonical/events.js'
import type { CanonicalRequest } from '../../canonical/request.js'
import { UpstreamInvalidData } from '../../errors/codes.js'
import type { EventSink } from '../types.js'
import { customInput, customToolNames } from '../shared/custom-tools.js'
import { isObject, type JsonObject } from '../shared/json.js'
import { namespacedTools, type NamespaceLookup } from '../shared/namespaces.js'
import type { Mutable } from '../shared/request.js'
import { mintCallId } from './call-ids.js'

type BlockStart = Extract<CanonicalEvent, { type: 'block-start' }>
type OpenKind = 'text' | 'reasoning'

const EMPTY_ARGS: JsonObject = {}

function nonEmpty (value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Output kinds with no canonical block. */
function isSkipped (part: JsonObject): boolean {
  return part.executableCode !== undefined || part.codeExecutionResult !== undefined ||
    part.inlineData !== undefined || part.fileData !== undefined
}

export class PartDecoder {
  private readonly custom: ReadonlySet<string>
  private readonly namespaces: NamespaceLookup
  private nextIndex = 0
  private openIndex = -1
  private openKind: OpenKind | undefined = undefined
  /** The open reasoning block already got its signature. */
  private signed = false
  /** At least one function call was emitted (§6.7: the finish becomes tool-calls). */
  sawCall = false

  constructor (request: CanonicalRequest) {
    this.custom = customToolNames(request)
    this.namespaces = namespacedTools(request)
  }

  /** One element of `candidates[0].content.parts`. */
  part (value: unknown, out: EventSink): void {
    if (!isObject(value)) throw new UpstreamInvalidData('a candidate part is not an object')
    const signature = nonEmpty(value.thoughtSignature)
    if (value.functionCall !== undefined && value.functionCall !== null) return this.call(value.functionCall, signature, out)
    if (isSkipped(value)) return
    const text = typeof value.text === 'string' ? value.text : ''
    if (value.thought === true) this.thought(text, signature, out)
    else this.text(text, signature, out)
  }

  /** Ends the open block, if any (a switch of kind, a call, or the finish). */
  close (out: EventSink): void {
    if (this.openKind === undefined) return
    out({ type: 'block-end', index: this.openIndex })
    this.openKind = undefined
    this.openIndex = -1
  }

  private open (kind: OpenKind, out: EventSink): void {
    this.close(out)
    this.openIndex = this.nextIndex++
    this.openKind = kind
    this.signed = false
    out({ type: 'block-start', index: this.openIndex, kind })
  }

  private sign (value: string, out: EventSink): void {
    this.signed = true
    out({ type: 'signature', index: this.openIndex, signature: { family: 'gemini', value } })
  }

  private thought (text: string, signature: string | undefined, out: EventSink): void {
    if (text === '' && signature === undefined) return
    // A second signature in one run: the signed block so far stays as it is, a new one begins.
    if (this.openKind !== 'reasoning' || (signature !== undefined && this.signed)) this.open('reasoning', out)
    if (text !== '') out({ type: 'reasoning-delta', index: this.openIndex, delta: text })
    if (signature !== undefined) this.sign(signature, out)
  }

  private text (text: string, signature: string | undefined, out: EventSink): void {
    if (signature !== undefined && this.openKind === 'reasoning' && !this.signed) this.sign(signature, out)
    if (text === '') return
    if (this.openKind !== 'text') this.open('text', out)
    out({ type: 'text-delta', index: this.openIndex, delta: text })
  }

  private call (value: unknown, signature: string | undefined, out: EventSink): void {
    if (!isObject(value)) throw new UpstreamInvalidData('a functionCall part is not an object')
    const name = nonEmpty(value.name)
    if (name === undefined) throw new UpstreamInvalidData('a functionCall without a name')
    const args = value.args === undefined || value.args === null ? EMPTY_ARGS : value.args
    if (!isObject(args)) throw new UpstreamInvalidData(`functionCall ${name} has args that are not an object`)
    this.close(out)
    const index = this.nextIndex++
    const split = this.namespaces.get(name)
    const custom = split === undefined ? this.custom.has(name) : split.kind === 'custom'
    const start: Mutable<BlockStart> = { type: 'block-start', index, kind: 'tool-call', toolCallId: mintCallId(nonEmpty(value.id), signature), toolName: name }
    if (custom) start.toolKind = 'custom'
    if (split !== undefined) {
      start.toolName = split.name
      start.toolNamespace = split.namespace
    }
    out(start)
    // A custom call whose arguments are not `{input:string}` passes on as the JSON it was.
    const input = (custom ? customInput(args) : undefined) ?? JSON.stringify(args)
    if (input !== '') out({ type: 'tool-input-delta', index, delta: input })
    out({ type: 'block-end', index })
    this.sawCall = true
  }
}
