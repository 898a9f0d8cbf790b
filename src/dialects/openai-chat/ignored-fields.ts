// Chat Completions request fields accepted and deliberately not carried (STYLE.md §2.4).
import type { IgnoredFields } from '../shared/fields.js'

/** Fields accepted and deliberately not carried, each with the reason it is safe. */
export const IGNORED_FIELDS: IgnoredFields = {
  metadata: 'tags for stored completions; Switchyard stores nothing',
  store: 'asks OpenAI to store the completion; Switchyard stores nothing',
  service_tier: 'billing/latency tier of the upstream account, not of the reply',
  prompt_cache_key: 'prompt-cache routing hint; does not change the reply',
  prompt_cache_retention: 'prompt-cache lifetime hint; does not change the reply',
  'stream_options.include_obfuscation': 'asks for side-channel padding; Switchyard sends none',
  'messages[].name': 'participant label only OpenAI models read; no other dialect carries it',
}
