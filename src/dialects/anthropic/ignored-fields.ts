// Anthropic request fields accepted and deliberately not carried (STYLE.md §2.4). Headers
// (`anthropic-version`, `anthropic-beta`) never reach decodeRequest: they are the HTTP layer's.
import type { IgnoredFields } from '../shared/fields.js'

/** Fields accepted and deliberately not carried, each with the reason it is safe. */
export const IGNORED_FIELDS: IgnoredFields = {
  metadata: '`user_id` for abuse tracking; does not change the reply',
  service_tier: 'capacity tier of the upstream account, not of the reply',
  cache_control: 'automatic prompt-caching switch; does not change the reply',
  'system[].cache_control': 'prompt-cache breakpoint; does not change the reply',
  'messages[].content[].cache_control': 'prompt-cache breakpoint; does not change the reply',
}
