// Where the system prompt goes in a Responses request, and the `include` list (PROTOCOLS.md §2.1,
// §6.1, §9). Choices made here:
// - without configured instructions, the client's system/developer text is `instructions`,
//   joined with "\n\n" (§6.1);
// - with configured instructions (a Codex-style backend, `instructions` in its config entry),
//   `instructions` is the configured text, byte for byte, whatever the client sent: the ChatGPT
//   Codex endpoint answers `Instructions are not valid` unless they are the prompt it expects,
//   so neither prepending nor appending the client's text to it would do. The client's system
//   text is kept as the first input item, a `developer` message — where Codex itself sends its
//   user and environment instructions (§9) — unless it is the configured text itself (a Codex
//   client through Switchyard sends the same base prompt), which is not sent twice;
// - `include`: `reasoning.encrypted_content` when the request needs it (encode-request.ts), then
//   the backend's configured values, without duplicates. A configured
//   `reasoning.encrypted_content` is sent even with reasoning off: Codex-style upstreams reject
//   requests that lack it.
import type { TextPart } from '../../canonical/request.js'
import { ENCRYPTED_REASONING, type DeveloperMessageItem } from './wire-request.js'

export interface PlacedSystem {
  /** The `instructions` field, or `undefined` to send none. */
  readonly instructions: string | undefined
  /** The client's system text as a developer message, when it cannot be `instructions`. */
  readonly developer: DeveloperMessageItem | undefined
}

export function placeSystem (system: readonly TextPart[], configured: string | undefined): PlacedSystem {
  const text = system.map(p => p.text).join('\n\n')
  if (configured === undefined) return { instructions: text === '' ? undefined : text, developer: undefined }
  if (text === '' || text === configured) return { instructions: configured, developer: undefined }
  return { instructions: configured, developer: { type: 'message', role: 'developer', content: [{ type: 'input_text', text }] } }
}

/** The `include` list: encrypted reasoning when `encrypted`, then `configured`; `undefined` when empty. */
export function includeList (encrypted: boolean, configured: readonly string[] | undefined): readonly string[] | undefined {
  const out = new Set<string>(encrypted ? [ENCRYPTED_REASONING] : [])
  for (const value of configured ?? []) out.add(value)
  return out.size === 0 ? undefined : [...out]
}
