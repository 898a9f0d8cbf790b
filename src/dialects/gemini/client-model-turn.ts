// One `model` turn of a Gemini client's history → canonical assistant parts, with its thoughts
// and `thoughtSignature`s (PROTOCOLS.md §4.1, §6.9). Consecutive `model` Contents are one turn:
// js-genai's chat history keeps one Content per streamed chunk, so a reasoning block's thought
// parts and its signature part arrive in separate Contents.
//
// A run of consecutive thought parts is one ReasoningPart (text concatenated). Every
// thoughtSignature is opened with openSignature(value, 'gemini'):
// - a raw value (minted by a real Gemini backend earlier in the conversation) on a functionCall
//   part is that call's signature; on a thought or text part it signs the open run (an
//   empty-text ReasoningPart when none is open), as the Gemini backend decoder reads it;
// - a Switchyard envelope (reasoning of another family, sealed by our encoders) restores the
//   ReasoningPart it sealed: its text replaces the run's text, its signature and redaction are
//   as sealed, and it ends the run. It sits before the part that carried it (hidden thoughts
//   ride on the next text or functionCall part).
// A run with neither text nor signature carries nothing and is dropped.
import type { AssistantPart, ReasoningPart, ToolCallPart } from '../../canonical/request.js'
import { openSignature, type Signature } from '../../canonical/signature.js'
import { pushText } from '../shared/request.js'

interface Run { text: string, signature?: Signature, redacted?: boolean }

export class ModelTurn {
  readonly parts: AssistantPart[] = []
  private run: Run | undefined = undefined

  /** A `{text}` or `{text, thought:true}` part (text may be empty: a signature carrier). */
  text (text: string, thought: boolean, signature: string | undefined): void {
    if (thought) {
      this.openRun().text += text
      if (signature !== undefined) this.sign(signature)
      return
    }
    if (signature !== undefined) this.sign(signature)
    this.closeRun()
    pushText(this.parts, text)
  }

  call (call: ToolCallPart, signature: string | undefined): void {
    const opened = signature === undefined ? undefined : openSignature(signature, 'gemini')
    if (opened !== undefined && opened.envelope) this.sign(signature as string)
    this.closeRun()
    this.parts.push(opened?.envelope === false && opened.signature !== undefined ? { ...call, signature: opened.signature } : call)
  }

  /** The turn's parts, its last run closed. */
  finish (): AssistantPart[] {
    this.closeRun()
    return this.parts
  }

  private openRun (): Run {
    this.run ??= { text: '' }
    return this.run
  }

  private sign (value: string): void {
    const opened = openSignature(value, 'gemini')
    if (!opened.envelope) {
      if (opened.signature !== undefined) this.openRun().signature = opened.signature
      return
    }
    const run = this.openRun()
    this.run = { text: opened.text ?? run.text }
    if (opened.signature !== undefined) this.run.signature = opened.signature
    if (opened.redacted === true) this.run.redacted = true
    this.closeRun()
  }

  private closeRun (): void {
    const run = this.run
    if (run === undefined) return
    this.run = undefined
    if (run.text === '' && run.signature === undefined && run.redacted !== true) return
    let part: ReasoningPart = { type: 'reasoning', text: run.text }
    if (run.signature !== undefined) part = { ...part, signature: run.signature }
    if (run.redacted === true) part = { ...part, redacted: true }
    this.parts.push(part)
  }
}
