// Canonical content → Gemini parts for Gemini clients (PROTOCOLS.md §4.2, §6.9, §6.12):
// reasoning is a `thought` text part; a tool call is ONE whole `functionCall` part with parsed
// `args`. Signatures (the contract every Gemini helper follows): a reasoning block's signature,
// of any family, reaches the client as a `thoughtSignature` whose value is
// signatureFor('gemini', …) — the raw value for Gemini's own, else a `swy1.` envelope carrying
// the signature and the block's full text — so the next turn can restore the block exactly
// (client-model-turn.ts). Shown thoughts carry it on a thought part at the block's end; hidden
// thoughts hand it to the next part sent (SignatureHold).
import type { Signature } from '../../canonical/signature.js'
import { signatureFor } from '../../canonical/signature.js'
import { parseToolArguments } from '../shared/tool-arguments.js'
import type { GeminiPart } from './wire.js'

/** `undefined` when the arguments are not a JSON object (→ `MALFORMED_FUNCTION_CALL`). */
export function functionCallPart (id: string | undefined, name: string, args: string): GeminiPart | undefined {
  const parsed = parseToolArguments(args)
  if (parsed === undefined) return undefined
  return { functionCall: id === undefined ? { name, args: parsed } : { id, name, args: parsed } }
}

/** §5.5: never `parts:[]` (js-genai chat history rejects it); an empty text part is fine. */
export const EMPTY_PARTS: readonly GeminiPart[] = [{ text: '' }]

/** A reasoning block's `thoughtSignature` value; `undefined` when the block carries nothing. */
export function reasoningSignature (signature: Signature | undefined, text: string, redacted: boolean): string | undefined {
  if (signature === undefined && text === '' && !redacted) return undefined
  return redacted ? signatureFor('gemini', signature, text, true) : signatureFor('gemini', signature, text)
}

/** A tool call's own signature: only Gemini's has a slot (`thoughtSignature` on the call part). */
export function callSignature (signature: Signature | undefined): string | undefined {
  return signature?.family === 'gemini' ? signature.value : undefined
}

export function signed<P extends GeminiPart> (part: P, signature: string | undefined): P {
  return signature === undefined ? part : { ...part, thoughtSignature: signature }
}

/**
 * Hidden thoughts: the signature waits for the next part sent. A part holds one signature, so a
 * second one arriving while one waits pushes the first out on an empty text part.
 */
export class SignatureHold {
  private held: string | undefined = undefined

  /** Hold `signature`; returns the part that must go out first, if one was waiting. */
  hold (signature: string): GeminiPart | undefined {
    const previous = this.flush()
    this.held = signature
    return previous
  }

  /** The waiting signature, handed to the part about to be sent. */
  take (): string | undefined {
    const held = this.held
    this.held = undefined
    return held
  }

  /** The waiting signature on its own empty text part, if any. */
  flush (): GeminiPart | undefined {
    const held = this.take()
    return held === undefined ? undefined : { text: '', thoughtSignature: held }
  }
}
